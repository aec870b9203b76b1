"""The Excel round trip of indicator figures: a pre-filled template, and its import.

`template_for(user, unit, period, children=…)` builds the workbook of one unit, or of the units
directly below it as the tree stood at the end of the period (those the user may enter for):

- sheet "Số liệu": a title row, a hidden row of codes (`#ma_don_vi`, `#ten_don_vi`,
  `#trang_thai`, then one indicator code per column), a header row in Vietnamese, and one row
  per unit pre-filled with its current values. The import maps columns by the codes, so
  renaming or re-ordering the headers cannot misplace a figure. Rows of units whose figures are
  no longer a draft, and cells of indicators a unit does not enter, are locked and greyed.
- sheet "Chỉ tiêu": the targets, same layout (read only, ignored by the import);
- sheet "Hướng dẫn": how to fill it in.

`import_figures(actor=…, unit=…, period=…, data=…, filename=…, children=…)` reads such a file
with python-calamine, checks every cell (`services.check_value`) and every row (unit code,
scope, existence, sheet status, duplicates), and collects every problem with the file name,
the row and column as Excel shows them and the indicator's name. With any problem nothing is
written; otherwise the changed figures of every unit go through `services.values_save_many`
(history, roll-up) in one transaction. Unchanged cells are not written again, so importing the same file
twice changes nothing the second time; a row of a sheet that is no longer a draft is refused
only if it would change something.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db import transaction
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.text import fold
from congdoan.indicators import selectors, services
from congdoan.indicators.models import Indicator, Period, SheetStatus, ValueType
from congdoan.organisation.models import Unit

DATA_SHEET = "Số liệu"
TARGET_SHEET = "Chỉ tiêu"
GUIDE_SHEET = "Hướng dẫn"
CODE_UNIT = "#ma_don_vi"
CODE_NAME = "#ten_don_vi"
CODE_STATUS = "#trang_thai"
FIXED = (CODE_UNIT, CODE_NAME, CODE_STATUS)
HEAD_UNIT = "Mã đơn vị"
HEAD_NAME = "Tên đơn vị"
HEAD_STATUS = "Trạng thái"
TITLE_ROW, CODE_ROW, HEAD_ROW, FIRST_ROW = 0, 1, 2, 3  # 0-based, as xlsxwriter counts
CODE_SEARCH_ROWS = 20
MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
STATUS_WORDS = {
    "": "Chưa nhập",
    SheetStatus.DRAFT: "Đang nhập",
    SheetStatus.SUBMITTED: "Đã gửi",
    SheetStatus.APPROVED: "Đã duyệt",
    SheetStatus.LOCKED: "Đã khóa",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------------------
# Who and what: the units of a file and the indicators they enter


@dataclass
class Row:
    """A unit of the file: its id, code and name as of the period end, and its own object."""

    unit: Unit
    code: str
    name: str


def _units(user: Any, unit: Unit, period: Period, *, children: bool) -> list[Row]:
    """The unit itself, or its children on the period end within the user's enter scope."""
    if not children:
        return [Row(unit, unit.code, unit.name)]
    kids = selectors.children_on(unit.pk, period.end, user)
    objects = selectors.units_in_bulk([k for k, _n, _c in kids])
    return [
        Row(objects[k], code, name)
        for k, name, code in kids
        if k in objects and services.can_enter(user, objects[k])
    ]


def _indicators_by_type(units: list[Unit], period: Period) -> dict[int, list[Indicator]]:
    """The indicators each unit type enters (`services.indicators_for`, once per type)."""
    out: dict[int, list[Indicator]] = {}
    for u in units:
        if u.unit_type_id not in out:
            out[u.unit_type_id] = services.indicators_for(u, period)
    return out


def _ordered(indicators: dict[int, list[Indicator]]) -> list[Indicator]:
    union = {i.pk: i for inds in indicators.values() for i in inds}
    return sorted(union.values(), key=lambda i: (i.group.order, i.group.code, i.order, i.code))


def _number_format(indicator: Indicator) -> str:
    if indicator.value_type in (ValueType.COUNT, ValueType.MONEY):
        return "#,##0"
    return "#,##0.00"


# ---------------------------------------------------------------------------------------------
# Template


def guide_lines(period: Period) -> list[str]:
    return [
        "Hướng dẫn nhập số liệu chỉ tiêu bằng Excel",
        "",
        f"Kỳ báo cáo: {period.name}, từ ngày {short_date(period.start)} đến ngày "
        f"{short_date(period.end)}.",
        f"Mỗi dòng ở trang “{DATA_SHEET}” là một đơn vị (nhận ra theo cột “{HEAD_UNIT}”), mỗi cột "
        "là một chỉ tiêu. Các ô đã ghi sẵn là số liệu hiện có trên hệ thống.",
        "Nhập số vào ô, hoặc gõ số theo cách viết Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu "
        "phẩy trước phần thập phân (ví dụ 1.234.567 hoặc 12,5). Số lượng (người, đơn vị, cuộc…) "
        "và số tiền (đồng) phải là số nguyên, không âm; tỷ lệ (%) từ 0 đến 100.",
        "Để trống một ô là xóa số liệu đã có của chỉ tiêu đó; ô không đổi thì không ghi lại.",
        "Không sửa, không xóa dòng mã chỉ tiêu (dòng ẩn ngay dưới tiêu đề) và cột Mã đơn vị: hệ "
        "thống dựa vào đó để ghi đúng số vào đúng chỉ tiêu, đúng đơn vị. Có thể đổi tên, đổi "
        "thứ tự cột tiêu đề, thêm bớt dòng đơn vị.",
        "Các ô xám bị khóa: đơn vị không nhập chỉ tiêu đó, hoặc số liệu của đơn vị đã gửi, đã "
        "duyệt hay đã khóa (xem cột Trạng thái); muốn sửa, đề nghị cấp trên trả lại hoặc mở lại.",
        f"Trang “{TARGET_SHEET}” ghi chỉ tiêu được giao (để tham khảo, không nhập vào đó).",
        "Khi tải lên, hệ thống kiểm tra toàn bộ tệp: có lỗi thì báo từng dòng, từng cột và không "
        "ghi gì; không có lỗi thì ghi tất cả trong một lần.",
        "Tải lên cùng một tệp hai lần không làm thay đổi gì ở lần thứ hai.",
    ]


def _decimal_cell(sheet: Any, row: int, col: int, value: Decimal, fmt: Any) -> None:
    """Numbers as numbers (exact up to 15 digits); longer ones as text, read back exactly."""
    if len(value.normalize().as_tuple().digits) <= 15:
        sheet.write_number(row, col, float(value), fmt)
    else:
        sheet.write_string(row, col, format(value, "f"), fmt)


def render_template(
    *,
    unit: Unit,
    period: Period,
    rows: list[Row],
    indicators: list[Indicator],
    entered: dict[int, set[int]],
    values: dict[tuple[int, int], Decimal],
    targets: dict[tuple[int, int], Decimal],
    statuses: dict[int, str],
) -> bytes:
    """The workbook (pure renderer). `entered`: unit id → ids of the indicators it enters;
    `values` and `targets` by (unit id, indicator id); `statuses`: unit id → sheet status."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    title_fmt = book.add_format({"bold": True, "font_size": 13})
    sub_fmt = book.add_format({"italic": True, "font_color": "#555555"})
    head = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
    )
    code_fmt = book.add_format({"font_color": "#888888", "num_format": "@"})
    text_locked = book.add_format({"num_format": "@", "border": 1})
    grey_text = book.add_format(
        {"num_format": "@", "border": 1, "bg_color": "#EEEEEE", "font_color": "#666666"}
    )
    number_formats = ("#,##0", "#,##0.00")
    open_fmt = {
        f: book.add_format({"num_format": f, "border": 1, "locked": False}) for f in number_formats
    }
    shut_fmt = {
        f: book.add_format(
            {"num_format": f, "border": 1, "bg_color": "#EEEEEE", "font_color": "#666666"}
        )
        for f in number_formats
    }
    target_fmt = {f: book.add_format({"num_format": f, "border": 1}) for f in number_formats}
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True, "font_size": 13})

    main = book.add_worksheet(DATA_SHEET)
    goals = book.add_worksheet(TARGET_SHEET)
    guide = book.add_worksheet(GUIDE_SHEET)
    title = f"Số liệu {period.name} — {unit.name} ({unit.code})"
    if len(rows) != 1 or rows[0].unit.pk != unit.pk:
        title = f"Số liệu {period.name} — các đơn vị trực thuộc {unit.name} ({unit.code})"
    dates = f"Từ ngày {short_date(period.start)} đến ngày {short_date(period.end)}"
    formats = [_number_format(i) for i in indicators]

    for sheet, what in ((main, ""), (goals, "Chỉ tiêu giao — ")):
        sheet.write_string(TITLE_ROW, 0, what + title, title_fmt)
        sheet.write_string(TITLE_ROW, 3, dates, sub_fmt)
        for col, code in enumerate(FIXED):
            sheet.write_string(CODE_ROW, col, code, code_fmt)
        for col, ind in enumerate(indicators, start=len(FIXED)):
            sheet.write_string(CODE_ROW, col, ind.code, code_fmt)
        sheet.set_row(CODE_ROW, None, None, {"hidden": True})
        for col, text in enumerate((HEAD_UNIT, HEAD_NAME, HEAD_STATUS)):
            sheet.write_string(HEAD_ROW, col, text, head)
        for col, ind in enumerate(indicators, start=len(FIXED)):
            sheet.write_string(HEAD_ROW, col, f"{ind.name} ({ind.unit_of_measure})", head)
        sheet.set_row(HEAD_ROW, 75)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 36)
        sheet.set_column(2, 2, 11)
        if indicators:
            sheet.set_column(len(FIXED), len(FIXED) + len(indicators) - 1, 15)
        sheet.freeze_panes(FIRST_ROW, 2)

    for r, row in enumerate(rows, start=FIRST_ROW):
        u = row.unit.pk
        status = statuses.get(u, "")
        editable = status in ("", SheetStatus.DRAFT)
        mine = entered.get(u, set())
        for sheet in (main, goals):
            sheet.write_string(r, 0, row.code, text_locked if editable else grey_text)
            sheet.write_string(r, 1, row.name, text_locked if editable else grey_text)
            sheet.write_string(r, 2, STATUS_WORDS.get(status, status), text_locked)
        for col, (ind, fmt) in enumerate(zip(indicators, formats, strict=True), start=len(FIXED)):
            cell_fmt = open_fmt[fmt] if editable and ind.pk in mine else shut_fmt[fmt]
            value = values.get((u, ind.pk))
            if value is None:
                main.write_blank(r, col, None, cell_fmt)
            else:
                _decimal_cell(main, r, col, value, cell_fmt)
            target = targets.get((u, ind.pk))
            if target is not None:
                _decimal_cell(goals, r, col, target, target_fmt[fmt])
    options = {
        "format_cells": True,
        "format_columns": True,
        "format_rows": True,
        "sort": True,
        "autofilter": True,
    }
    main.protect("", options)
    goals.protect("", options)

    guide.set_column(0, 0, 110, wrap)
    for r, line in enumerate(guide_lines(period)):
        guide.write_string(r, 0, line, bold if r == 0 else wrap)
    main.activate()
    book.close()
    return out.getvalue()


def template_for(user: Any, unit: Unit, period: Period, *, children: bool) -> bytes:
    """The pre-filled workbook of `unit`, or of the units directly below it on the period end
    that `user` may enter figures for."""
    rows = _units(user, unit, period, children=children)
    units = [r.unit for r in rows]
    by_type = _indicators_by_type(units, period)
    indicators = _ordered(by_type)
    ids = [u.pk for u in units]
    values = selectors.value_amounts(unit_ids=ids, period=period, indicators=indicators)
    targets = selectors.target_values(period=period, unit_ids=ids, indicators=indicators)
    statuses = selectors.sheet_statuses(ids, period)
    # Figures a unit keeps in a register are counted from its records: grey, like the others
    # it does not enter.
    kept = selectors.kept_in_registers(ids, period, indicators)
    entered = {
        u.pk: {i.pk for i in by_type[u.unit_type_id] if i.code not in kept.get(u.pk, ())}
        for u in units
    }
    return render_template(
        unit=unit,
        period=period,
        rows=rows,
        indicators=indicators,
        entered=entered,
        values=values,
        targets=targets,
        statuses=statuses,
    )


def template_filename(unit: Unit, period: Period, *, children: bool) -> str:
    """so-lieu-HA-nam-2024.xlsx, so-lieu-truc-thuoc-HA-quy-iii-2026.xlsx."""
    words = "-".join(fold(period.name).replace("/", " ").split())
    code = "-".join(fold(unit.code).split()).upper()
    what = "so-lieu-truc-thuoc" if children else "so-lieu"
    return f"{what}-{code}-{words}.xlsx"


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class CellError:
    """One problem of an uploaded file; `row` and `column` as Excel shows them."""

    file: str
    row: int | None
    column: str
    field: str
    message: str

    @property
    def text(self) -> str:
        where = {"file": self.file, "row": self.row, "column": self.column, "field": self.field}
        if self.row is None:
            head = _("File %(file)s") % where
        elif not self.column:
            head = _("File %(file)s, row %(row)s") % where
        elif self.field:
            head = _("File %(file)s, row %(row)s, column %(column)s (%(field)s)") % where
        else:
            head = _("File %(file)s, row %(row)s, column %(column)s") % where
        return f"{head}: {self.message}"

    def __str__(self) -> str:
        return self.text


@dataclass
class ImportResult:
    filename: str
    errors: list[CellError] = field(default_factory=list)
    rows: int = 0  # unit rows read
    units: int = 0  # units whose figures changed
    figures: int = 0  # figures written (added, changed or removed)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _read_rows(filename: str, data: bytes) -> list[tuple[int, list[Any]]]:
    """The cells of the figures sheet, numbered as in Excel (the first row is 1)."""
    from python_calamine import CalamineError, CalamineWorkbook

    from congdoan.members.imports.reading import ImportFileError, check_xlsx, sheet_cells

    if not filename.lower().endswith(".xlsx"):
        raise _FileProblem(
            _("%(file)s is not an Excel workbook (.xlsx); download the template and fill it in.")
            % {"file": filename}
        )
    if len(data) > MAX_BYTES:
        raise _FileProblem(
            _("%(file)s is larger than %(max)s MB.")
            % {"file": filename, "max": MAX_BYTES // (1024 * 1024)}
        )
    not_xlsx = _FileProblem(
        _("%(file)s is not a valid Excel (.xlsx) file; open it in Excel and save it as .xlsx.")
        % {"file": filename}
    )
    try:
        check_xlsx(filename, data)
    except ImportFileError as exc:
        raise _FileProblem(exc.message) from exc
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise not_xlsx from exc
    try:
        names = list(book.sheet_names)
        wanted = [n for n in names if fold(n) == fold(DATA_SHEET)]
        others = [n for n in names if fold(n) not in {fold(TARGET_SHEET), fold(GUIDE_SHEET)}]
        for name in wanted + [n for n in others if n not in wanted]:
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > MAX_ROWS + CODE_SEARCH_ROWS:
                raise _FileProblem(
                    _("%(file)s has more than %(max)s rows.") % {"file": filename, "max": MAX_ROWS}
                )
            rows = list(enumerate(sheet_cells(sheet, filename), start=1))
            if _code_row(rows) is not None:
                return rows
    except CalamineError as exc:
        raise not_xlsx from exc
    except ImportFileError as exc:  # a cell calamine cannot convert
        raise _FileProblem(exc.message) from exc
    finally:
        book.close()
    raise _FileProblem(
        _(
            "%(file)s has no row of indicator codes (the hidden row under the title, starting "
            "with “%(mark)s”); download the template again and copy the figures into it."
        )
        % {"file": filename, "mark": CODE_UNIT}
    )


def _code_row(rows: list[tuple[int, list[Any]]]) -> int | None:
    for index, (_number, cells) in enumerate(rows[:CODE_SEARCH_ROWS]):
        if any(isinstance(c, str) and c.strip() == CODE_UNIT for c in cells):
            return index
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw(value: Any) -> Any:
    """A cell as check_value should see it; numbers shown the Vietnamese way in messages."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return repr(value).replace(".", ",")
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return str(value)
    return value


def _check_value(indicator: Indicator, raw: Any) -> Decimal | None:
    """`services.check_value`, with an exponent beyond what Decimal can compute ("1e1000000",
    decimal.Overflow) refused as too large, like any other number out of range."""
    try:
        return services.check_value(indicator, raw)
    except ArithmeticError as exc:
        raise RuleViolation(_("The number is too large."), field=indicator.code) from exc


def _unchanged(indicator: Indicator, raw: Any, stored: Decimal | None) -> bool:
    """Whether a cell holds the figure already stored (None: no figure stored)."""
    if stored is None:
        return False
    try:
        return _check_value(indicator, raw) == stored
    except RuleViolation:
        return False


def import_figures(
    *, actor: Any, unit: Unit, period: Period, data: bytes, filename: str, children: bool
) -> ImportResult:
    """Check a filled template and, if it has no problem at all, save its figures."""
    result = ImportResult(filename=filename)
    try:
        rows = _read_rows(filename, data)
    except _FileProblem as exc:
        result.errors.append(CellError(filename, None, "", "", exc.message))
        return result
    upload = _Upload(actor=actor, unit=unit, period=period, children=children, result=result)
    upload.read_columns(rows)
    upload.load_units()
    upload.check_rows(rows)
    if not result.errors and upload.changes:
        upload.save()
    return result


class _Upload:
    """One file being imported: the steps of `import_figures`, in order — the columns (by the
    row of codes), the units the file may name, each row's unit and cells, then one write."""

    def __init__(
        self, *, actor: Any, unit: Unit, period: Period, children: bool, result: ImportResult
    ):
        self.actor, self.unit, self.period, self.children = actor, unit, period, children
        self.result = result
        self.changes: dict[Unit, dict[str, Decimal | None]] = {}  # in the file's order
        self.first_row: dict[int, int] = {}  # unit id → its row

    def problem(self, row: int | None, col: int | None, name: str, message: str) -> None:
        letter = xl_col_to_name(col) if col is not None else ""
        self.result.errors.append(CellError(self.result.filename, row, letter, name, message))

    # -- columns

    def read_columns(self, rows: list[tuple[int, list[Any]]]) -> None:
        """The indicator of each column and the unit code's column, by the row of codes."""
        code_index = _code_row(rows)
        assert code_index is not None
        self.first_data = code_index + 1
        code_number, code_cells = rows[code_index]
        self.head_number, self.head_cells = (
            rows[code_index + 1] if code_index + 1 < len(rows) else (0, [])
        )
        known = {i.code: i for i in selectors.indicators_in(self.period) if i.is_entered}
        self.columns: dict[int, Indicator] = {}
        fixed: dict[str, int] = {}
        seen: dict[str, int] = {}
        for col, cell in enumerate(code_cells):
            code = _cell_text(cell)
            if not code:
                continue
            header = self._header(col) or code
            if code in seen:
                self.problem(
                    code_number,
                    col,
                    header,
                    _(
                        "The code “%(code)s” is also in column %(other)s; each column must be "
                        "different."
                    )
                    % {"code": code, "other": xl_col_to_name(seen[code])},
                )
                continue
            seen[code] = col
            if code in FIXED:
                fixed[code] = col
            elif code in known:
                self.columns[col] = known[code]
            else:
                self.problem(
                    code_number,
                    col,
                    header,
                    _(
                        "“%(code)s” is not the code of an indicator entered by units in this "
                        "period; do not change the row of codes (download the template again)."
                    )
                    % {"code": code},
                )
        self.unit_col = fixed[CODE_UNIT]
        self.unit_head = (
            self._header(self.unit_col) if self.unit_col < len(self.head_cells) else HEAD_UNIT
        )

    def _header(self, col: int) -> str:
        return _cell_text(self.head_cells[col]) if col < len(self.head_cells) else ""

    # -- units

    def load_units(self) -> None:
        """The units the file may name — the unit itself, and with `children` the units directly
        below it on the period end (within the actor's view scope; enter scope is checked per
        row) — and what their checks need, loaded once."""
        unit, period = self.unit, self.period
        kids = selectors.children_on(unit.pk, period.end, self.actor) if self.children else []
        objects = selectors.units_in_bulk([unit.pk, *[k for k, _n, _c in kids]])
        self.allowed: dict[str, Unit] = {}
        for k, _name, code in kids:
            if k in objects:
                self.allowed[fold(code).upper()] = objects[k]
                self.allowed.setdefault(fold(objects[k].code).upper(), objects[k])
        self.allowed[fold(unit.code).upper()] = objects.get(unit.pk, unit)
        units = list({u.pk: u for u in self.allowed.values()}.values())
        self.by_type = _indicators_by_type(units, period)
        ids = [u.pk for u in units]
        self.statuses = selectors.sheet_statuses(ids, period)
        self.stored = selectors.values_by_code(ids, period)
        every = {i.pk: i for inds in self.by_type.values() for i in inds}
        self.kept = selectors.kept_in_registers(ids, period, every.values())

    # -- rows

    def check_rows(self, rows: list[tuple[int, list[Any]]]) -> None:
        for number_, cells in rows[self.first_data :]:
            filled = [
                c
                for c, v in enumerate(cells)
                if (c in self.columns or c == self.unit_col) and _cell_text(v)
            ]
            if filled:
                self.check_row(number_, cells)

    def check_row(self, number_: int, cells: list[Any]) -> None:
        code = _cell_text(cells[self.unit_col]) if self.unit_col < len(cells) else ""
        target = self.allowed.get(fold(code).upper())
        if target is None and (number_ == self.head_number or fold(code) == fold(HEAD_UNIT)):
            return  # the header row (whatever its titles say)
        self.result.rows += 1
        target = self._row_unit(number_, code, target)
        if target is None:
            return
        changed = self._row_figures(number_, cells, target)
        if changed and self._row_editable(number_, target):
            self.changes[target] = changed

    def _row_unit(self, number_: int, code: str, target: Unit | None) -> Unit | None:
        """The row's unit, if the file may name it, once, and the actor may enter its figures
        for the period."""
        period, col, head = self.period, self.unit_col, self.unit_head
        if not code:
            self.problem(number_, col, head, _("The unit code is missing."))
            return None
        if target is None:
            if self.children:
                message = _(
                    "“%(code)s” is not the code of %(unit)s or of a unit directly below it at the "
                    "end of %(period)s."
                )
            else:
                message = _("“%(code)s” is not the code of %(unit)s.")
            words = {"code": code, "unit": self.unit.name, "period": period.label}
            self.problem(number_, col, head, message % words)
            return None
        if target.pk in self.first_row:
            self.problem(
                number_,
                col,
                head,
                _("%(unit)s already has a row (row %(row)s); keep one row per unit.")
                % {"unit": target.name, "row": self.first_row[target.pk]},
            )
            return None
        self.first_row[target.pk] = number_
        if not services.can_enter(self.actor, target):
            self.problem(
                number_,
                col,
                head,
                _("You may not enter figures for %(unit)s.") % {"unit": target.name},
            )
            return None
        if target.founded_on > period.end or (
            target.dissolved_on is not None and target.dissolved_on <= period.start
        ):
            self.problem(
                number_,
                col,
                head,
                _("%(unit)s did not exist during %(period)s.")
                % {"unit": target.name, "period": period.label},
            )
            return None
        return target

    def _row_figures(
        self, number_: int, cells: list[Any], target: Unit
    ) -> dict[str, Decimal | None]:
        """The row's figures that differ from those stored (nothing when a cell is refused)."""
        kept = self.kept.get(target.pk, set())
        mine = {i.code for i in self.by_type[target.unit_type_id]} - kept
        changed: dict[str, Decimal | None] = {}
        before = len(self.result.errors)
        for col, indicator in self.columns.items():
            raw = _raw(cells[col] if col < len(cells) else "")
            stored = self.stored.get((target.pk, indicator.code))
            if indicator.code not in mine:
                # A figure kept from before the unit's data set (pre-filled in its grey cell)
                # may come back unchanged; anything else is refused.
                if raw not in ("", None) and not _unchanged(indicator, raw, stored):
                    message = (
                        services.kept_message(target)
                        if indicator.code in kept
                        else _("%(unit)s does not enter this indicator; leave the cell empty.")
                        % {"unit": target.name}
                    )
                    self.problem(number_, col, indicator.name, message)
                continue
            try:
                value = _check_value(indicator, raw)
            except RuleViolation as exc:
                self.problem(number_, col, indicator.name, str(exc))
                continue
            if value != stored:
                changed[indicator.code] = value
        return changed if len(self.result.errors) == before else {}

    def _row_editable(self, number_: int, target: Unit) -> bool:
        """A row that changes something needs a draft sheet (or none yet)."""
        status = self.statuses.get(target.pk, "")
        if status in ("", SheetStatus.DRAFT):
            return True
        self.problem(
            number_,
            self.unit_col,
            self.unit_head,
            _(
                "The figures of %(unit)s for %(period)s are %(status)s; they can no longer "
                "be changed unless the unit above reopens them."
            )
            % {
                "unit": target.name,
                "period": self.period.label,
                "status": SheetStatus(status).label,
            },
        )
        return False

    # -- write

    def save(self) -> None:
        """Every changed figure in one transaction (`services.values_save_many`)."""
        try:
            with transaction.atomic():
                services.values_save_many(
                    actor=self.actor, period=self.period, entries_by_unit=self.changes
                )
        except services.EntryErrors as exc:
            for code, message in exc.errors:
                self.problem(None, None, code, message)
            return
        except RuleViolation as exc:  # the state changed since the checks (a sheet was submitted)
            self.result.errors.append(CellError(self.result.filename, None, "", "", str(exc)))
            return
        self.result.units = len(self.changes)
        self.result.figures = sum(len(c) for c in self.changes.values())
