"""The files of the import engine read back: the template (headers, drop-downs, formats, the
example row the import skips, the guide) and the export (masked, text never a formula, imported
back without creating anything)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from congdoan.activities import exports, template
from congdoan.activities import imports as im
from congdoan.activities.models import Keeping
from congdoan.activities.tests.import_helpers import read_xlsx
from congdoan.activities.tests.import_spec import SPEC


def _sheet_xml(data: bytes, index: int) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


def test_template_headers_example_and_guide():
    data = template.render(SPEC)
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["Sổ theo dõi", "Hướng dẫn", "Danh mục"]
    hidden = {m.name: str(m.visible) for m in book.sheets_metadata}
    assert hidden["Danh mục"].endswith("Hidden")
    rows = read_xlsx(data, "Sổ theo dõi")
    assert rows[0][: len(SPEC.columns)] == [c.header for c in SPEC.columns]
    example = dict(zip([c.key for c in SPEC.columns], rows[1], strict=False))
    assert example["unit"] == "A1" and example["register"] == "Chăm lo"
    assert example["born"] == dt.date(1990, 2, 5)
    assert rows[1][len(SPEC.columns)].startswith("DÒNG VÍ DỤ")
    lists = read_xlsx(data, "Danh mục")
    assert [r[0] for r in lists] == ["Sổ", "Chăm lo", "Kiểm tra, giám sát", "Phong trào & mô hình"]
    guide = " ".join(r[0] for r in read_xlsx(data, "Hướng dẫn"))
    assert "Mỗi dòng là một sổ" in guide and "Từ năm" in guide


def test_template_drop_downs_formats_and_comments():
    data = template.render(SPEC)
    sheet = _sheet_xml(data, 1)
    assert 'type="list"' in sheet and "Danh mục" in sheet  # drop-downs from the hidden list
    assert 'type="date"' in sheet
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode()
        comments = next(n for n in z.namelist() if "comments" in n)
        notes = z.read(comments).decode()
    assert 'formatCode="@"' in styles and 'formatCode="dd/mm/yyyy"' in styles
    assert "Bắt buộc." in notes and "Chăm lo" in notes
    assert "<f>" not in sheet


@pytest.mark.django_db
def test_the_template_imported_as_it_is_creates_nothing(world):
    result = im.run(
        SPEC, "mau.xlsx", template.render(SPEC), actor=world.officer_a, unit=world.unit_a
    )
    assert result.ok and result.rows == 0 and Keeping.objects.count() == 0


@pytest.mark.django_db
def test_the_template_filled_in_is_imported_without_the_example_row(world):
    import xlsxwriter  # noqa: F401 - the filled template is built as officers do: a new row

    rows = read_xlsx(template.render(SPEC), "Sổ theo dõi")
    filled = [rows[0], rows[1], ["A2", "Kiểm tra", 2024.0]]
    from congdoan.activities.tests.import_helpers import xlsx_bytes

    result = im.run(SPEC, "so.xlsx", xlsx_bytes(filled), actor=world.officer_a, unit=world.unit_a)
    assert result.ok and (result.rows, result.new) == (1, 1)
    assert Keeping.objects.get().unit == world.grass_a2


@pytest.mark.django_db
def test_export_masks_personal_columns_and_writes_text_as_text(world):
    Keeping.objects.create(unit=world.grass_a1, register="care", from_year=2024)
    data = exports.export_xlsx(SPEC, Keeping.objects.select_related("unit"))
    rows = read_xlsx(data)
    header, row = rows[0], rows[1]
    assert header[0] == "Mã bản ghi" and header[1:] == [c.header for c in SPEC.columns]
    values = dict(zip(header, row, strict=True))
    assert values["Điện thoại"] == "*******678"
    assert values["Số CCCD"] == "**********45"
    assert values["Ngày sinh"] == "1990"
    assert values["Ghi chú"] == "=1+1 & <b> “Hòa”"  # text, not a formula, intact
    assert values["Sổ"] == "Chăm lo" and values["Từ năm"] == 2024
    assert "0912345678" not in str(rows) and "001190012345" not in str(rows)
    assert "<f>" not in _sheet_xml(data, 1)


@pytest.mark.django_db
def test_an_export_imported_back_creates_nothing(world):
    Keeping.objects.create(unit=world.grass_a1, register="care", from_year=2024)
    Keeping.objects.create(unit=world.grass_a2, register="movements", from_year=2023)
    data = exports.export_xlsx(SPEC, Keeping.objects.select_related("unit"))
    result = im.run(SPEC, "xuat.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert result.ok, result.errors
    assert (result.rows, result.new, result.unchanged) == (2, 0, 2)
    assert Keeping.objects.count() == 2


@pytest.mark.django_db
def test_an_export_naming_records_of_another_unit_is_refused(world):
    other = Keeping.objects.create(unit=world.grass_b1, register="care", from_year=2024)
    data = exports.export_xlsx(SPEC, Keeping.objects.filter(pk=other.pk))
    result = im.run(SPEC, "xuat.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert [(p.row, p.column) for p in result.errors] == [(2, "Mã bản ghi")]
    assert "BETA" not in result.errors[0].message


def test_masks():
    col = im.Column("x", "X", parse=im.phone(), personal=True)
    assert exports.mask(col, "0912345678") == "*******678"
    col = im.Column("x", "X", parse=im.text(), personal=True)
    assert exports.mask(col, "Số 1 Trần Phú") == "********"
    col = im.Column("x", "X", parse=im.date(), personal=True)
    assert exports.mask(col, dt.date(1990, 1, 2)) == "1990"
