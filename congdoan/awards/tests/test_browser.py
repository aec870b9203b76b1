"""The award journey in real Chromium (issue 15, "Must show"): a grassroots union's officer
nominates an enterprise that supported the union ("Công ty TNHH Xây dựng & Thương mại <Sông Đà>")
and a member; the district's council approves both and makes the decision; the decision DOCX and
the certificates PDF download and are read back (python-docx, pypdf) with the names' diacritics,
"&" and "<" intact."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from congdoan.core.tests.support import PASSWORD

pytestmark = pytest.mark.browser
ENTERPRISE = "Công ty TNHH Xây dựng & Thương mại <Sông Đà>"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "accept_downloads": True}


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    from congdoan.core.tests.support import build_world

    settings.MEDIA_ROOT = tmp_path
    return build_world()


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def nominate(page, base: str, world, kind: str, **fields: str) -> None:
    from congdoan.awards.tests.helpers import form

    page.goto(f"{base}/awards/nominations/new/")
    page.fill("input[name=proposing_unit]", world.grass_a1.code)
    page.select_option("select[name=issuer_unit]", str(world.unit_a.pk))
    page.select_option("select[name=form]", str(form("tren_cs_giay_khen").pk))
    page.select_option("select[name=recipient_kind]", kind)
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.fill("textarea[name=achievement]", "Đã có thành tích xuất sắc trong năm")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r".*/awards/nominations/\d+/$"))
    page.get_by_role("button", name="Trình Hội đồng").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã trình hồ sơ lên Hội đồng")


def test_nominate_approve_decide_and_read_the_documents(live_server, page, world, artifacts_dir):
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    login(page, base, "officer_a")
    nominate(page, base, world, "outside_body", outside_name=ENTERPRISE)
    nominate(page, base, world, "member", card_number=world.member_a.card_number)

    # The council of the district reviews both, then makes the decision.
    page.goto(f"{base}/awards/council/{world.unit_a.pk}/")
    expect(page.locator("#h-submitted")).to_contain_text("(2)")
    expect(page.locator("body")).to_contain_text(ENTERPRISE)
    today = dt.date.today().strftime("%d/%m/%Y")
    for _ in range(2):
        page.goto(f"{base}/awards/council/{world.unit_a.pk}/")
        page.locator("section", has=page.locator("#h-submitted")).get_by_role(
            "link", name="Xem xét"
        ).first.click()
        page.select_option("select[name=approve]", "1")
        page.fill("input[name=council_on]", today)
        page.locator("form", has=page.locator("select[name=approve]")).get_by_role(
            "button", name="Lưu"
        ).click()
        page.wait_for_url(re.compile(r".*/awards/council/\d+/$"))
    expect(page.locator("#h-approved")).to_contain_text("(2)")
    page.fill("input[name=number]", "15/QĐ-LĐLĐ")
    page.fill("input[name=signed_on]", today)
    page.fill("input[name=signer]", "Nguyễn Thị Ánh Dương")
    page.get_by_role("button", name="Ra quyết định khen thưởng").click()
    page.wait_for_url(re.compile(r".*/awards/decisions/\d+/$"))
    expect(page.locator("#recipients")).to_contain_text(ENTERPRISE)
    page.screenshot(path=str(artifacts_dir / "awards-decision.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Quyết định (.docx)").click()
    document = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(cells)
    assert "15/QĐ-LĐLĐ" in text and ENTERPRISE in text
    assert any("ALPHAhoa" in c for c in cells)

    with page.expect_download() as info:
        page.get_by_role("link", name="Bằng khen, giấy khen (.pdf)").first.click()
    pages = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes())).pages
    assert len(pages) == 2
    texts = [" ".join(p.extract_text().split()) for p in pages]
    assert any(ENTERPRISE in t for t in texts), texts
    assert any("Nguyễn Thị ALPHAhoa" in t for t in texts), texts
    assert not problems, problems
