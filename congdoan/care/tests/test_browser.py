"""The care journey in real Chromium (issue 14, "Must show"): an officer records a Mái ấm Công
đoàn house funded from two sources for a member of a grassroots union that keeps the care
register; the houses indicator and its money indicator follow — on the union's sheet (read-only,
with the link to the records) and on the district's dashboard — the member page shows the
house, and the record is in the export (read back with python-calamine)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "accept_downloads": True}


@pytest.fixture
def setup(transactional_db, settings, tmp_path):
    from congdoan.care.tests.helpers import keep
    from congdoan.core.tests.support import build_world
    from congdoan.indicators.models import PeriodKind
    from congdoan.indicators.periods import period_open

    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    today = dt.date.today()
    keep(world.grass_a1, today.year)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=today.year)
    return world, year, today


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _fill_house(page, start: dt.date, handover: dt.date) -> None:
    page.select_option("select[name=kind]", "house")
    page.fill("input[name=on]", start.strftime("%d/%m/%Y"))
    page.select_option("select[name=beneficiary]", "member")
    expect(page.locator("input[name=card_number]")).to_have_value("CDA0001")
    page.select_option("select[name=house_work]", "build")
    page.fill("input[name=handover_on]", handover.strftime("%d/%m/%Y"))
    page.fill("input[name=address]", "Bản Nà Khum, xã Thử Nghiệm")
    page.fill("input[name=description]", "Nhà Mái ấm Công đoàn")
    page.select_option("select[name=funding-0-source]", "grassroots")
    page.fill("input[name=funding-0-amount]", "30.000.000")
    page.select_option("select[name=funding-1-source]", "donor")
    page.fill("input[name=funding-1-donor]", "Ngân hàng Nông nghiệp & Phát triển")
    page.fill("input[name=funding-1-amount]", "50.000.000")


def test_record_a_house_and_follow_it_everywhere(live_server, page, setup, artifacts_dir):
    world, year, today = setup
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"care-{name}.png"), full_page=True)

    start = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=30))
    # 1. From the member page, record the house (the form knows the member and its union).
    login(page, base, "officer_a")
    page.goto(f"{base}/members/{world.member_a.pk}/")
    page.locator("#section-care a", has_text="Ghi nhận chăm lo cho đoàn viên này").click()
    page.wait_for_url(re.compile(r".*/care/new/\?member=\d+$"))
    expect(page.locator("input[name=unit]")).to_have_value("A1")
    _fill_house(page, start, today)
    shot("1-form")
    page.locator("form button[type=submit].btn-primary").click()
    page.wait_for_url(re.compile(r".*/care/\d+/$"))
    expect(page.locator("#record-value")).to_have_text("80.000.000")
    expect(page.locator("#funding")).to_contain_text("Ngân hàng Nông nghiệp & Phát triển")
    shot("2-record")

    # 2. The union's sheet: both figures counted from the register, read-only, with the link.
    page.goto(f"{base}/indicators/units/{world.grass_a1.pk}/periods/{year.pk}/sheet/")
    expect(page.locator("#v-nha_macd")).to_have_text("1")
    expect(page.locator("#v-tien_nha_macd")).to_have_text("80.000.000")
    expect(page.locator("input[name=v-nha_macd]")).to_have_count(0)
    shot("3-sheet")
    page.locator("#row-nha_macd a", has_text="theo sổ").click()
    page.wait_for_url(re.compile(r".*/care/\?unit=\d+&period=\d+$"))
    expect(page.locator("table.table-hover")).to_contain_text("Nhà Mái ấm Công đoàn")

    # 3. The district's dashboard: the care card with both figures.
    page.goto(f"{base}/indicators/dashboard/{world.unit_a.pk}/{year.pk}/")
    card = page.locator("#card-care")
    expect(card).to_contain_text("Nhà Mái ấm Công đoàn xây mới, sửa chữa")
    expect(card).to_contain_text("80 triệu đồng")
    shot("4-dashboard")

    # 4. The member page shows the house.
    page.goto(f"{base}/members/{world.member_a.pk}/")
    expect(page.locator("#section-care")).to_contain_text("Nhà Mái ấm Công đoàn")
    expect(page.locator("#section-care")).to_contain_text("80.000.000")
    shot("5-member")

    # 5. The export holds the record.
    page.goto(f"{base}/care/?year={today.year}")
    with page.expect_download() as info:
        page.locator("a", has_text="Xuất").first.click()
    content = open(info.value.path(), "rb").read()  # noqa: SIM115
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    text = " ".join(str(c) for row in rows for c in row)
    assert "Nhà Mái ấm Công đoàn" in text and "Ngân hàng Nông nghiệp & Phát triển" in text
    assert "CDA0001" in text
    assert not [p for p in problems if "Content Security Policy" in p], problems
