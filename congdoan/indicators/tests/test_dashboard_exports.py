"""Exports of the dashboard (Excel, PDF) and of the ranking (Excel): read back with
python-calamine and pypdf; the same scope as the pages (404 outside it, nothing of a unit
outside the user's scope in the file)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from congdoan.core.tests.support import MARKER_A, MARKER_B, unit_type
from congdoan.indicators import dashboards, exports
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.figures_world import build_figures, enter
from congdoan.organisation import services as org

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def figures(world):
    return build_figures(world, period_open(actor=None, kind=PeriodKind.YEAR, year=2024))


def url(name, unit, period):
    return reverse(f"indicators:{name}", kwargs={"pk": unit.pk, "period": period.pk})


def sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def text_of(rows: list[list]) -> str:
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def words(pages: list[str]) -> str:
    """The text of every page on one line (a cell's words may wrap)."""
    return " ".join(" ".join(pages).split())


def test_the_dashboard_in_excel(world, figures, client_of):
    response = client_of("officer_a").get(url("dashboard_xlsx", world.unit_a, figures))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="tong-quan-nam-2024-HA.xlsx"'
    book = sheets(response.content)
    assert list(book) == ["Số liệu chính", "Đơn vị trực thuộc", "Xếp hạng"]
    summary = book["Số liệu chính"]
    assert summary[0][0] == f"Tổng quan: {world.unit_a.name}, Năm 2024"
    whole = text_of(summary)
    assert "1/2 chỉ tiêu đạt và vượt, trong đó 1 chỉ tiêu vượt." in whole
    assert "Xếp hạng trong số 2 đơn vị cùng cấp trên theo số chỉ tiêu đạt: thứ 2/2" in whole
    head = next(r for r in summary if r[0] == "Chỉ tiêu")
    assert head[7] == "Năm 2023"
    rows = {r[0]: r for r in summary[summary.index(head) + 1 :]}
    new = rows["Kết nạp đoàn viên mới"]
    # Figures are numbers: value, target, % of target; then status and rank in words.
    assert new[1:5] == ["người", 12.0, 10.0, 120.0] and new[5] == "vượt"
    assert new[8] == "thứ nhất/2"
    gifts = rows["Suất quà thăm hỏi, hỗ trợ đoàn viên, người lao động"]
    assert gifts[2:5] == [18.0, 20.0, 90.0] and gifts[7] == 9.0

    below = book["Đơn vị trực thuộc"]
    head = below[2]
    assert head[:3] == ["Đơn vị", "Mã", "Đoàn viên cuối kỳ (theo sổ đoàn viên) (người)"]
    new = head.index("Kết nạp đoàn viên mới (người)")
    assert head[new + 1 : new + 3] == ["Chỉ tiêu giao", "Tỷ lệ đạt"]
    units = {r[1]: r for r in below[3:]}
    assert set(units) == {"A1", "A2"}
    assert units["A1"][new : new + 3] == [8.0, 4.0, 200.0]
    assert units["A2"][-2:] == ["bản nháp", "nộp chậm"]
    # Officer A: unit B is ranked, never named.
    for rows_ in book.values():
        assert MARKER_B not in text_of(rows_)
    ranking = text_of(book["Xếp hạng"])
    assert "Cụm 1" in ranking and "1 đơn vị ngoài phạm vi của bạn" in ranking


def test_the_national_admin_sees_the_cluster_in_full(world, figures, client_of):
    data = client_of("national").get(url("dashboard_xlsx", world.unit_a, figures)).content
    ranking = sheets(data)["Xếp hạng"]
    names = [r[1] for r in ranking]
    assert world.unit_b.name in names and world.unit_a.name in names
    total = next(r for r in ranking if r[1] == "Tổng cộng")
    assert 22.0 in total  # new members over the cluster


def test_the_dashboard_in_pdf(world, figures, client_of):
    response = client_of("officer_a").get(url("dashboard_pdf", world.unit_a, figures))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = words(pdf_pages(response.content))
    assert f"Tổng quan: {world.unit_a.name}, Năm 2024" in text
    assert "chỉ tiêu đạt và vượt" in text and "thứ 2/2" in text
    assert world.grass_a1.name in text and world.grass_a2.name in text
    assert "120%" in text and "Năm 2023" in text
    assert MARKER_B not in text


def test_a_long_pdf_has_page_numbers(world, figures, client_of):
    for i in range(45):
        unit = org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"AP{i:02d}",
            name=f"CĐCS {MARKER_A} số {i:02d} có tên rất dài của một doanh nghiệp ngoài nhà nước",
            short_name="",
            unit_type=unit_type("cdcs"),
            day=world.unit_a.founded_on,
        )
        enter(world, unit, figures, suat_qua=i + 1)
    pages = pdf_pages(
        client_of("officer_a").get(url("dashboard_pdf", world.unit_a, figures)).content
    )
    assert len(pages) >= 2
    # Decree 30: a number on every page from the second on (at the top; pypdf may read it
    # last), none on the first.
    for number, page in enumerate(pages, start=1):
        lines = page.strip().splitlines()
        assert (str(number) in (lines[0], lines[-1])) == (number > 1), (number, lines[:2])
    text = words(pages)
    assert "(AP00)" in text and "(AP44)" in text


def test_the_ranking_in_excel(world, figures, client_of):
    cluster = world.extra["cluster"]
    query = {"by": "suat_qua", "among": f"cluster:{cluster.pk}"}
    response = client_of("national").get(url("ranking_xlsx", world.unit_a, figures), query)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    (rows,) = sheets(response.content).values()
    assert rows[0][0] == f"Xếp hạng: {world.unit_a.name}, Năm 2024"
    ranked = [(r[0], r[2]) for r in rows if r[2] in ("HA", "HB")]
    assert ranked == [("thứ nhất/2", "HB"), ("thứ 2/2", "HA")]
    response = client_of("officer_a").get(url("ranking_xlsx", world.unit_a, figures), query)
    whole = text_of(sheets(response.content)["Xếp hạng"])
    assert MARKER_B not in whole and world.unit_a.name in whole


def test_exports_follow_the_scope(world, figures, client_of):
    b = client_of("officer_b")
    for name in ("dashboard_xlsx", "dashboard_pdf", "ranking_xlsx"):
        response = b.get(url(name, world.unit_a, figures))
        assert response.status_code == 404, name
        assert MARKER_A.encode() not in response.content
    a = client_of("officer_a")
    query = {"by": "suat_qua", "among": "cluster:0"}
    assert a.get(url("ranking_xlsx", world.unit_a, figures), query).status_code == 404
    assert a.get(url("dashboard_xlsx", world.unit_b, figures)).status_code == 404


def test_the_dashboard_links_its_exports(world, figures, client_of):
    page = client_of("officer_a").get(
        url("dashboard", world.unit_a, figures), {"key": "suat_qua", "sort": "-suat_qua"}
    )
    body = page.content.decode()
    assert url("dashboard_xlsx", world.unit_a, figures) + "?sort=-suat_qua&amp;key=suat_qua" in body
    assert url("dashboard_pdf", world.unit_a, figures) in body
    ranking = client_of("officer_a").get(url("ranking", world.unit_a, figures), {"by": "suat_qua"})
    assert url("ranking_xlsx", world.unit_a, figures) + "?by=suat_qua&amp;among=siblings" in (
        ranking.content.decode()
    )


def test_a_unit_named_like_a_formula_stays_text(world, figures):
    d = dashboards.dashboard(world.national, world.province, figures, with_trends=False, page=None)
    d.children.rows[0].name = "=HYPERLINK(1)"
    book = sheets(exports.dashboard_xlsx(d))
    assert "=HYPERLINK(1)" in [r[0] for r in book["Đơn vị trực thuộc"]]


def test_english_exports(world, figures, client_of):
    client = client_of("officer_a")
    client.cookies["django_language"] = "en"
    data = client.get(url("dashboard_xlsx", world.unit_a, figures)).content
    book = sheets(data)
    assert list(book) == ["Key figures", "Units below", "Rankings"]
    whole = text_of(book["Key figures"])
    assert "Ranked 2nd of 2" in whole and "Year 2023" in whole and "people" in whole
    text = words(pdf_pages(client.get(url("dashboard_pdf", world.unit_a, figures)).content))
    assert "Dashboard:" in text and "Year 2024" in text and "thứ" not in text
