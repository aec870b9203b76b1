"""The gradings' file, through the shared engine (`congdoan.activities.imports`): import from
.xlsx / .csv and export of the filtered list, one row per grading.

Schemes differ in their criteria, so the points are one cell, written as the export writes them:
"1.1: 8; 1.2: 9,5; …" (every criterion of the scheme the union is graded under). A row is a new
draft grading of the union of "Mã đơn vị" (within the importing unit's subtree) for the period
ending in "Năm", graded by its parent; the informative columns of the export (name, period,
scheme, total, category, status, decision) are read back but not imported: the total and the
category are computed, and confirming is a decision made on the grading's page.

Every row is checked by the services' own rules before anything is written (`prepare`): the
union is eligible (grassroots, operated the scheme's months, not dissolved), not yet graded for
the period, its parent is within the actor's scope, and every criterion has points from 0 to its
maximum; one problem per row, on the column it concerns. The gradings already recorded are found
for the whole file in one query. A row's natural key is its union and year, so an export imported
back creates nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from congdoan.activities import imports as im
from congdoan.activities.import_cells import CellError, clean_text
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.grading import selectors, services
from congdoan.grading.models import Grading, Scheme, Score
from congdoan.grading.templatetags.grading import points_text
from congdoan.organisation.models import Unit

_PAIR = re.compile(r"^\s*([\w.]+)\s*[:=]\s*([0-9]+(?:[.,][0-9]+)?)\s*$")


def scores_cell() -> im.Cell:
    """ "1.1: 8; 1.2: 9,5" → {"1.1": "8", "1.2": "9.5"} (checked against the scheme later)."""

    def parse(value: Any) -> dict[str, str]:
        text = clean_text(value)
        out: dict[str, str] = {}
        for part in (p for p in re.split(r"[;\n]", text) if p.strip()):
            found = _PAIR.match(part)
            if found is None:
                raise CellError(
                    _("Write the points as “1.1: 8; 1.2: 9,5”; this part is not: %(part)s")
                    % {"part": part.strip()[:40]}
                )
            code, points = found.group(1), found.group(2).replace(",", ".")
            if code in out:
                raise CellError(_("Criterion %(code)s is given twice.") % {"code": code})
            out[code] = points
        return out

    return im.Cell(parse, "text")


COLUMNS = [
    im.Column("unit", "Mã đơn vị", ("ma don vi", "ma cdcs"), parse=im.unit(), required=True,
              note="Mã của CĐCS được đánh giá, thuộc đơn vị đang nhập."),
    im.Column("name", "Tên CĐCS", ("ten cdcs",), width=36, note="Chỉ để đọc: không nhập."),
    im.Column("year", "Năm", ("nam", "nam ket thuc ky"),
              parse=im.integer(min_value=services.FIRST_YEAR, max_value=2200), required=True,
              width=8, note="Năm kết thúc kỳ đánh giá: 2025 với năm học 2024–2025."),
    im.Column("period", "Kỳ đánh giá", ("ky danh gia",), note="Chỉ để đọc."),
    im.Column("scheme", "Bộ tiêu chí", ("bo tieu chi",), width=14, note="Chỉ để đọc."),
    im.Column("scores", "Điểm theo tiêu chí", ("diem theo tieu chi", "diem"),
              parse=scores_cell(), required=True, width=60,
              note="Mọi tiêu chí của bộ tiêu chí, ví dụ “1.1: 8; 1.2: 9,5; …”."),
    im.Column("total", "Tổng điểm", ("tong diem",), width=10, note="Tính tự động."),
    im.Column("category", "Xếp loại", ("xep loai",), width=28, note="Tính tự động."),
    im.Column("status", "Trạng thái", ("trang thai",), width=12, note="Chỉ để đọc."),
    im.Column("graded_by", "Đơn vị đánh giá", ("don vi danh gia",), width=14,
              note="Chỉ để đọc: đơn vị cấp trên trực tiếp."),
    im.Column("decision_number", "Số quyết định", ("so quyet dinh",), note="Chỉ để đọc."),
    im.Column("decision_date", "Ngày quyết định", ("ngay quyet dinh",), parse=im.date(),
              note="Chỉ để đọc."),
    im.Column("notes", "Ghi chú", ("ghi chu",), parse=im.text(2000), width=30),
]  # fmt: skip
STATUS = {"draft": "Dự thảo", "confirmed": "Đã xác nhận"}


def key(row: im.Row) -> tuple[Any, ...]:
    unit = row.get("unit")
    return ("grading", getattr(unit, "pk", unit), row.get("year"))


def _refused(row: im.Row, ctx: im.Context, exc: RuleViolation) -> None:
    field = str(exc.field or "")
    column = "scores" if field.startswith("scores") else field if ctx.spec.column(field) else ""
    if column == "" and field in ("unit", "graded_by"):
        column = "unit"
    ctx.error(row, column, str(exc))


def prepare(rows: list[im.Row], ctx: im.Context) -> None:
    """Each row against the rules of `services.grading_create`, the file's gradings already
    recorded in one query."""
    pairs = [(r["unit"].pk, r["year"]) for r in rows]
    q = Q(pk__in=[])
    for unit_id, year in pairs:
        q |= Q(unit_id=unit_id, year=year)
    taken = set(Grading.objects.filter(q).values_list("unit_id", "year"))
    catalogue = list(Scheme.objects.order_by("-in_force_from", "pk"))
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=[p[0] for p in pairs]).select_related(
            "unit_type", "sector", "ownership", "parent"
        )
    }
    for row in rows:
        unit = units[row["unit"].pk]
        if (unit.pk, row["year"]) in taken:
            ctx.error(row, "year", _("%(unit)s already has a grading for %(year)s.")
                      % {"unit": im.unit_label(unit), "year": row["year"]})  # fmt: skip
            continue
        parent = unit.parent
        if parent is None or (
            ctx.actor is not None
            and not path_in_scope(ctx.actor, Action.ACTIVITIES_MANAGE, parent.path)
        ):
            ctx.error(row, "unit", _("Your roles do not allow grading %(unit)s: it is graded by "
                                     "the unit above it.") % {"unit": im.unit_label(unit)})  # fmt: skip
            continue
        try:
            scheme = services.check_eligible(
                unit, selectors.scheme_for(unit, row["year"], catalogue), row["year"]
            )
            services.check_scores(scheme, row["scores"])
        except RuleViolation as exc:
            _refused(row, ctx, exc)
            continue
        row["scheme_obj"] = scheme


def write(rows: list[im.Row], ctx: im.Context) -> Sequence[Grading]:
    return [
        services.grading_create(
            actor=ctx.actor,
            unit=row["unit"],
            year=row["year"],
            scheme=row["scheme_obj"],
            scores=row["scores"],
            notes=row.get("notes") or "",
        )
        for row in rows
    ]


def export_row(g: Grading) -> dict[str, Any]:
    scores = "; ".join(f"{s.criterion.code}: {points_text(s.points)}" for s in g.scores.all())
    return {
        "unit": g.unit.code,
        "name": g.unit.name,
        "year": g.year,
        "period": g.period,
        "scheme": g.scheme.code,
        "scores": scores,
        "total": points_text(g.total),
        "category": g.category.name,
        "status": STATUS.get(g.status, g.status),
        "graded_by": g.graded_by.code,
        "decision_number": g.decision_number,
        "decision_date": g.decision_date,
        "notes": g.notes,
    }


def export_queryset(qs: QuerySet[Grading]) -> QuerySet[Grading]:
    scores = Score.objects.select_related("criterion").order_by(
        "criterion__group__order", "criterion__order"
    )
    return qs.select_related("unit", "scheme", "category", "graded_by").prefetch_related(
        Prefetch("scores", queryset=scores)
    )


SPEC = im.Spec(
    register="grading",
    sheet="Xếp loại CĐCS",
    columns=COLUMNS,
    key=key,
    prepare=prepare,
    write=write,
    export_row=export_row,
    export_queryset=export_queryset,
    action=Action.ACTIVITIES_MANAGE,
    model="grading.Grading",
    guide=[
        "Mỗi dòng là kết quả chấm điểm một CĐCS cho một kỳ: mã CĐCS, năm kết thúc kỳ và điểm "
        "của mọi tiêu chí, viết “1.1: 8; 1.2: 9,5; …” như tệp xuất.",
        "Kết quả được ghi ở trạng thái dự thảo, do đơn vị cấp trên trực tiếp đánh giá; tổng "
        "điểm và xếp loại được tính tự động; việc xác nhận làm trên trang kết quả.",
        "Các cột chỉ để đọc (tên, kỳ, bộ tiêu chí, tổng điểm, xếp loại, trạng thái, quyết "
        "định) không được nhập.",
        "Tệp lỗi ở bất kỳ dòng nào thì không dòng nào được ghi.",
    ],
    example={
        "unit": "CDCS01",
        "year": 2025,
        "scores": "1.1: 9; 1.2: 8; 1.3: 13; 2.1: 9; 2.2: 8; 2.3: 4; 3.1: 9; 3.2: 8; 3.3: 4; "
        "4.1: 5; 4.2: 4; 4.3: 4,5",
    },
)
