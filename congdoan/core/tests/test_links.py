"""Every page a role may open is linked from a page that role reaches (issue 12: features no
link led to, such as the member imports and statistics).

For each persona — the national admin, the officer of unit A, and a viewer of unit A (a narrow
role) — the test crawls the site as a user would click: from the home page and from the pages
of the units and members the persona sees (the navbar's "go to unit" box and the member search
lead to any of them), following `<a href>` links of the same site by GET to a depth of 3 and
visiting a few URLs of each URL name; the URLs that a page's forms send to count as reached (the
page offers that action). It then asserts that every page URL name the persona may open
appears among those reached: the GET cases of the scoping walk (`test_url_scoping.CASES`) about
an action the persona holds that answer it with a whole page — not htmx fragments, API calls,
files (exports, templates, charts) or POST-only actions. It also asserts that no link shown to
a persona answers an error (a 403 is a link the menu should not have offered).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope
from congdoan.core.tests.support import START, make_user
from congdoan.core.tests.test_url_scoping import CASES, _request

DEPTH = 3
VISITS_PER_NAME = 3
MAX_PAGES = 600
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/api/", "/i18n/")
FILES = (".xlsx", ".csv", ".pdf", ".png", ".json", ".docx", ".ico")

# Pages that no link needs to lead to, each with the reason (none today).
UNLINKED: dict[str, str] = {}


# Pages whose door lets in everyone who sees the object, while only those who may act are
# offered the link: the action they need.
NEEDS = {
    "members:transfer_reject": Action.MEMBERS_CHANGE,
}


class _Links(HTMLParser):
    """The `<a href>` links of a page, and the actions of its forms."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.actions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        elif tag == "form" and found.get("action"):
            self.actions.append(found["action"] or "")


def _same_site(base: str, hrefs: list[str]) -> list[str]:
    out = []
    for href in hrefs:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another site
        path = parts.path
        if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES):
            continue
        out.append(path + (f"?{parts.query}" if parts.query else ""))
    return out


def _links(base: str, html: str) -> tuple[list[str], list[str]]:
    """The page's links to follow, and the URLs its forms send to (reached, not followed: the
    page offers that action)."""
    parser = _Links()
    parser.feed(html)
    return _same_site(base, parser.hrefs), _same_site(base, parser.actions)


def _name(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    return match.view_name


def _view_class(name: str, case: Any, world: Any) -> Any:
    """The view of a URL name, instantiated with its `as_view` arguments (a view may take what
    it is about from them, e.g. the registers' import pages their `spec`)."""
    func = resolve(reverse(name, kwargs=case.kwargs(world) if case.kwargs else None)).func
    cls = getattr(func, "view_class", None) or getattr(func, "cls", None)
    if cls is None:
        return None
    kwargs = getattr(func, "view_initkwargs", None) or getattr(func, "initkwargs", None) or {}
    try:
        return cls(**kwargs)
    except TypeError:
        return cls


def _holds(user: Any, name: str, case: Any, world: Any) -> bool:
    """Whether the user holds, on some unit, the action the page is about (a page that lets
    anyone signed in through and shows them nothing is not one they need a link to)."""
    action = NEEDS.get(name) or getattr(_view_class(name, case, world), "scope_action", None)
    return action is None or has_any_scope(user, action)


def _gets(path: str) -> bool:
    """Whether the view answers GET at all (a POST-only action is not a link to follow)."""
    func = resolve(path.split("?")[0]).func
    cls = getattr(func, "view_class", None) or getattr(func, "cls", None)
    return cls is None or "get" in getattr(cls, "http_method_names", ["get"])


def crawl(client: Client, starts: list[str]) -> tuple[set[str], list[str]]:
    """The URL names reached from `starts` (depth 0, each opened), and the links that
    answered an error."""
    reached: set[str] = set()
    errors: list[str] = []
    visits: dict[str, int] = {}
    seen: set[str] = set(starts)
    queue = deque((url, 0) for url in starts)
    pages = 0
    while queue and pages < MAX_PAGES:
        url, depth = queue.popleft()
        name = _name(url)
        if name is None:
            errors.append(f"{url}: no such page")
            continue
        reached.add(name)
        if url.split("?")[0].endswith(FILES) or not _gets(url):
            continue  # a file or an action: reaching its link is enough
        if depth and visits.get(name, 0) >= VISITS_PER_NAME:
            continue
        visits[name] = visits.get(name, 0) + 1
        response = client.get(url)
        pages += 1
        if response.status_code != 200:
            if response.status_code != 302:
                errors.append(f"{url}: {response.status_code}")
            continue
        if depth >= DEPTH or "text/html" not in response.get("Content-Type", ""):
            continue
        links, actions = _links(url, response.content.decode())
        reached.update(n for n in map(_name, actions) if n)
        for link in links:
            if link not in seen:
                seen.add(link)
                queue.append((link, depth + 1))
    return reached, errors


def _is_page(response: Any) -> bool:
    return (
        response.status_code == 200
        and "text/html" in response.get("Content-Type", "")
        and "<html" in response.content.decode()
    )


class _Rollback(Exception):
    pass


def _refresh(world: Any) -> None:
    """Reload the world's rows after a rollback (a setup may have changed them in memory)."""
    for value in vars(world).values():
        if hasattr(value, "refresh_from_db"):
            value.refresh_from_db()


def expected_pages(
    world: Any, users: dict[str, Any], clients: dict[str, Client]
) -> dict[str, set[str]]:
    """For each persona, the page URL names of the scoping walk about an action it holds and
    that answer it with a whole page. Each case is tried on the standard world with its own
    setup only, as the walk does, and rolled back; a case whose setup makes a persona a
    superuser (to reach personal data) is about another role than that persona's."""
    names: dict[str, set[str]] = {persona: set() for persona in clients}
    superusers = {persona for persona, user in users.items() if user.is_superuser}
    for name, case in sorted(CASES.items()):
        if case.method != "get" or case.htmx or name.startswith(("api", "admin:")):
            continue
        if name in UNLINKED:
            continue
        extra = dict(world.extra)
        try:
            with transaction.atomic():
                if case.setup:
                    case.setup(world)
                for persona, client in clients.items():
                    users[persona].refresh_from_db(fields=["is_superuser"])
                    if users[persona].is_superuser and persona not in superusers:
                        continue
                    if not _holds(users[persona], name, case, world):
                        continue
                    if _is_page(_request(client, case, world, name)):
                        names[persona].add(name)
                raise _Rollback
        except _Rollback:
            pass
        world.extra = extra
        _refresh(world)
    return names


def add_what_the_pages_show(world: Any) -> None:
    """What the GET cases set up (a cluster, a term, a transfer, an import, periods, sheets…),
    all at once, so that the crawl finds pages to open. The setups were written for a world
    each: one that clashes with another's rows (a second term XI of A1…) is left out, the
    other's rows serve its pages."""
    for case in CASES.values():
        if case.setup and case.method == "get":
            extra = dict(world.extra)
            try:
                with transaction.atomic():
                    case.setup(world)
            except (RuleViolation, IntegrityError):
                # Rolled back: forget what the setup cached before it failed (a period it
                # opened would be named by the next setup, and no longer exist).
                world.extra = extra
                _refresh(world)
    # The national persona stays the unit admin at the root (a setup makes it a superuser).
    world.national.is_superuser = False
    world.national.save(update_fields=["is_superuser"])


def members_in_every_state(world: Any) -> list[Any]:
    """Member A, a suspended member of A1 and a former member of A2: their pages offer
    different actions (suspend, resume, re-admit…)."""
    from congdoan.members import services

    def admit(unit: Any, given: str) -> Any:
        return services.member_admit(
            actor=None, unit=unit, family_name="Đỗ", given_name=given, sex="M", admitted_on=START
        )

    day = dt.date(2024, 6, 1)
    suspended = services.member_suspend(actor=None, member=admit(world.grass_a1, "Tạm"), day=day)
    former = services.member_exit(
        actor=None, member=admit(world.grass_a2, "Nghỉ"), day=day, reason="retired"
    )
    return [world.member_a, suspended, former]


def starts(world: Any, members: list[Any], client: Client) -> list[str]:
    """Where the crawl starts: the home page, and the pages of the units and members the
    persona may open (the navbar's "go to unit" box and the member search lead to them)."""
    units = [world.root, world.province, world.unit_a, world.grass_a1, world.group_a1]
    urls = [reverse("organisation:unit_detail", args=[u.pk]) for u in units]
    urls += [reverse("members:member_detail", args=[m.pk]) for m in members]
    return ["/", *(url for url in urls if client.get(url).status_code == 200)]


def test_every_page_a_role_may_open_is_linked(world):
    users = {
        "national": world.national,
        "officer_a": world.officer_a,
        "viewer": make_user("xem_a", "viewer", world.unit_a, full_name="Người xem A"),
    }
    clients = {}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    expected = expected_pages(world, users, clients)
    add_what_the_pages_show(world)
    members = members_in_every_state(world)
    problems = []
    for persona, client in clients.items():
        assert {"organisation:home", "members:member_list"} <= expected[persona], persona
        reached, errors = crawl(client, starts(world, members, client))
        missing = sorted(expected[persona] - reached)
        if missing:
            problems.append(f"{persona}: pages no link leads to: {missing}")
        if errors:
            problems.append(f"{persona}: links that answer an error: {errors}")
    assert not problems, "\n".join(problems)
