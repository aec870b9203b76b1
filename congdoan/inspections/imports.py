"""The files of the inspections and complaints registers: import from .xlsx / .csv and export,
through the shared engine (`congdoan.activities.imports`).

Inspections: one row is one inspection or supervision — the conducting unit (empty: the
importing unit), kind, body, partners, subject, decision, dates, findings, the codes of the units
of the tree it covered ("A1; A2") and the bodies outside the tree ("DN: Công ty A; CQ: Sở Y tế").
Rows are checked by the services' rules (`services.check_inspection`) and the units covered as
`services.inspected_add` checks them (within the conducting unit's subtree on the start day or
today, existing on the start day, within the importer's scope: "not found" otherwise), with one
query per kind of look-up for the whole file. Recommendations and follow-ups are recorded on the
inspection's page. A row's natural key: conducting unit, kind, start, decision number, subject.

Complaints: one row is one case; who sent it is a personal column (masked in exports).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from congdoan.activities import imports as im
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.text import fold
from congdoan.inspections import selectors, services
from congdoan.inspections.models import (
    Body,
    Complaint,
    ComplaintKind,
    Inspected,
    Inspection,
    InspectionKind,
    OutsideKind,
    key_of,
)

KINDS = {
    InspectionKind.CHARTER: ("Kiểm tra chấp hành Điều lệ", "dieu le", "kiem tra dieu le"),
    InspectionKind.FINANCE: ("Kiểm tra tài chính, tài sản", "tai chinh", "kiem tra tai chinh"),
    InspectionKind.COMPLAINTS: ("Kiểm tra giải quyết khiếu nại, tố cáo", "khieu nai to cao"),
    InspectionKind.DEMOCRACY: ("Kiểm tra Quy chế dân chủ", "quy che dan chu", "qcdc"),
    InspectionKind.POLICY: ("Giám sát thực hiện chính sách", "giam sat", "giam sat chinh sach"),
    InspectionKind.PARTY_217: ("Giám sát theo Quyết định 217", "217", "giam sat 217"),
}
BODIES = {
    Body.UBKT: ("UBKT", "uy ban kiem tra"),
    Body.BCH: ("BCH", "ban chap hanh", "ban thuong vu", "btv"),
}
OUTSIDE_PREFIXES = {"DN": OutsideKind.ENTERPRISE, "CQ": OutsideKind.AGENCY}
PREFIX_OF = {kind: prefix for prefix, kind in OUTSIDE_PREFIXES.items()}
COMPLAINT_KINDS = {
    ComplaintKind.COMPLAINT: ("Khiếu nại", "khieu nai"),
    ComplaintKind.DENUNCIATION: ("Tố cáo", "to cao"),
}


def _codes(value: Any, ctx: Any = None) -> tuple[str, ...]:
    """ "A1; a2, A3" → ("A1", "A2", "A3")."""
    text = im.text(2000)(value)
    parts = text.replace(",", ";").replace("\n", ";").split(";")
    return tuple(dict.fromkeys(p.strip().upper() for p in parts if p.strip()))


def _outside(value: Any, ctx: Any = None) -> tuple[tuple[str, str], ...]:
    """ "DN: Công ty A; CQ: Sở Y tế; Hội Nông dân" → ((name, kind), …), each body once."""
    out: dict[str, tuple[str, str]] = {}
    for part in im.text(2000)(value).split(";"):
        head, sep, rest = part.partition(":")
        kind = OUTSIDE_PREFIXES.get(head.strip().upper()) if sep else None
        name = (rest if kind else part).strip()
        if len(name) > 300:
            raise im.CellError(_("Too long: at most %(n)s characters.") % {"n": 300})
        if name:
            out.setdefault(fold(name), (name, str(kind or OutsideKind.OTHER)))
    return tuple(out.values())


COLUMNS = [
    im.Column("unit", "Mã đơn vị tiến hành", ("ma don vi", "don vi tien hanh", "ma don vi tien hanh"),
              parse=im.unit(), note="Để trống: đơn vị đang nhập."),
    im.Column("kind", "Loại", ("loai", "hinh thuc"), parse=im.choice(KINDS), required=True,
              width=30),
    im.Column("body", "Chủ thể", ("chu the", "co quan tien hanh"), parse=im.choice(BODIES),
              required=True, width=10),
    im.Column("partners", "Phối hợp với", ("phoi hop", "phoi hop voi"), parse=im.text(500),
              width=24),
    im.Column("title", "Nội dung", ("noi dung", "ten cuoc kiem tra"), parse=im.text(300), width=30),
    im.Column("decision_number", "Số quyết định", ("so quyet dinh", "so qd"), parse=im.text(60)),
    im.Column("decision_date", "Ngày quyết định", ("ngay quyet dinh", "ngay qd"), parse=im.date()),
    im.Column("started_on", "Từ ngày", ("tu ngay", "ngay bat dau"), parse=im.date(),
              required=True),
    im.Column("ended_on", "Đến ngày", ("den ngay", "ngay ket thuc"), parse=im.date()),
    im.Column("units", "Mã đơn vị được kiểm tra", ("don vi duoc kiem tra", "ma don vi duoc kiem tra"),
              parse=_codes, width=24, note="Mã các đơn vị trong hệ thống, cách nhau bởi dấu ;"),
    im.Column("outside", "Đơn vị ngoài hệ thống", ("don vi ngoai he thong", "doanh nghiep"),
              parse=_outside, width=30,
              note="Cách nhau bởi dấu ; — ghi “DN:” trước doanh nghiệp, “CQ:” trước cơ quan."),
    im.Column("findings", "Kết luận", ("ket luan", "ket qua"), parse=im.text(4000), width=40),
]  # fmt: skip
FIELDS = {c.key for c in COLUMNS}


def key(row: im.Row) -> tuple[Any, ...]:
    unit = row.get("unit")
    return (
        getattr(unit, "pk", unit), row.get("kind"), row.get("started_on"),
        row.get("decision_number") or "", row.get("title") or "",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Checks (one query per kind of look-up)


def _path_on(versions: list[tuple[Any, Any, str]], day: dt.date) -> str | None:
    for start, end, path in versions:
        if start <= day and (end is None or end > day):
            return path
    return None


def _target_problem(unit: Any, conducting: Any, day: dt.date, versions: dict[int, Any]) -> str:
    """Why `unit` cannot be covered by an inspection of `conducting` starting on `day` ("" if
    it can): the rule of `services.inspected_add`, on versions read once for the file."""
    then = _path_on(versions.get(unit.pk, []), day)
    conducting_then = _path_on(versions.get(conducting.pk, []), day)
    within = bool(then and conducting_then and then.startswith(conducting_then))
    if not (within or unit.path.startswith(conducting.path)):
        return _(
            "%(unit)s is not within %(conducting)s or the units below it: name it as a body "
            "outside the tree instead."
        ) % {"unit": im.unit_label(unit), "conducting": im.unit_label(conducting)}
    if then is None:
        return _("%(unit)s did not exist on %(day)s.") % {
            "unit": im.unit_label(unit),
            "day": short_date(day),
        }
    return ""


def _check_row(row: im.Row, ctx: im.Context, found: dict[str, Any], versions: Any) -> None:
    fields = {k: row.get(k) for k in services.INSPECTION_FIELDS}
    texts = ("partners", "title", "decision_number", "findings")
    fields.update({k: fields[k] or "" for k in texts})
    inspection = Inspection(unit=row["unit"], **fields)
    try:
        services.check_inspection(inspection)
    except RuleViolation as exc:
        ctx.error(row, exc.field if exc.field in FIELDS else "", str(exc))
        return
    missing = [c for c in row.get("units") or () if c not in found]
    if missing:
        message = _("No unit with the code %(codes)s was found within your scope.")
        ctx.error(row, "units", message % {"codes": ", ".join(missing)})
        return
    units = [found[c] for c in row.get("units") or ()]
    for unit in units:
        problem = _target_problem(unit, inspection.unit, inspection.started_on, versions)
        if problem:
            ctx.error(row, "units", problem)
            return
    row["_inspection"], row["_units"] = inspection, units


def prepare(rows: list[im.Row], ctx: im.Context) -> None:
    codes = {c for r in rows for c in r.get("units") or ()}
    found = selectors.units_by_codes(ctx.actor, codes) if codes else {}
    ids = {u.pk for u in found.values()} | {r["unit"].pk for r in rows}
    versions = selectors.versions_of(ids) if found else {}
    for row in rows:
        _check_row(row, ctx, found, versions)


def write(rows: list[im.Row], ctx: im.Context) -> list[Inspection]:
    inspections = []
    for row in rows:
        inspection = row["_inspection"]
        names = [u.name for u in row["_units"]] + [n for n, _k in row.get("outside") or ()]
        words = [inspection.title, inspection.decision_number, inspection.partners, *names]
        inspection.search_text = fold(" ".join(w for w in words if w))
        inspections.append(inspection)
    created = im.bulk_write(Inspection, inspections, ctx)
    targets = [
        Inspected(inspection=inspection, unit=unit, key=key_of(unit.pk, ""))
        for inspection, row in zip(created, rows, strict=True)
        for unit in row["_units"]
    ] + [
        Inspected(inspection=inspection, name=name, outside_kind=kind, key=key_of(None, name))
        for inspection, row in zip(created, rows, strict=True)
        for name, kind in row.get("outside") or ()
    ]
    im.bulk_write(Inspected, targets, ctx)
    return created


# ---------------------------------------------------------------------------------------------
# Export


def export_row(record: Inspection) -> dict[str, Any]:
    targets = list(record.targets.all())
    outside = [t for t in targets if t.unit is None]
    return {
        "unit": record.unit.code, "kind": KINDS[InspectionKind(record.kind)][0],
        "body": BODIES[Body(record.body)][0], "partners": record.partners, "title": record.title,
        "decision_number": record.decision_number, "decision_date": record.decision_date,
        "started_on": record.started_on, "ended_on": record.ended_on,
        "units": "; ".join(t.unit.code for t in targets if t.unit is not None),
        "outside": "; ".join(
            f"{PREFIX_OF[OutsideKind(t.outside_kind)]}: {t.name}"
            if t.outside_kind in PREFIX_OF else t.name
            for t in outside
        ),
        "findings": record.findings,
    }  # fmt: skip


def export_queryset(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return selectors.inspections_for_export(qs)


SPEC = im.Spec(
    register="inspections",
    sheet="Kiểm tra, giám sát",
    columns=COLUMNS,
    key=key,
    prepare=prepare,
    write=write,
    export_row=export_row,
    export_queryset=export_queryset,
    guide=[
        "Mỗi dòng là một cuộc kiểm tra hoặc giám sát của Ủy ban Kiểm tra (UBKT) hoặc Ban Chấp "
        "hành (BCH) của đơn vị tiến hành.",
        "Đơn vị được kiểm tra trong hệ thống công đoàn: ghi mã đơn vị, cách nhau bởi dấu ; — phải "
        "là đơn vị tiến hành hoặc đơn vị trực thuộc.",
        "Doanh nghiệp, cơ quan ngoài hệ thống công đoàn: ghi tên, cách nhau bởi dấu ; — ghi "
        "“DN:” trước tên doanh nghiệp, “CQ:” trước tên cơ quan.",
        "Cuộc kiểm tra được tính vào kỳ có ngày bắt đầu (cột Từ ngày). Kiến nghị và việc thực "
        "hiện kiến nghị ghi trên trang của cuộc kiểm tra.",
    ],
    example={
        "kind": KINDS[InspectionKind.CHARTER][0],
        "body": "UBKT",
        "started_on": dt.date(2026, 3, 10),
        "ended_on": dt.date(2026, 3, 20),
        "decision_number": "05/QĐ-UBKT",
        "units": "CS001; CS002",
        "outside": "DN: Công ty TNHH Minh An",
    },
)


# ---------------------------------------------------------------------------------------------
# Complaints

COMPLAINT_COLUMNS = [
    im.Column("unit", "Mã đơn vị giải quyết", ("ma don vi", "don vi giai quyet"), parse=im.unit(),
              note="Để trống: đơn vị đang nhập."),
    im.Column("kind", "Loại đơn", ("loai", "loai don"), parse=im.choice(COMPLAINT_KINDS),
              required=True),
    im.Column("received_on", "Ngày tiếp nhận", ("ngay nhan", "ngay tiep nhan"), parse=im.date(),
              required=True),
    im.Column("sender", "Người gửi", ("nguoi gui", "ho ten nguoi gui"), parse=im.text(200),
              personal=True, width=24),
    im.Column("summary", "Nội dung", ("noi dung", "noi dung don"), parse=im.text(4000),
              required=True, width=40),
    im.Column("resolved_on", "Ngày giải quyết", ("ngay giai quyet",), parse=im.date()),
    im.Column("outcome", "Kết quả giải quyết", ("ket qua", "ket qua giai quyet"),
              parse=im.text(4000), width=40),
]  # fmt: skip
COMPLAINT_FIELDS = {c.key for c in COMPLAINT_COLUMNS}


def complaint_key(row: im.Row) -> tuple[Any, ...]:
    unit = row.get("unit")
    return (getattr(unit, "pk", unit), row.get("kind"), row.get("received_on"), row.get("summary"))


def complaint_prepare(rows: list[im.Row], ctx: im.Context) -> None:
    for row in rows:
        fields = {k: row.get(k) for k in services.COMPLAINT_FIELDS}
        fields.update({k: fields[k] or "" for k in ("sender", "summary", "outcome")})
        complaint = Complaint(unit=row["unit"], **fields)
        try:
            services.check_complaint(complaint)
        except RuleViolation as exc:
            ctx.error(row, exc.field if exc.field in COMPLAINT_FIELDS else "", str(exc))
            continue
        row["_complaint"] = complaint


def complaint_write(rows: list[im.Row], ctx: im.Context) -> list[Complaint]:
    return im.bulk_write(Complaint, [row["_complaint"] for row in rows], ctx)


def complaint_export_row(record: Complaint) -> dict[str, Any]:
    return {
        "unit": record.unit.code, "kind": COMPLAINT_KINDS[ComplaintKind(record.kind)][0],
        "received_on": record.received_on, "sender": record.sender, "summary": record.summary,
        "resolved_on": record.resolved_on, "outcome": record.outcome,
    }  # fmt: skip


COMPLAINT_SPEC = im.Spec(
    register="complaints",
    sheet="Đơn thư",
    columns=COMPLAINT_COLUMNS,
    key=complaint_key,
    prepare=complaint_prepare,
    write=complaint_write,
    export_row=complaint_export_row,
    export_queryset=selectors.complaints_for_export,
    guide=[
        "Mỗi dòng là một vụ việc khiếu nại hoặc tố cáo đơn vị tiếp nhận.",
        "Vụ việc được tính là đã giải quyết vào kỳ có ngày giải quyết.",
        "Người gửi là dữ liệu cá nhân: chỉ người được xem dữ liệu cá nhân mới thấy; tệp xuất "
        "luôn che cột này.",
    ],
    example={
        "kind": "Khiếu nại",
        "received_on": dt.date(2026, 3, 2),
        "summary": "Khiếu nại việc bình xét hỗ trợ",
        "resolved_on": dt.date(2026, 3, 20),
    },
)
