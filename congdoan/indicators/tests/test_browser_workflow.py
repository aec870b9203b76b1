"""The figures journey in real Chromium (issue 4, "Must show"): a grassroots union's data-entry
officer enters a figure and submits it; the officer of the unit above sees it on the dashboard as
not yet approved, approves it, and the dashboard shows it approved with its achievement."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser

NAME = "Kết nạp đoàn viên mới"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def setup(transactional_db):
    from congdoan.core.tests.support import build_world, make_user
    from congdoan.indicators.models import Indicator, PeriodKind
    from congdoan.indicators.periods import period_open
    from congdoan.indicators.tests.clock import assign_target

    world = build_world()
    make_user("nhaplieu_a1", "data_entry", world.grass_a1, full_name="Cán bộ nhập liệu A1")
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    indicator = Indicator.objects.get(code="phat_trien_dv")
    assign_target(
        actor=world.national, unit=world.unit_a, indicator=indicator, period=year, value=20
    )
    assign_target(
        actor=world.officer_a, unit=world.grass_a1, indicator=indicator, period=year, value=10
    )
    return world, year


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_enter_submit_approve_dashboard(live_server, page, setup, artifacts_dir):
    world, year = setup
    base = live_server.url
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    page.on("dialog", lambda dialog: dialog.accept())

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"indicators-{name}.png"), full_page=True)

    sheet_url = f"{base}/indicators/units/{world.grass_a1.pk}/periods/{year.pk}/sheet/"
    dashboard_url = f"{base}/indicators/dashboard/{world.unit_a.pk}/{year.pk}/"

    # 1. The grassroots officer enters 12 new members (the row saves itself) and submits.
    login(page, base, "nhaplieu_a1")
    page.goto(sheet_url)
    assert page.locator("html").get_attribute("lang") == "vi"
    row = page.locator("#row-phat_trien_dv")
    row.locator("input[name=v-phat_trien_dv]").fill("12")
    row.locator("input[name=v-phat_trien_dv]").press("Tab")
    expect(page.locator("#row-phat_trien_dv")).to_contain_text("120%")
    shot("1-entered")
    page.locator("form[action$='/sheet/submit/'] button").click()
    page.wait_for_url(re.compile(r".*/sheet/$"))
    expect(page.locator("input[name=v-phat_trien_dv]")).to_be_disabled()
    shot("2-submitted")

    # 2. The unit above sees the figure on its dashboard, not yet approved.
    login(page, base, "officer_a")
    page.goto(dashboard_url)
    card = page.locator(".card", has=page.locator(f"h3[title='{NAME}']"))
    expect(card).to_contain_text("12")
    expect(card).to_contain_text("60%")  # 12 of unit A's target of 20
    expect(card.locator("p.text-warning-emphasis")).to_have_count(1)
    shot("3-dashboard-before")

    # 3. It approves the grassroots union's figures.
    page.goto(sheet_url)
    page.locator("form[action$='/sheet/approve/'] button").click()
    page.wait_for_url(re.compile(r".*/sheet/$"))
    shot("4-approved")

    # 4. The dashboard now shows the figure approved.
    page.goto(dashboard_url)
    card = page.locator(".card", has=page.locator(f"h3[title='{NAME}']"))
    expect(card).to_contain_text("12")
    expect(card.locator("p.text-success")).to_have_count(1)
    expect(card.locator("p.text-warning-emphasis")).to_have_count(0)
    shot("5-dashboard-after")
    assert not [p for p in problems if "Content Security Policy" in p], problems

    from congdoan.indicators.models import Sheet, Total

    assert Sheet.objects.get(unit=world.grass_a1, period=year).status == "approved"
    total = Total.objects.get(unit=world.root, period=year, indicator__code="phat_trien_dv")
    assert (total.value, total.approved) == (12, 12)
