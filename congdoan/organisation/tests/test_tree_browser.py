"""The tree browser and the unit page in real Chromium, under the Content Security Policy:
nodes open lazily (htmx), search and the navbar picker answer as one types, the audit trail
loads when scrolled into view."""

from __future__ import annotations

import pytest

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.mark.django_db(transaction=True)
def test_tree_journey(live_server, page, world, artifacts_dir):
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

    page.goto(f"{live_server.url}/tree/")
    assert page.locator("h1").inner_text() == "Cây tổ chức"
    assert page.get_by_text("Tổ CĐ ALPHA").count() == 0
    page.locator("summary", has_text="CĐCS ALPHA Một").click()  # opens the node: htmx loads it
    page.get_by_text("Tổ CĐ ALPHA").wait_for(timeout=5_000)

    page.fill("#tree-search-q", "alpha hai")
    page.locator("#tree-search-results").get_by_text("CĐCS ALPHA Hai").wait_for(timeout=5_000)
    page.screenshot(path=str(artifacts_dir / "organisation-tree.png"), full_page=True)

    page.fill("#unit-picker-input", "a1t1")
    page.locator("#unit-picker-results a").first.wait_for(timeout=5_000)
    page.locator("#unit-picker-results a").first.click()
    page.wait_for_url(f"{live_server.url}/units/{world.group_a1.pk}/")
    page.locator("#audit").scroll_into_view_if_needed()
    page.locator("#audit").get_by_text("Tạo mới").wait_for(timeout=5_000)
    page.screenshot(path=str(artifacts_dir / "organisation-unit.png"), full_page=True)
    assert violations == [], violations
