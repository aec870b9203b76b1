"""The import engine (activities.imports) through a test register that writes `Keeping` rows:
errors by row and column, all or nothing, idempotent re-import, unit codes within the scope,
csv encodings, and uploads committed once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from congdoan.activities import import_engine, import_uploads
from congdoan.activities import imports as im
from congdoan.activities.models import ImportKey, ImportUpload, Keeping
from congdoan.activities.tests.import_helpers import HEADER, csv_bytes, xlsx_bytes
from congdoan.activities.tests.import_spec import SPEC
from congdoan.core.exceptions import RuleViolation

pytestmark = pytest.mark.django_db


def _run(world, data: bytes, name: str = "so.csv", actor=None, unit=None) -> im.Result:
    return im.run(SPEC, name, data, actor=actor or world.officer_a, unit=unit or world.unit_a)


def test_rows_are_imported_with_their_units_and_history(world):
    data = csv_bytes(
        [HEADER, ["A1", "Chăm lo", 2025, "", ""], ["", "kiem tra", "2024", "2025", ""]]
    )
    result = _run(world, data)
    assert result.ok and result.committed
    assert (result.rows, result.new, result.unchanged) == (2, 2, 0)
    kept = {(k.unit.code, k.register, k.from_year, k.until_year) for k in Keeping.objects.all()}
    assert kept == {("A1", "care", 2025, None), ("HA", "inspections", 2024, 2025)}
    history = Keeping.history.filter(history_change_reason="record_import")
    assert history.count() == 2
    for h in history:  # copied by the database: the same row as the record, stamped
        record = Keeping.objects.get(pk=h.id)
        assert (h.history_type, h.history_user) == ("+", world.officer_a)
        assert [getattr(h, f.attname) for f in Keeping._meta.concrete_fields] == [
            getattr(record, f.attname) for f in Keeping._meta.concrete_fields
        ]
    upload = ImportUpload.objects.get()
    assert (upload.created_count, upload.rows_total, upload.committed_at is not None) == (
        2,
        2,
        True,
    )


def test_errors_name_the_row_as_excel_numbers_it_and_the_column(world):
    data = xlsx_bytes(
        [
            ["Tiêu đề của sổ"],
            HEADER,
            ["A1", "Chăm lo", 2025, "", ""],
            ["A2", "Thi đua", 2025, "", ""],
            ["A2", "Chăm lo", "hai nghìn", "", ""],
            ["A2", "Chăm lo", 1999, "", "x" * 41],
            ["A2", "", 2025, "", ""],
        ]
    )
    result = _run(world, data, name="so.xlsx")
    assert not result.ok and not result.committed
    found = {(p.row, p.column) for p in result.errors}
    assert found == {(4, "Sổ"), (5, "Từ năm"), (6, "Từ năm"), (6, "Ghi chú"), (7, "Sổ")}
    messages = {(p.row, p.column): p.message for p in result.errors}
    assert "Thi đua" in messages[(4, "Sổ")] and "Chăm lo" in messages[(4, "Sổ")]
    assert "hai nghìn" in messages[(5, "Từ năm")]
    assert result.invalid == 4


def test_nothing_is_written_when_one_row_is_wrong(world):
    rows = [HEADER] + [["A1", w, 2025, "", ""] for w in ("Chăm lo", "Kiểm tra", "Phong trào")]
    rows.append(["A2", "Chăm lo", 2025, 2020, "until before from"])  # a database constraint
    rows[-1][3] = "1900"  # below min_value: a cell error
    result = _run(world, csv_bytes(rows))
    assert not result.ok
    assert Keeping.objects.count() == 0 and ImportKey.objects.count() == 0


def test_a_failing_write_leaves_nothing(world):
    # until_year < from_year breaks a check constraint in the middle of the bulk write
    rows = [HEADER, ["A1", "Chăm lo", 2025, "", ""], ["A2", "Chăm lo", 2025, 2020, ""]]
    with pytest.raises(IntegrityError):  # prepare should have refused it: a server error
        _run(world, csv_bytes(rows))
    assert Keeping.objects.count() == 0 and ImportKey.objects.count() == 0


def test_rows_imported_meanwhile_by_another_upload_leave_nothing(world):
    data = csv_bytes([HEADER, ["A1", "Chăm lo", 2025, "", ""], ["A2", "Chăm lo", 2025, "", ""]])
    ctx = im.Context(SPEC, actor=world.officer_a, unit=world.unit_a, filename="so.csv")
    checked = import_engine.check_rows(SPEC, "so.csv", data, ctx)
    assert checked.result.ok and len(checked.hashes) == 2
    ImportKey.objects.create(
        register=SPEC.register, unit=world.grass_a2, key_hash=checked.hashes[1], object_id=0
    )
    with pytest.raises(import_engine.KeyConflict):
        import_engine.commit_rows(checked)
    assert Keeping.objects.count() == 0 and ImportKey.objects.count() == 1


def test_reimport_creates_nothing_and_counts_unchanged(world):
    rows = [HEADER, ["A1", "Chăm lo", 2025, "", ""], ["A2", "Kiểm tra", 2024, "", ""]]
    first = _run(world, csv_bytes(rows))
    second = _run(world, xlsx_bytes(rows), name="so.xlsx")
    assert (first.new, second.new, second.unchanged) == (2, 0, 2)
    assert Keeping.objects.count() == 2 and ImportKey.objects.count() == 2
    # the same rows spelt otherwise (no diacritics, lower case) are the same keys
    third = _run(world, csv_bytes([HEADER, ["a1", "cham lo", 2025, "", ""]]))
    assert (third.new, third.unchanged) == (0, 1)


def test_rows_repeated_in_the_file_are_created_once(world):
    rows = [HEADER, ["A1", "Chăm lo", 2025, "", ""], ["A1", "CHAM LO", 2025, "", ""]]
    result = _run(world, csv_bytes(rows))
    assert (result.new, result.unchanged) == (1, 1)
    assert any("3" in w and "2" in w for w in result.warnings)
    assert Keeping.objects.count() == 1


def test_a_deleted_record_is_imported_again(world):
    rows = [HEADER, ["A1", "Chăm lo", 2025, "", ""]]
    _run(world, csv_bytes(rows))
    Keeping.objects.all().delete()
    again = _run(world, csv_bytes(rows))
    assert again.new == 1 and Keeping.objects.count() == 1
    assert ImportKey.objects.get().object_id == Keeping.objects.get().pk


def test_prepare_refuses_rows_against_the_database(world):
    Keeping.objects.create(unit=world.grass_a1, register="care", from_year=2020)
    result = _run(world, csv_bytes([HEADER, ["A1", "Chăm lo", 2025, "", ""]]))
    assert [(p.row, p.column) for p in result.errors] == [(2, "Sổ")]
    assert Keeping.objects.count() == 1


def test_a_unit_outside_the_subtree_or_the_scope_reads_as_missing(world):
    rows = [HEADER, ["B1", "Chăm lo", 2025, "", ""], ["ZZZ", "Chăm lo", 2025, "", ""]]
    result = _run(world, csv_bytes(rows))
    by_row = {p.row: p.message for p in result.errors}
    assert set(by_row) == {2, 3}
    assert by_row[2].replace("B1", "ZZZ") == by_row[3]  # one message for "not yours" and "none"
    assert "BETA" not in " ".join(by_row.values())
    # the national officer importing for unit A: B1 is outside A's subtree
    result = _run(world, csv_bytes(rows[:2]), actor=world.national)
    assert [p.row for p in result.errors] == [2]


def test_importing_for_a_unit_outside_the_scope_is_refused(world):
    with pytest.raises(RuleViolation):
        _run(world, csv_bytes([HEADER, ["B1", "Chăm lo", 2025, "", ""]]), unit=world.unit_b)
    assert ImportUpload.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1258"])
def test_csv_in_utf8_with_bom_and_in_windows_1258(world, encoding):
    rows = [HEADER, ["A1", "Kiểm tra, giám sát", 2025, "", "Hòa & “Bình” <b>"]]
    result = _run(world, csv_bytes(rows, encoding=encoding, sep=","), name="so.csv")
    assert result.ok, result.errors
    assert Keeping.objects.get().register == "inspections"
    assert bool(result.warnings) == (encoding == "cp1258")
    assert result.preview[0]["cells"][-1] == "Hòa & “Bình” <b>"


def test_header_variants_and_headers_without_diacritics(world):
    data = csv_bytes(
        [["MA DON VI", "so theo doi", "Năm bắt đầu (yyyy)", "Cột lạ"], ["A2", "Chăm lo", 2025, "?"]]
    )
    result = _run(world, data)
    assert result.ok and result.new == 1
    assert result.ignored == ["Cột lạ"]


def test_a_missing_required_column_and_a_file_without_header(world):
    result = _run(world, csv_bytes([["Mã đơn vị", "Sổ"], ["A1", "Chăm lo"]]))
    assert [(p.row, p.column) for p in result.errors] == [(None, "Từ năm")]
    result = _run(world, csv_bytes([["a", "b"], ["c", "d"]]))
    assert result.errors[0].row is None and "Mã đơn vị" in result.errors[0].message
    result = _run(world, b"PK\x03\x04 not a zip", name="so.xlsx")
    assert result.errors_total == 1 and result.errors[0].row is None


def test_refused_before_storing_by_name(world):
    with pytest.raises(RuleViolation):
        _run(world, b"x", name="so.xlsm")
    assert ImportUpload.objects.count() == 0


def test_xlsx_cells_dates_numbers_and_yes_no(world):
    rows = [
        [*HEADER, "Ngày sinh", "Đang theo dõi", "Điện thoại", "Số CCCD"],
        [
            "A1",
            "Chăm lo",
            2025.0,
            None,
            None,
            dt.date(1990, 2, 5),
            "x",
            "0912 345 678",
            "001190012345",
        ],
        ["A2", "Chăm lo", 2025, None, None, 1990, "có lẽ", 912345678, "12345"],
    ]
    result = _run(world, xlsx_bytes(rows), name="so.xlsx")
    columns = {(p.row, p.column) for p in result.errors}
    assert columns == {(3, "Ngày sinh"), (3, "Đang theo dõi"), (3, "Điện thoại"), (3, "Số CCCD")}


def test_upload_is_committed_once(world):
    data = csv_bytes([HEADER, ["A1", "Chăm lo", 2025, "", ""]])
    upload = import_uploads.upload_create(
        SPEC, actor=world.officer_a, unit=world.unit_a, filename="so.csv", data=data
    )
    checked = import_uploads.upload_check(SPEC, upload, actor=world.officer_a)
    assert checked.ok and checked.new == 1 and Keeping.objects.count() == 0
    upload.refresh_from_db()
    assert upload.result["new"] == 1 and upload.committed_at is None
    done = import_uploads.upload_commit(SPEC, upload, actor=world.officer_a)
    assert done.committed and Keeping.objects.count() == 1
    with pytest.raises(RuleViolation):
        import_uploads.upload_commit(SPEC, upload, actor=world.officer_a)
    assert Keeping.objects.count() == 1


def test_a_changed_stored_file_is_refused(world):
    data = csv_bytes([HEADER, ["A1", "Chăm lo", 2025, "", ""]])
    upload = import_uploads.upload_create(
        SPEC, actor=world.officer_a, unit=world.unit_a, filename="so.csv", data=data
    )
    upload.sha256 = "0" * 64
    upload.save()
    with pytest.raises(RuleViolation):
        import_uploads.upload_commit(SPEC, upload, actor=world.officer_a)
    assert Keeping.objects.count() == 0


def test_parsers():
    assert im.money()("1.500.000", None) == 1500000
    assert im.money()("1,500,000 đ", None) == 1500000
    assert im.money()(2500000.0, None) == 2500000
    for bad in ("1,5 triệu", "-5", "1.5", 12.5):
        with pytest.raises(im.CellError):
            im.money()(bad, None)
    assert im.date()("05/02/2025", None) == dt.date(2025, 2, 5)
    assert im.date()("2025-02-05", None) == dt.date(2025, 2, 5)
    assert im.date()(45693.0, None) == dt.date(2025, 2, 5)
    for bad in ("2025", "31/02/2025", "hôm qua"):
        with pytest.raises(im.CellError):
            im.date()(bad, None)
    assert im.integer()("1.500", None) == 1500
    assert im.choice({"a": ("Dân vận khéo", "dvk")})("DAN VAN KHEO", None) == "a"
    assert im.choice({"a": ("Dân vận khéo", "dvk")})("dvk", None) == "a"
    assert im.yes_no()("Không", None) is False
    assert im.code()(1234.0, None) == "1234"
    assert im.phone()("+84 912 345 678", None) == "0912345678"
    assert im.text(10)("  Nguyễn   Văn  ", None) == "Nguyễn Văn"
