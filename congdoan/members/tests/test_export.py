"""Exports of the member list: xlsx and csv read back, PDF produced; scope, Vietnamese order,
masking, formula neutralisation, and the logged export with personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.accounts.tests.helpers import confirmed_device, password_login, totp_code
from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.members import services
from congdoan.members.models import AccessKind, Ethnicity, Member, PersonalDataAccess
from congdoan.members.tests.pdfs import flat, pdf_pages

D = dt.date
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")
CCCD_A2 = "001190012345"


@pytest.fixture
def registry(world):
    """Members of A1/A2 with names that sort differently in Vietnamese and byte order, a
    citizen ID, an ethnicity, and a name that a spreadsheet would read as a formula."""
    admit = services.member_admit
    made = {
        "an": admit(actor=None, unit=world.grass_a2, family_name="Trần", given_name="An", sex="M",
                    admitted_on=D(2021, 1, 1), date_of_birth=D(1991, 1, 1)),
        "an2": admit(actor=None, unit=world.grass_a1, family_name="Lê", given_name="Ân", sex="M",
                     admitted_on=D(2021, 1, 1)),
        "dung": admit(actor=None, unit=world.grass_a1, family_name="Phạm", given_name="Dũng",
                      sex="M", admitted_on=D(2021, 1, 1)),
        "dat": admit(actor=None, unit=world.grass_a1, family_name="Võ", given_name="Đạt", sex="M",
                     admitted_on=D(2021, 1, 1)),
        "hoa": admit(actor=None, unit=world.grass_a2, family_name="Nguyễn", middle_name="Thị",
                     given_name="Hòa", sex="F", admitted_on=D(2021, 1, 1),
                     date_of_birth=D(1990, 7, 7), citizen_id=CCCD_A2,
                     ethnicity=Ethnicity.objects.get(code="03")),
        "formula": admit(actor=None, unit=world.grass_a1, family_name="=HYPERLINK(\"x\")",
                         given_name="Zung", sex="M", admitted_on=D(2021, 1, 1),
                         job_title="+84 tổ trưởng", note="@SUM(A1)"),
    }  # fmt: skip
    return made


def read_xlsx(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    return rows[0], rows[1:]


def read_csv(response):
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def column(header, rows, name):
    i = header.index(name)
    return [r[i] for r in rows]


def personal_officer(world, unit=None, username="pdo_a"):
    user = make_user(username, "personal_data_officer", unit or world.unit_a)
    device = confirmed_device(user)
    client = Client()
    password_login(client, username)
    assert (
        client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)}).status_code == 302
    )
    return user, client


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_in_vietnamese_order_within_scope_masked(client_of, world, registry, kind):
    response = client_of("officer_a").get(reverse(f"members:export_{kind}"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    header, rows = read_xlsx(response) if kind == "xlsx" else read_csv(response)
    given = column(header, rows, "Tên")
    # Given name first, in Vietnamese alphabetical order: Alphahoa < An < Ân < Dũng < Đạt < …
    assert given == [f"{MARKER_A}hoa", "An", "Ân", "Dũng", "Đạt", "Hòa", "Zung"]
    assert column(header, rows, "STT")[:3] == ["1", "2", "3"]
    assert "CCCD đã che" in header and "Số CCCD" not in header
    assert "Dân tộc" not in header and "Đảng viên" not in header
    masked = column(header, rows, "CCCD đã che")
    assert "**********45" in masked
    flat = " ".join(" ".join(map(str, r)) for r in rows)
    assert not TWELVE_DIGITS.search(flat) and "Thái" not in flat
    assert "BETA" not in flat
    # Cells a spreadsheet would read as formulas are neutralised.
    formula = next(r for r in rows if r[header.index("Tên")] == "Zung")
    assert formula[header.index("Họ")] == '\'=HYPERLINK("x")'
    assert formula[header.index("Chức vụ")] == "'+84 tổ trưởng"
    assert formula[header.index("Ghi chú")] == "'@SUM(A1)"
    assert not PersonalDataAccess.objects.exists()


def test_export_uses_the_list_filters(client_of, world, registry):
    response = client_of("officer_a").get(reverse("members:export_csv"), {"unit": "A2"})
    header, rows = read_csv(response)
    assert column(header, rows, "Tên") == ["An", "Hòa"]
    # A name's words, whole ("hoa" is not inside "ALPHAhoa"), the names written so first.
    response = client_of("officer_a").get(reverse("members:export_csv"), {"q": "hoa"})
    header, rows = read_csv(response)
    assert column(header, rows, "Tên") == ["Hòa"]
    response = client_of("officer_a").get(reverse("members:export_csv"), {"q": "alpha"})
    header, rows = read_csv(response)
    assert column(header, rows, "Tên") == [f"{MARKER_A}hoa"]
    # A unit outside one's scope is not found (400), never exported.
    response = client_of("officer_b").get(reverse("members:export_csv"), {"unit": "A1"})
    assert response.status_code == 400 and MARKER_A not in response.content.decode()


def test_officer_b_exports_only_unit_b(client_of, world, registry):
    for kind in ("csv", "xlsx"):
        response = client_of("officer_b").get(reverse(f"members:export_{kind}"))
        header, rows = read_xlsx(response) if kind == "xlsx" else read_csv(response)
        assert column(header, rows, "Tên") == ["BETAnam"]


def test_export_with_personal_data_needs_a_purpose_and_is_logged(world, registry):
    user, client = personal_officer(world)
    url = reverse("members:export_xlsx") + "?personal=1&unit=A2"
    form = client.get(url)
    assert form.status_code == 200 and 'name="purpose"' in form.content.decode()
    refused = client.post(url, {"purpose": "other", "detail": ""})
    assert refused.status_code == 400 and not PersonalDataAccess.objects.exists()
    response = client.post(url, {"purpose": "inspection", "detail": "Hồ sơ kiểm tra số 12"})
    assert response.status_code == 200
    header, rows = read_xlsx(response)
    assert "Số CCCD" in header and "Dân tộc" in header and "Đảng viên" in header
    assert CCCD_A2 in column(header, rows, "Số CCCD")
    assert "Thái" in column(header, rows, "Dân tộc")
    access = PersonalDataAccess.objects.get()
    assert access.user == user and access.kind == AccessKind.EXPORT
    assert access.member_count == 2 and "12" in access.purpose
    assert set(access.members.values_list("given_name", flat=True)) == {"An", "Hòa"}


def test_personal_export_is_refused_unless_every_member_is_within_the_right(world, registry):
    _user, client = personal_officer(world, unit=world.grass_a2)
    # A grant on A2 only, but the list (unit A) includes A1.
    url = reverse("members:export_csv") + "?personal=1&unit=HA"
    assert client.get(url).status_code in (403, 400)
    response = client.post(url, {"purpose": "inspection", "detail": "x"})
    assert response.status_code in (403, 400)
    assert not PersonalDataAccess.objects.exists()


def test_officer_without_the_right_cannot_export_personal_data(client_of, world, registry):
    client = client_of("officer_a")
    url = reverse("members:export_csv") + "?personal=1"
    assert client.get(url).status_code == 403
    assert client.post(url, {"purpose": "inspection", "detail": "x"}).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_exported_file_can_be_imported_again_without_changes(world, registry, settings, tmp_path):
    """An export with personal data has the template's columns: importing it changes nothing."""
    from congdoan.members.imports import check_file

    settings.MEDIA_ROOT = tmp_path
    Member.objects.filter(pk=registry["formula"].pk).delete()
    _user, client = personal_officer(world)
    url = reverse("members:export_csv") + "?personal=1&unit=A2"
    response = client.post(url, {"purpose": "other", "detail": "round trip"})
    data = b"".join(response.streaming_content)
    result = check_file("export.csv", data, unit=world.grass_a2, actor=world.officer_a)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_printable_list_pdf(client_of, world, registry):
    """The printable list read back: heading, every member of the unit in the official order,
    no identity number (the list has no such column), nothing of other units."""
    services.member_update(actor=None, member=registry["dung"], citizen_id="001090012345")
    response = client_of("officer_a").get(reverse("members:export_pdf"), {"unit": "A1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    text = flat(pages[0])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "DANH SÁCH ĐOÀN VIÊN" in text
    assert f"CĐCS {MARKER_A} Một" in text and "tổng số 5 đoàn viên, trong đó 1 nữ" in text
    rows = [line for line in pages[0].splitlines() if re.match(r"\d+ ", line)]
    expected = [f"Nguyễn Thị {MARKER_A}hoa", "Lê Ân", "Phạm Dũng", "Võ Đạt", '=HYPERLINK("x") Zung']
    assert len(rows) == 5, rows
    assert all(r.split(" ", 1)[1].startswith(n) for r, n in zip(rows, expected, strict=True))
    assert "BETA" not in text and CCCD_A2 not in text and "001090012345" not in text
    assert not TWELVE_DIGITS.search(text.replace("CDA0001", ""))


def test_printable_list_data_is_masked_numbered_and_ordered(world, registry):
    from congdoan.members import exports
    from congdoan.members.filters import MemberFilterSet

    class R:
        user = world.officer_a
        GET: dict = {}

    qs = MemberFilterSet({"unit": "HA"}, queryset=Member.objects.all(), request=R()).qs
    data = exports.printed_list(qs.in_vietnamese_order(), unit=world.unit_a, today=D(2025, 2, 5))
    assert [r["n"] for r in data.rows] == [str(i) for i in range(1, 8)]
    assert [r["name"].split()[-1] for r in data.rows][1:5] == ["An", "Ân", "Dũng", "Đạt"]
    assert data.place_date.endswith("ngày 05 tháng 02 năm 2025")
    assert data.issuer == world.unit_a.name and data.issuer_parent == world.province.name
    assert data.women == 2 and data.total == 7
