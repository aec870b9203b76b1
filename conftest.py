"""Fixtures shared by every app's tests. See congdoan/core/tests/support.py for the standard world."""

import os

import pytest

from congdoan.core.tests import world_snapshot


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"
    settings.AXES_ENABLED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run inside the test.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _seed_catalogues() -> None:
    """Run the data migrations that seed catalogues and roles (they are idempotent)."""
    from importlib import import_module

    from django.apps import apps

    for module, function in (
        ("congdoan.organisation.migrations.0003_default_catalogues", "forwards"),
        ("congdoan.accounts.migrations.0003_default_roles", "forwards"),
        ("congdoan.members.migrations.0004_catalogues_and_keys", "seed"),
        ("congdoan.indicators.migrations.0002_default_catalogue", "load"),
        ("congdoan.indicators.migrations.0004_remarks_and_default_data_sets", "load"),
        ("congdoan.reports.migrations.0002_role_actions", "forwards"),
        ("congdoan.meetings.migrations.0002_role_actions", "forwards"),
        ("congdoan.activities.migrations.0002_role_actions", "forwards"),
        ("congdoan.inspections.migrations.0002_derivations", "forwards"),
        ("congdoan.care.migrations.0002_care_indicators", "forwards"),
        ("congdoan.movements.migrations.0002_indicators", "forwards"),
        ("congdoan.initiatives.migrations.0002_derived_indicators", "forwards"),
        ("congdoan.welfare.migrations.0002_welfare_indicators", "forwards"),
        ("congdoan.emulation.migrations.0002_indicators", "forwards"),
        ("congdoan.grading.migrations.0002_default_schemes", "forwards"),
        ("congdoan.grading.migrations.0003_indicators", "forwards"),
        ("congdoan.awards.migrations.0002_default_catalogue", "forwards"),
        ("congdoan.awards.migrations.0004_award_indicators", "forwards"),
        ("congdoan.awards.migrations.0005_flags_need_good_grading", "forwards"),
        ("congdoan.awards.migrations.0006_medal_membership_floor", "forwards"),
    ):
        getattr(import_module(module), function)(apps, None)


_flushed = False  # a transactional test has run (and emptied the tables) since the last seeding


@pytest.fixture(autouse=True)
def _catalogues_after_flush(request):
    """Transactional tests (live server, browser) empty every table when they end, the
    catalogues seeded by data migrations included; seed them again for the next test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    global _flushed
    if transactional:
        request.getfixturevalue("transactional_db")
        _seed_catalogues()
        world_snapshot.forget()  # the catalogues have new keys
        _flushed = True  # when it ends
    elif _flushed and (marker is not None or "db" in request.fixturenames):
        # A test in a transaction after one that emptied the tables (e.g. `pytest
        # congdoan/members` runs the browser tests among the others): seed before the
        # transaction starts, so that the seeding stays.
        with request.getfixturevalue("django_db_blocker").unblock():
            _seed_catalogues()
        world_snapshot.forget()
        _flushed = False
    yield
    if "live_server" in request.fixturenames:
        _live_server_idle()


def _live_server_idle(timeout: float = 30) -> None:
    """Wait until the live server has answered every request the browser sent (an htmx fragment
    may still be loading when a test ends). The test database is emptied right after this; on
    in-memory SQLite the server's threads share its connection, and a query still running there
    makes the emptying fail with "database table is locked"."""
    import threading
    import time

    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def world(db):
    return world_snapshot.world()


@pytest.fixture
def client_of(client, world):
    """client_of("officer_a") → a test client logged in as that persona."""
    from django.test import Client

    def make(name: str) -> Client:
        c = Client()
        c.force_login(world.persona(name))
        return c

    return make


def _sqlite_copies_template() -> None:
    """With CONGDOAN_TEST_SQLITE_TEMPLATE (a migrated SQLite file, scripts/test.sh), each
    worker's in-memory test database starts as a copy of it, so `migrate` finds nothing to do
    instead of every worker running the migrations again. PostgreSQL does the same with its own
    TEMPLATE setting (settings.py)."""
    template = os.environ.get("CONGDOAN_TEST_SQLITE_TEMPLATE")
    if not template:
        return
    import sqlite3

    from django.db.backends.sqlite3.creation import DatabaseCreation

    create = DatabaseCreation._create_test_db
    kept: list[sqlite3.Connection] = []  # an in-memory database lives while a connection does

    def create_from_template(self, verbosity, autoclobber, keepdb=False):
        name = create(self, verbosity, autoclobber, keepdb)
        memory = self.is_in_memory_db(name)
        target = sqlite3.connect(name, uri=memory)
        with sqlite3.connect(f"file:{template}?mode=ro", uri=True) as source:
            source.backup(target)
        if memory:
            kept.append(target)
        else:
            target.close()  # a file (CONGDOAN_TEST_SQLITE_FILE): the copy stays on disk
        return name

    DatabaseCreation._create_test_db = create_from_template


_sqlite_copies_template()


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


# --- Browser tests (pytest-playwright driving Debian's Chromium) ---------------------------------
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def _screenshots(*below: str):
    from pathlib import Path

    path = Path(os.environ.get("ARTIFACTS", "artifacts"), "screenshots", *below)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def artifacts_dir():
    return _screenshots()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows where the page was and what it said (CI logs are all one has
    of a failure that does not happen here), and leaves a screenshot in the artifacts."""
    outcome = yield
    report = outcome.get_result()
    page = getattr(item, "funcargs", {}).get("page")
    if report.when != "call" or not report.failed or page is None:
        return
    try:
        text = (
            page.locator("main").inner_text(timeout=2_000) if page.locator("main").count() else ""
        )
        text = text or page.locator("body").inner_text(timeout=2_000)
        report.sections.append(("page at failure", f"{page.url}\n{text[:4000]}"))
        path = _screenshots("failures") / f"{item.name[:100]}.png"
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # the page may be gone; the failure itself is what matters
        report.sections.append(("page at failure", f"(could not be read: {exc})"))
