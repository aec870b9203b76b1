"""The precise search in real Chromium: typing a name with diacritics lists the names written so
first, then the others; the list says how many it found (counted apart, by htmx, when there is
more than a page), within the Content Security Policy."""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from playwright.sync_api import expect

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def people(transactional_db):
    from django.apps import apps

    from congdoan.core.tests.support import build_world
    from congdoan.members.services import member_admit

    import_module("congdoan.members.migrations.0004_catalogues_and_keys").seed(apps, None)
    world = build_world()
    givens = ["Hoa", "Hoà", "Hòa", "Thoa"] * 15  # 45 match "nguyen thi hoa", 30 as typed
    for i, given_name in enumerate(givens):
        member_admit(
            actor=None,
            unit=world.grass_a1,
            family_name="Nguyễn",
            middle_name="Thị",
            given_name=given_name,
            sex="F",
            date_of_birth=dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28),
            admitted_on=dt.date(2021, 1, 1),
        )
    return world


def test_search_as_typed_with_its_count(live_server, page, people, artifacts_dir):
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/members/")
    rows = page.locator("#member-results tbody tr")
    count = page.locator("#member-results .member-count")
    page.fill("#id_q", "Nguyễn Thị Hoà")
    expect(count).to_have_text("45 đoàn viên", timeout=10_000)  # one page: counted with it
    expect(page.locator("#member-results")).to_contain_text("viết đúng dấu như bạn gõ")
    names = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert len(names) == 45
    assert set(names[:30]) == {"Nguyễn Thị Hoà", "Nguyễn Thị Hòa"}
    assert set(names[30:]) == {"Nguyễn Thị Hoa"}
    page.screenshot(path=str(artifacts_dir / "search-1-as-typed-first.png"), full_page=True)

    # A word inside another is not a match; the last word may be a beginning.
    page.fill("#id_q", "thi oa")
    expect(count).to_have_text("0 đoàn viên", timeout=10_000)
    page.fill("#id_q", "nguyen th")
    expect(count).to_have_text("61 đoàn viên", timeout=10_000)  # the 60, and member A
    assert rows.count() == 50  # one page; the count came from the count fragment
    assert re.search(r"page=2", page.locator("#member-results").inner_html())
    page.screenshot(path=str(artifacts_dir / "search-2-count-apart.png"), full_page=True)
    assert not csp_violations, csp_violations
