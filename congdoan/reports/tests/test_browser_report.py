"""The report journey in real Chromium (issue 13, "Must show"): with the data of seed 001 (LĐLĐ
thị xã Sa Pa, seeds.py) entered through the services, Sa Pa's officer logs in, creates the report
of 9 months of 2023 and the school year 2022 – 2023 on the "new report" page, generates it,
waits until the version is ready, downloads the Word file and the PDF through the page's links
and reads them back: they state the seed's figures."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from docx import Document as Docx
from playwright.sync_api import expect
from pypdf import PdfReader

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser

FORMS = [
    "LIÊN ĐOÀN LAO ĐỘNG THỊ XÃ SA PA",
    "Sa Pa, ngày",
    "Má Thị Đa",
    "kết nạp 546 đoàn viên mới, đạt 110% chỉ tiêu",
    "16/2 nhà",
    "đạt 800% chỉ tiêu",
    "3,8 tỷ đồng",
    "đạt 4.750% chỉ tiêu",
    "xếp thứ nhất/15",
    "dự án “Sa Pa sạch”",
]
TASKS = "Tích cực tham gia dự án “Sa Pa sạch”\nNhân rộng các mô hình điển hình tiên tiến"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "accept_downloads": True}


@pytest.fixture
def sa_pa(transactional_db, settings, tmp_path):
    from congdoan.reports.tests.seeds import build_sa_pa

    settings.MEDIA_ROOT = tmp_path
    return build_sa_pa(with_reports=False)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    tables = list(doc.tables) + [t for s in doc.sections for t in s.header.tables]
    parts += [c.text for t in tables for row in t.rows for c in row.cells]
    return flat("\n".join(parts))


def pdf_text(data: bytes) -> str:
    return flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def download(page: Any, link: Any) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    got = info.value
    path = got.path()
    assert got.failure() is None, got.failure()
    with open(path, "rb") as f:
        return got.suggested_filename, f.read()


def test_create_generate_download_and_read(live_server, page, sa_pa, artifacts_dir):
    from congdoan.reports.models import Report

    base = live_server.url
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"reports-{name}.png"), full_page=True)

    # 1. Sa Pa's officer logs in.
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", sa_pa.officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    # 2. The new report: Sa Pa, 9 months of 2023 beside the school year 2022 – 2023.
    page.goto(f"{base}/reports/new/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=unit]", sa_pa.body.code)
    page.select_option("select[name=period]", label="9 tháng đầu năm 2023")
    page.select_option("select[name=second_period]", label="Năm học 2022 - 2023")
    page.fill("textarea[name=tasks]", TASKS)
    shot("1-new")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r".*/reports/\d+/$"))
    report = Report.objects.get(unit=sa_pa.body)
    assert report.second_period_id == sa_pa.periods["school"].pk

    # 3. Generate, and wait until the version is ready.
    page.get_by_role("button", name="Tạo báo cáo").click()
    page.wait_for_url(re.compile(rf".*/reports/{report.pk}/$"))
    status = page.locator("[id^=generation-]").first
    expect(status).to_contain_text("Đã xong", timeout=60_000)
    expect(status).to_contain_text("100%")
    files = page.locator(".card", has_text="Word (.docx)")
    docx_link = files.locator("a[href$='/docx/']")
    expect(docx_link).to_be_visible()
    expect(page.locator(".report-text")).to_contain_text("kết nạp 546 đoàn viên mới")
    shot("2-ready")

    # 4. Download the Word file and the PDF through the page's links and read them back.
    name, data = download(page, docx_link)
    assert name.endswith(".docx") and data[:2] == b"PK"
    docx = docx_text(data)
    name, data = download(page, files.locator("a[href$='/pdf/']"))
    assert name.endswith(".pdf") and data[:5] == b"%PDF-"
    pdf = pdf_text(data)
    for medium, text in (("docx", docx), ("pdf", pdf)):
        absent = [f for f in FORMS if f.casefold() not in text.casefold()]
        assert absent == [], (medium, absent)
    shot("3-downloaded")
    assert csp_violations == [], csp_violations


def test_the_same_through_the_api(live_server, page, sa_pa):
    """Signed in in the browser, the officer's session drives the API: create the report,
    generate it, poll its version, download the DOCX and the PDF the API links, read them."""
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", sa_pa.officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": csrf, "Referer": f"{base}/"}
    api = page.request

    created = api.post(
        f"{base}/api/v1/reports/",
        data={
            "unit": sa_pa.body.code,
            "period": sa_pa.periods["nine"].pk,
            "second_period": sa_pa.periods["school"].pk,
            "tasks": TASKS,
        },
        headers=headers,
    )
    assert created.status == 201, created.text()
    report = created.json()
    started = api.post(f"{base}/api/v1/reports/{report['id']}/generate/", headers=headers)
    assert started.status == 202, started.text()
    for _attempt in range(60):
        detail = api.get(f"{base}/api/v1/reports/{report['id']}/").json()
        version = detail["versions"][0]
        if version["state"] in ("done", "failed"):
            break
        page.wait_for_timeout(1000)
    assert version["state"] == "done" and version["progress"] == 100
    docx = api.get(f"{base}{version['files']['docx']}")
    pdf = api.get(f"{base}{version['files']['pdf']}")
    assert docx.status == 200 and pdf.status == 200
    for medium, text in (("docx", docx_text(docx.body())), ("pdf", pdf_text(pdf.body()))):
        absent = [f for f in FORMS if f.casefold() not in text.casefold()]
        assert absent == [], (medium, absent)
    # A report that is not there answers as one that is not yours: 404.
    assert api.get(f"{base}/api/v1/reports/{report['id'] + 999}/").status == 404
