"""The home page's work list in real Chromium (issue 12): an approver signs in, sees the sheet
waiting on the home page, follows the link, approves it, and the item is gone. On the way: the
menu holds on one line at 1366 px with the unit search and the language fully visible, and the
browser finds the site's icon (no 404 in the console)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser

WIDTH = 1366


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "viewport": {"width": WIDTH, "height": 800},
    }


@pytest.fixture
def setup(transactional_db):
    from django.utils import timezone

    from congdoan.core.tests.support import build_world, make_user
    from congdoan.indicators import services
    from congdoan.indicators.models import PeriodKind
    from congdoan.indicators.periods import period_open

    world = build_world()
    make_user("duyet_a", "approver", world.unit_a, full_name="Cán bộ phê duyệt huyện Alpha")
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=timezone.localdate().year)
    sheet = services.values_save(
        actor=None, unit=world.grass_a1, period=year, entries={"phat_trien_dv": 12}
    )
    services.sheet_submit(actor=None, sheet=sheet)
    return world, year


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def assert_menu_on_one_line(page) -> None:
    """The menu's entries, the unit search, the language and the user's menu share one line
    and lie inside the window."""
    boxes = page.eval_on_selector_all(
        "#mainnav > ul > li, #mainnav .unit-picker input, #mainnav select[name=language], "
        "#mainnav > .dropdown > button",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.tagName, r.top, r.bottom, r.left, r.right]; })",
    )
    assert len(boxes) >= 5, boxes
    middles = [(top + bottom) / 2 for _tag, top, bottom, _l, _r in boxes]
    assert max(middles) - min(middles) < 12, f"the menu wraps: {boxes}"
    assert all(left >= 0 and right <= WIDTH for _t, _top, _b, left, right in boxes), boxes
    assert page.locator("nav.navbar").bounding_box()["height"] < 80


def test_approve_from_the_home_page(live_server, page, setup, artifacts_dir):
    world, year = setup
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"worklist-{name}.png"), full_page=True)

    # 1. The approver's home page lists the sheet waiting, linking to it.
    login(page, base, "duyet_a")
    waiting = page.locator("#work-approve")
    expect(waiting).to_contain_text(world.grass_a1.name)
    expect(waiting).to_contain_text(str(year))
    expect(waiting.locator(".badge").first).to_have_text("1")
    assert_menu_on_one_line(page)
    shot("1-home")

    # 2. Follow the link and approve.
    waiting.get_by_role("link", name=re.compile(world.grass_a1.name)).click()
    page.wait_for_url(re.compile(rf".*/units/{world.grass_a1.pk}/periods/{year.pk}/sheet/$"))
    page.locator("form[action$='/sheet/approve/'] button").click()
    page.wait_for_url(re.compile(r".*/sheet/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    shot("2-approved")

    # 3. Back home, nothing waits for approval any more.
    page.locator("a.navbar-brand").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator("#work-approve")).to_have_count(0)
    shot("3-home-after")

    # The menu of the officer with the most entries holds on one line too, in both languages.
    login(page, base, "national")
    assert_menu_on_one_line(page)
    page.locator("nav button.dropdown-toggle", has_text="Đoàn viên").click()
    opened = page.locator("nav .dropdown-menu.show")
    expect(opened.get_by_role("link", name="Thống kê đoàn viên")).to_be_visible()
    expect(opened.get_by_role("link", name="Nhập đoàn viên từ tệp")).to_be_visible()
    shot("4-menu-members")
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_menu_on_one_line(page)
    shot("5-menu-english")

    icon = page.request.get(f"{base}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/")
    assert not problems, problems

    from congdoan.indicators.models import Sheet

    assert Sheet.objects.get(unit=world.grass_a1, period=year).status == "approved"
