"""Unit fields and the dated tree search in real Chromium, under the Content Security Policy:
suggestions appear as one types a name without diacritics, picking one fills in its code (and a
list of codes grows), the tree's search sends the chosen date."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.core.tests.support import MARKER_A, PASSWORD
from congdoan.organisation import services as org

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.mark.django_db(transaction=True)
def test_pick_units_by_name(live_server, page, world, artifacts_dir):
    org.unit_update(
        actor=None, unit=world.grass_a1, day=dt.date(2022, 1, 1), name=f"CĐCS {MARKER_A} Mới"
    )
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # One unit: type a name without diacritics, pick the suggestion, the code is filled in.
    page.goto(f"{live_server.url}/reorganisation/move/")
    page.locator("#id_unit").press_sequentially("to cd alpha", delay=20)
    suggestion = page.locator("#id_unit-options button", has_text=f"Tổ CĐ {MARKER_A}")
    suggestion.wait_for(timeout=5_000)
    suggestion.click()
    page.locator("#id_unit-unit-field .unit-field-chosen").wait_for(timeout=5_000)
    assert page.locator("#id_unit").input_value() == "A1T1"
    assert page.locator("#id_unit-options button").count() == 0
    page.locator("#id_new_parent").fill("A2")  # a typed code works as before
    page.click("button[name=preview]")
    page.get_by_text("Xem trước: chưa có dữ liệu nào bị thay đổi").wait_for(timeout=5_000)
    assert page.locator("#id_unit").input_value() == "A1T1"
    page.screenshot(path=str(artifacts_dir / "organisation-unit-field.png"), full_page=True)

    # A list of codes: each unit picked is added to it.
    page.goto(f"{live_server.url}/reorganisation/merge/")
    for text, code in (("alpha moi", "A1"), ("alpha hai", "A2")):
        # Typed key by key: picking the previous unit redraws the field, and a single `fill`
        # could land before htmx has bound the new search box (a flaky timeout in CI).
        page.locator("input[name=sources__find]").press_sequentially(text, delay=30)
        page.locator("#id_sources-options button", has_text=code).first.wait_for(timeout=5_000)
        page.locator("#id_sources-options button", has_text=code).first.click()
        page.locator("#id_sources-unit-field li", has_text=code).wait_for(timeout=5_000)
    assert page.locator("#id_sources").input_value().split() == ["A1", "A2"]
    page.screenshot(path=str(artifacts_dir / "organisation-unit-codes-field.png"), full_page=True)

    # The tree as of a date: the search finds the name of that day.
    page.goto(f"{live_server.url}/tree/?as_of=01/06/2021")
    page.fill("#tree-search-q", "alpha mot")
    results = page.locator("#tree-search-results")
    results.get_by_text(f"CĐCS {MARKER_A} Một", exact=True).wait_for(timeout=5_000)
    assert "Tên hiện nay" in results.inner_text()
    assert violations == [], violations
