"""Member import: reading files (formats, headers, cells) and refusing unsafe or oversized ones."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile

import pytest

from congdoan.members.imports import check_file, commit_file
from congdoan.members.imports.reading import ImportFileError, read_file
from congdoan.members.models import Member
from congdoan.members.tests.files import DEFAULT_KEYS, csv_bytes, member_rows, xlsx_bytes

D = dt.date
START = D(2020, 6, 1)


def rows(n=3, **kw):
    return member_rows(n, seed=kw.pop("seed", 3), earliest_admission=START, **kw)


def messages(result):
    return [(e["row"], e["column"], e["message"]) for e in result.errors]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- formats and headers ---------------------------------------------------------------------


def test_xlsx_and_csv_give_the_same_members(world):
    data = rows(5)
    a = check_file("a.xlsx", xlsx_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    b = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    c = check_file(
        "a.csv", csv_bytes(data, delimiter=";"), unit=world.grass_a1, actor=world.officer_a
    )
    assert a.ok and b.ok and c.ok, (a.errors, b.errors, c.errors)
    assert a.created == b.created == c.created == 5
    assert [p["full_name"] for p in a.preview] == [p["full_name"] for p in b.preview]


@pytest.mark.parametrize(
    "headers",
    [
        {"citizen_id": "CCCD", "job_title": "Chức danh", "phone": "SĐT"},
        {"citizen_id": "Số định danh cá nhân", "date_of_birth": "Ngày tháng năm sinh"},
        {"citizen_id": "so cccd", "given_name": "TÊN", "family_name": "HỌ", "sex": "gioi tinh"},
        {"citizen_id": "CMND/CCCD", "admitted_on": "Ngày vào Công đoàn", "card_number": "Số thẻ"},
    ],
)
def test_common_header_variants_are_recognised(world, headers):
    data = rows(2)
    result = check_file(
        "a.xlsx", xlsx_bytes(data, headers=headers), unit=world.grass_a1, actor=world.officer_a
    )
    assert result.ok, result.errors
    assert result.created == 2
    assert not [w for w in result.warnings if "ignored" in w["message"] or "bỏ qua" in w["message"]]


def test_full_name_column_is_split_into_family_middle_and_given_name(world):
    data = rows(1)
    data[0]["full_name"] = "Nguyễn Thị Thanh Hòa"
    keys = [
        "full_name",
        *[k for k in DEFAULT_KEYS if k not in ("family_name", "middle_name", "given_name")],
    ]
    result = commit_file(
        "a.xlsx", xlsx_bytes(data, keys=keys), unit=world.grass_a1, actor=world.officer_a
    )
    assert result.committed, result.errors
    m = Member.objects.get(pk=result.member_ids[0])
    assert (m.family_name, m.middle_name, m.given_name) == ("Nguyễn", "Thị Thanh", "Hòa")


def test_header_below_a_title_and_unknown_columns(world):
    data = rows(2)
    result = check_file(
        "a.xlsx",
        xlsx_bytes(
            data,
            title_rows=3,
            keys=[*DEFAULT_KEYS[:6], "admitted_on", "stt"],
            headers={"stt": "Số hiệu nội bộ"},
        ),
        unit=world.grass_a1,
        actor=world.officer_a,
    )
    assert result.ok, result.errors
    assert any(w["column"] == "Số hiệu nội bộ" for w in result.warnings)


def test_nfd_names_are_stored_as_nfc(world):
    data = rows(1)
    for key in ("family_name", "middle_name", "given_name", "address"):
        data[0][key] = unicodedata.normalize("NFD", data[0][key] + " Hoà Thuỷ")
    result = commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert result.committed, result.errors
    m = Member.objects.get(pk=result.member_ids[0])
    for value in (m.family_name, m.middle_name, m.given_name, m.address):
        assert unicodedata.is_normalized("NFC", value)
    assert "hoa thuy" in m.name_fold


def test_windows_1258_csv_is_read_with_a_warning(world):
    data = rows(2)
    raw = csv_bytes(data, encoding="utf-8").decode("utf-8")
    encoded = to_cp1258(raw)
    result = check_file("a.csv", encoded, unit=world.grass_a1, actor=world.officer_a)
    assert result.ok, result.errors
    assert result.created == 2
    assert any("1258" in w["message"] for w in result.warnings)
    assert result.preview[0]["full_name"] == " ".join(
        p for p in (data[0]["family_name"], data[0]["middle_name"], data[0]["given_name"]) if p
    )


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese software writes it: precomposed â ê ô ơ ư ă đ, tone
    marks as combining characters."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += base.encode("cp1258") + "".join(c for c in parts if c in TONES).encode("cp1258")
    return out


def test_template_example_row_is_skipped(world):
    from congdoan.members.imports.columns import EXAMPLE_NOTE

    data = rows(2)
    data[0]["note"] = EXAMPLE_NOTE
    result = check_file("a.xlsx", xlsx_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert result.ok and result.created == 1
    assert any("2" in w["message"] for w in result.warnings)


# --- cells -------------------------------------------------------------------------------------


def test_excel_dates_and_dd_mm_yyyy_text_and_serials(world):
    data = rows(3)
    data[0]["date_of_birth"] = D(1990, 2, 5)  # an Excel date cell
    data[1]["date_of_birth"] = "05/02/1990"  # text
    data[2]["date_of_birth"] = str((D(1990, 2, 5) - D(1899, 12, 30)).days)  # a serial number
    for r in data:
        r["citizen_id"] = ""
        r["admitted_on"] = D(2021, 3, 1)
    result = check_file(
        "a.xlsx",
        xlsx_bytes(data, numbers=("date_of_birth",)),
        unit=world.grass_a1,
        actor=world.officer_a,
    )
    assert result.ok, result.errors
    assert [p["date_of_birth"] for p in result.preview] == ["05/02/1990"] * 3


@pytest.mark.parametrize(
    "value, expected",
    [
        ("31/02/1990", "31/02/1990"),
        ("1990", "1990"),
        ("hôm qua", "hôm qua"),
    ],
)
def test_bad_dates_are_reported_with_row_and_column(world, value, expected):
    data = rows(2)
    data[1]["date_of_birth"] = value
    data[1]["citizen_id"] = ""
    result = check_file(
        "a.xlsx",
        xlsx_bytes(data, headers={"date_of_birth": "Ngày sinh (dd/mm/yyyy)"}),
        unit=world.grass_a1,
        actor=world.officer_a,
    )
    assert not result.ok
    [(row, column, message)] = messages(result)
    assert row == 3 and column == "Ngày sinh (dd/mm/yyyy)" and expected in message


def test_lost_leading_zero_is_reported_with_the_suggestion(world):
    data = rows(1)
    data[0]["citizen_id"] = "001190012345"
    data[0]["sex"] = "Nữ"
    data[0]["date_of_birth"] = D(1990, 1, 2)
    result = check_file(
        "a.xlsx",
        xlsx_bytes(data, numbers=("citizen_id",)),  # Excel stored it as the number 1190012345
        unit=world.grass_a1,
        actor=world.officer_a,
    )
    assert not result.ok
    [(row, column, message)] = messages(result)
    assert row == 2 and column == "Số CCCD"
    assert "001190012345" in message  # the suggestion, never applied silently


@pytest.mark.parametrize(
    "cccd, sex, born, fragment",
    [
        ("003190012345", "Nữ", D(1990, 1, 1), "003"),  # not a province code
        ("001090012345", "Nữ", D(1990, 1, 1), "nam"),  # the ID of a man
        ("001191012345", "Nữ", D(1990, 1, 1), "1991"),  # another birth year
        ("00119001234", "Nữ", D(1990, 1, 1), "11"),  # 11 digits, no valid repair
        ("1.23457E+11", "Nữ", D(1990, 1, 1), "E+11"),  # scientific notation
    ],
)
def test_citizen_id_rules(world, cccd, sex, born, fragment):
    data = rows(1)
    data[0].update(citizen_id=cccd, sex=sex, date_of_birth=born)
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert not result.ok
    assert any(fragment.lower() in e["message"].lower() for e in result.errors), result.errors


def test_legacy_cmnd_is_accepted(world):
    data = rows(1)
    data[0]["citizen_id"] = "012345678"
    result = commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert result.committed, result.errors
    assert Member.objects.get(pk=result.member_ids[0]).citizen_id == "012345678"


def test_values_of_lists_and_catalogues(world):
    data = rows(1)
    data[0].update(
        sex="nu",
        ethnicity="H'Mông",  # another spelling of Mông
        religion="phat giao",
        professional_level="dai hoc",
        political_theory="Trung cấp",
        hardship="x",
        disability="Không",
        party_member="",
        party_joined_on="",
        salary_base="5.200.000",
        phone="+84 912 345 678",
        citizen_id="",
    )
    result = commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert result.committed, result.errors
    m = Member.objects.select_related("ethnicity", "religion").get(pk=result.member_ids[0])
    assert m.sex == "F" and m.ethnicity.name == "Mông" and m.religion.code == "phat_giao"
    assert m.professional_level == "dai_hoc" and m.political_theory == "trung_cap"
    assert m.hardship is True and m.disability is False and m.phone == "0912345678"
    assert m.salary_base == 5_200_000


def test_unknown_values_are_errors_naming_the_value(world):
    data = rows(1)
    data[0].update(ethnicity="Kinh Mới", sex="Khác", professional_level="Giỏi", citizen_id="")
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    texts = " | ".join(e["message"] for e in result.errors)
    assert "Kinh Mới" in texts and "Khác" in texts and "Giỏi" in texts
    assert {e["column"] for e in result.errors} == {"Dân tộc", "Giới tính", "Trình độ chuyên môn"}


# --- refused files -------------------------------------------------------------------------------


def test_macro_workbooks_are_refused(world):
    with pytest.raises(ImportFileError):
        read_file("a.xlsm", xlsx_bytes(rows(1)))
    # An .xlsx that carries a VBA project is refused too.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows(1)))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00" * 100)
    result = check_file("a.xlsx", buffer.getvalue(), unit=world.grass_a1, actor=world.officer_a)
    assert not result.ok and "macro" in result.errors[0]["message"].lower()


def test_not_a_zip_is_refused(world):
    result = check_file(
        "a.xlsx", b"PK\x03\x04 not really", unit=world.grass_a1, actor=world.officer_a
    )
    assert not result.ok and result.errors[0]["row"] is None
    assert "xlsx" in result.errors[0]["message"]


def test_zip_bomb_is_refused_before_parsing(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))  # 30 MB of zeros
    data = buffer.getvalue()
    assert len(data) < 100_000
    with pytest.raises(ImportFileError) as exc:
        read_file("bomb.xlsx", data)
    assert "zip" in exc.value.message.lower()


def test_zip_with_lying_sizes_is_refused(world):
    """The directory says the entries are small; decompression proves otherwise."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    # Patch the uncompressed size of the big entry in the central directory and local header.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    data = bytearray(bytes(data).replace(real, (1000).to_bytes(4, "little")))
    with pytest.raises(ImportFileError):
        read_file("liar.xlsx", bytes(data))


def test_too_many_rows_and_too_large_files_are_refused(world, settings):
    settings.MEMBER_IMPORT_MAX_ROWS = 5
    result = check_file("a.xlsx", xlsx_bytes(rows(6)), unit=world.grass_a1, actor=world.officer_a)
    assert not result.ok and "5" in result.errors[0]["message"]
    result = check_file("a.csv", csv_bytes(rows(6)), unit=world.grass_a1, actor=world.officer_a)
    assert not result.ok
    settings.MEMBER_IMPORT_MAX_ROWS = 100
    settings.MEMBER_IMPORT_MAX_MB = 0
    result = check_file("a.csv", csv_bytes(rows(2)), unit=world.grass_a1, actor=world.officer_a)
    assert not result.ok and "MB" in result.errors[0]["message"]


def test_other_formats_are_refused(world):
    for name in ("a.xls", "a.pdf", "a.ods"):
        result = check_file(name, b"x", unit=world.grass_a1, actor=world.officer_a)
        assert not result.ok and result.errors[0]["file"] == name
