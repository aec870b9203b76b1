"""The load scenario (issue 16): officers of different provinces and levels using the main pages
and the API at once, against the production server. Run by scripts/load.sh, which prepares the
accounts (bench/load_setup.py), starts gunicorn and locust, and prints the figures.

Each simulated officer logs in once, then, with a think time of 2–8 s between requests (an officer reads the page), uses
what their level uses (weights in brackets):
- everyone: the home page (2), their unit's page (2), the member list of their unit (3), a name
  search (3), a member's page (2), the statistics of their unit (1), the API list of members (2)
  and of units below (1);
- federation officers (national, province, district): the dashboard of the year (3), its list of
  units below (htmx, 2), the ranking (1), the sheet of the units below (1);
- grassroots data-entry officers: their sheet (3), one figure saved as the page's htmx does
  (4); once, after a few saves, the sheet submitted.

Request names group URLs by page kind ("member page", not each member), so the p95 of each kind
is what locust reports.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

_DATA = json.loads(
    Path(os.environ.get("BENCH_LOAD_USERS_FILE", "var/bench/load-users.json")).read_text()
)
_NEXT = itertools.count()
_LOCK = threading.Lock()


def _person() -> dict[str, Any]:
    with _LOCK:
        return _DATA["users"][next(_NEXT) % len(_DATA["users"])]


class Officer(HttpUser):
    # An officer reads each page a few seconds before the next (2–8 s, 5 s on average).
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.me = _person()
        self.saves = 0
        self.submitted = False
        page = self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        answer = self.client.post(
            "/accounts/login/",
            data={
                "username": self.me["username"],
                "password": _DATA["password"],
                "csrfmiddlewaretoken": token,
            },
            name="login",
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login of {self.me['username']} failed: {page.status_code}")

    # -- everyone -------------------------------------------------------------------------

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def unit_page(self) -> None:
        self.client.get(f"/units/{self.me['unit']}/", name="unit page")

    @task(3)
    def member_list(self) -> None:
        self.client.get(f"/members/?unit={self.me['unit_code']}", name="member list")

    @task(3)
    def name_search(self) -> None:
        given = random.choice(["hoa", "van", "thi", "minh", "duc", "lan", "huong"])
        q = f"{self.me['family_name']} {given}"
        self.client.get("/members/", params={"q": q}, name="member search")

    @task(2)
    def member_page(self) -> None:
        if self.me["member"]:
            self.client.get(f"/members/{self.me['member']}/", name="member page")

    @task(1)
    def statistics(self) -> None:
        self.client.get(f"/members/stats/?unit={self.me['unit_code']}", name="statistics")

    @task(2)
    def api_members(self) -> None:
        self.client.get(f"/api/v1/members/?unit={self.me['unit_code']}", name="API members")

    @task(1)
    def api_units(self) -> None:
        self.client.get(f"/api/v1/units/{self.me['unit']}/children/", name="API units below")

    # -- federation officers ------------------------------------------------------------

    def _federation(self) -> bool:
        return self.me["level"] != "grassroots"

    @task(3)
    def dashboard(self) -> None:
        if self._federation():
            self.client.get(
                f"/indicators/dashboard/{self.me['unit']}/{self.me['period']}/", name="dashboard"
            )

    @task(2)
    def dashboard_children(self) -> None:
        if self._federation():
            self.client.get(
                f"/indicators/dashboard/{self.me['unit']}/{self.me['period']}/children/",
                headers={"HX-Request": "true"},
                name="dashboard: units below (htmx)",
            )

    @task(1)
    def ranking(self) -> None:
        if self._federation() and self.me["level"] != "national":  # the root ranks with no one
            self.client.get(
                f"/indicators/ranking/{self.me['unit']}/{self.me['period']}/", name="ranking"
            )

    @task(1)
    def children_sheet(self) -> None:
        if self._federation():
            self.client.get(
                f"/indicators/units/{self.me['unit']}/periods/{self.me['period']}/children/",
                name="figures of the units below",
            )

    # -- grassroots data entry ----------------------------------------------------------

    def _sheet(self) -> str:
        return f"/indicators/units/{self.me['unit']}/periods/{self.me['period']}/sheet/"

    @task(3)
    def sheet(self) -> None:
        if not self._federation():
            self.client.get(self._sheet(), name="sheet")

    @task(4)
    def save_figure(self) -> None:
        if self._federation() or self.submitted or not self.me["codes"]:
            return
        code = random.choice(self.me["codes"])
        # As htmx sends it: the CSRF token in a header (base.html's hx-headers).
        csrf = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        self.client.post(
            f"{self._sheet()}cell/{code}/",
            data={f"v-{code}": str(random.randint(0, 50))},
            headers={"HX-Request": "true", **csrf},
            name="save one figure (htmx)",
        )
        self.saves += 1
        if self.saves >= 8 and not self.submitted:
            self.client.post(
                f"{self._sheet()}submit/",
                headers=csrf,
                name="submit the sheet",
                allow_redirects=False,
            )
            self.submitted = True
