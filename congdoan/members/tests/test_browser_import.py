"""The import journey in real Chromium (issue 3, "Must show"): as an officer, upload an xlsx with
three bad rows, see the errors by row, fix the file, upload it again, commit, and find the new
members with a search typed without diacritics on the member list."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from playwright.sync_api import expect

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def world_live(transactional_db, settings, tmp_path):
    from django.apps import apps

    from congdoan.core.tests.support import build_world

    settings.MEDIA_ROOT = tmp_path
    # Transactional tests flush every table: seed the member catalogues again.
    import_module("congdoan.members.migrations.0004_catalogues_and_keys").seed(apps, None)
    return build_world()


def _file(fixed: bool) -> bytes:
    from congdoan.members.tests.files import member_rows, xlsx_bytes

    rows = member_rows(6, seed=424, earliest_admission=dt.date(2020, 6, 1))
    rows[0].update(family_name="Phùng", middle_name="Thị Ngọc", given_name="Ánh", sex="Nữ")
    rows[1].update(family_name="Lò", middle_name="Văn", given_name="Thuỷ", sex="Nam")
    for r in rows[:2]:
        r["citizen_id"] = ""
    if not fixed:
        rows[2]["date_of_birth"] = "31/02/1988"  # row 4: no such date
        rows[3]["ethnicity"] = "Kinh Mới"  # row 5: unknown ethnicity
        rows[4]["sex"] = "Không rõ"  # row 6: neither Nam nor Nữ
    return xlsx_bytes(rows)


def test_import_with_errors_fix_commit_and_find(live_server, page, world_live, artifacts_dir):
    from congdoan.members.models import ImportJob, Member

    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"import-{name}.png"), full_page=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "officer_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # 1. The file with three bad rows.
    page.goto(f"{live_server.url}/members/imports/upload/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=unit]", "A1")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "doan-vien.xlsx", "mimeType": XLSX, "buffer": _file(fixed=False)}],
    )
    shot("1-upload")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/members/imports/*/")
    errors = page.locator("#import-errors")
    errors.wait_for()
    shot("2-errors-by-row")
    rows = errors.locator("tbody tr")
    seen = {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).inner_text()
        for i in range(rows.count())
    }
    assert set(seen) == {"4", "5", "6"}, seen
    assert "Ngày sinh" in seen["4"] and "31/02/1988" in seen["4"]
    assert "Dân tộc" in seen["5"] and "Kinh Mới" in seen["5"]
    assert "Giới tính" in seen["6"]
    assert page.locator("#import-confirm").count() == 0, "a file with errors cannot be imported"
    assert page.locator("#count-errors").inner_text() == "3"
    assert Member.objects.filter(unit__code="A1").count() == 1  # member_a only

    # 2. The fixed file: preview, then import.
    page.locator("a[href*='/members/imports/upload/']").first.click()
    page.wait_for_url("**/members/imports/upload/**")
    page.fill("input[name=unit]", "A1")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "doan-vien-da-sua.xlsx", "mimeType": XLSX, "buffer": _file(fixed=True)}],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/members/imports/*/")
    page.locator("#import-preview").wait_for()
    assert page.locator("#count-create").inner_text() == "6"
    assert "Phùng Thị Ngọc Ánh" in page.locator("#import-preview").inner_text()
    shot("3-preview")
    page.check("#import-confirm")
    page.locator("form[action$='/commit/'] button[type=submit]").click()
    page.wait_for_url("**/members/imports/*/")
    page.locator(".alert-success").wait_for()
    assert "6" in page.locator(".alert-success").inner_text()
    shot("4-imported")
    job = ImportJob.objects.latest("pk")
    assert job.status == "done" and Member.objects.filter(import_batch=job).count() == 6

    # 3. Find them by a search typed without diacritics.
    page.goto(f"{live_server.url}/members/")
    results = page.locator("#member-results tbody tr")
    page.fill("#id_q", "phung thi ngoc anh")
    expect(results).to_have_count(1, timeout=10_000)
    expect(results.first).to_contain_text("Phùng Thị Ngọc Ánh")
    shot("5-found-without-diacritics")
    page.fill("#id_q", "lò văn thủy")  # the other tone placement: stored as "Thuỷ"
    expect(results).to_have_count(1, timeout=10_000)
    expect(results.first).to_contain_text("Lò Văn Thuỷ")
    shot("6-found-other-tone-placement")
    assert not csp_violations, csp_violations
