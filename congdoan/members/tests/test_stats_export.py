"""The statistics page as Excel: the page's figures (same scope), numbers as numbers, read back
with python-calamine; no personal data."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from congdoan.members import counts, exports
from congdoan.members.models import ExitReason, Member
from congdoan.members.tests.test_counts import history  # noqa: F401 - the fixture
from congdoan.organisation.models import Cluster, ClusterMembership

D = dt.date
PERIOD = {"unit": "HA", "date_from": "01/01/2023", "as_of": "31/12/2023"}


def sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def row_of(rows: list[list], first: str) -> list:
    """The row that begins with `first`, without the empty cells that pad it to the sheet."""
    row = next(r for r in rows if r and r[0] == first)
    while row and row[-1] == "":
        row = row[:-1]
    return row


@pytest.mark.usefixtures("history")
def test_the_workbook_holds_the_pages_figures(client_of, world):
    client = client_of("officer_a")
    page = client.get(reverse("members:stats"), PERIOD)
    link = f"{reverse('members:stats_xlsx')}?unit=HA&amp;date_from=01%2F01%2F2023"
    assert link in page.content.decode()
    response = client.get(reverse("members:stats_xlsx"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('thong-ke-doan-vien-HA-20231231.xlsx"')
    book = sheets(response.content)
    assert list(book) == ["Đơn vị"]
    rows = book["Đơn vị"]
    assert rows[0][0] == world.unit_a.name
    assert rows[1][0] == "đoàn viên ngày 31/12/2023; biến động từ ngày 01/01/2023"
    header = rows[3]
    assert header[:6] == [
        "Đơn vị", "Mã", "Số đoàn viên ngày 31/12/2023", "Nữ", "Tỷ lệ nữ",
        "Số đoàn viên ngày 31/12/2022",
    ]  # fmt: skip
    result = page.context["result"]
    for r in result.rows:
        line = row_of(rows, r.name)
        assert line[1] == r.code
        assert line[2:4] == [r.figures.members, r.figures.women]  # numbers, not text
        assert line[7:10] == [r.figures.exits, r.figures.transfers_in, r.figures.transfers_out]
    total = row_of(rows, "Tổng cộng")
    assert total[2:4] == [3, 2] and total[4] == pytest.approx(2 / 3)
    assert total[9] == result.total.transfers_out == 1
    start = next(i for i, r in enumerate(rows) if r[0] == "Đoàn viên ra khỏi tổ chức, theo lý do")
    assert row_of(rows[start + 1 :], "Đơn vị")[2:] == [str(lb) for _c, lb in ExitReason.choices]
    # Formats Excel shows in its own language: thousands and percentages.
    styles = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/styles.xml").decode()
    assert 'formatCode="#,##0"' in styles and 'formatCode="0.0%"' in styles
    # No personal data: no member's name anywhere in the workbook.
    text = " ".join(str(c) for r in rows for c in r)
    assert not any(m.full_name in text for m in Member.objects.all())


@pytest.mark.usefixtures("history")
def test_exits_by_reason_and_english(client_of, world):
    client = client_of("officer_a")
    period = {"unit": "HA", "date_from": "01/01/2024", "as_of": "31/12/2024"}
    rows = sheets(client.get(reverse("members:stats_xlsx"), period).content)["Đơn vị"]
    start = next(i for i, r in enumerate(rows) if r[0] == "Đoàn viên ra khỏi tổ chức, theo lý do")
    codes = ExitReason.values
    total = row_of(rows[start:], "Tổng cộng")
    assert total[2 + codes.index("left_job")] == 1 and sum(total[2:]) == 1
    client.cookies["django_language"] = "en"
    rows = sheets(client.get(reverse("members:stats_xlsx"), period).content)["Units"]
    assert rows[3][:3] == ["Unit", "Code", "Members on 31/12/2024"]
    assert row_of(rows, "Total")[2] == 3


@pytest.mark.usefixtures("history")
def test_a_cluster_has_its_own_sheet(client_of, world):
    year = timezone.localdate().year
    cluster = Cluster.objects.create(code="cum-2", name="Cụm thi đua số 2", organiser=world.unit_a)
    ClusterMembership.objects.create(cluster=cluster, year=year, unit=world.grass_a1)
    ClusterMembership.objects.create(cluster=cluster, year=year, unit=world.grass_b1)
    response = client_of("officer_a").get(reverse("members:stats_xlsx"), {"cluster": cluster.pk})
    book = sheets(response.content)
    assert list(book) == ["Cụm thi đua"]
    rows = book["Cụm thi đua"]
    assert rows[0][0] == "Cụm thi đua số 2"
    assert rows[2][0].startswith("1 đơn vị thành viên nằm ngoài phạm vi của bạn")
    assert [r[0] for r in rows[5:]][:1] == [world.grass_a1.name]
    assert "BETA" not in " ".join(str(c) for r in rows for c in r)


@pytest.mark.usefixtures("history")
def test_scope_and_bad_parameters(client_of, world):
    # Officer B's own figures by default; unit A is "not found", with nothing of it named.
    client = client_of("officer_b")
    rows = sheets(client.get(reverse("members:stats_xlsx")).content)["Đơn vị"]
    assert rows[0][0] == world.unit_b.name
    response = client.get(reverse("members:stats_xlsx"), PERIOD)
    assert response.status_code == 400 and "ALPHA" not in response.content.decode()
    assert response.content.decode().startswith("Đơn vị:")
    response = client.get(reverse("members:stats_xlsx"), {"as_of": "31/02/2024"})
    assert response.status_code == 400 and "Tính đến ngày" in response.content.decode()


def test_the_renderer_needs_no_database():
    period = counts.Period(D(2025, 1, 1), D(2025, 6, 30))
    f = counts.Figures(members=1234567, women=617000, exits=3, exits_by_reason={"retired": 3})
    unit = counts.SubtreeCounts(
        unit_id=1, code="X", name="=CĐCS Xã", period=period, total=f,
        rows=[counts.Row(1, "X", "=CĐCS Xã", f, direct=True, active=False)],
    )  # fmt: skip
    rows = sheets(exports.stats_xlsx(period, unit=unit))["Đơn vị"]
    line = row_of(rows, "Trực tiếp tại =CĐCS Xã")  # text, never a formula
    assert line[2] == 1234567 and line[4] == pytest.approx(617000 / 1234567)
    assert line[-1] == "không còn thuộc cây tổ chức này"
