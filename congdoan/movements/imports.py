"""The register's files: import from .xlsx / .csv and export, through the shared engine
(`congdoan.activities.imports`). Two files, one per list: activities (one row per work, model,
activity, class, propaganda session or dialogue) and collective agreements.

Rows are checked by the services' own rules (`services.check_activity`,
`check_agreement_fields`); an agreement already recorded (same unit, enterprise and signing day)
is found for the whole file in one query. A row's natural key is its unit, day, kind and title
(activities) or its unit, enterprise and signing day (agreements).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from congdoan.activities import imports as im
from congdoan.core.exceptions import RuleViolation
from congdoan.core.text import fold
from congdoan.movements import services
from congdoan.movements.models import REGISTER, Activity, ActivityKind, Agreement, AgreementRating

KINDS = {
    ActivityKind.WORK: ("Công trình, phần việc", "cong trinh", "phan viec", "cong trinh thi dua"),
    ActivityKind.MODEL: ("Mô hình", "mo hinh", "mo hinh dien hinh"),
    ActivityKind.CULTURE: ("Văn hóa, thể thao", "van hoa", "the thao", "van nghe"),
    ActivityKind.TRAINING: ("Lớp tập huấn", "tap huan", "boi duong", "lop tap huan"),
    ActivityKind.PROPAGANDA: ("Tuyên truyền nghị quyết", "tuyen truyen"),
    ActivityKind.DIALOGUE: ("Đối thoại", "doi thoai", "doi thoai tai noi lam viec"),
}
RATINGS = {r.value: (r.value, f"loai {r.value}") for r in AgreementRating}
UNIT = im.Column("unit", "Mã đơn vị", ("ma don vi", "don vi", "ma cdcs"), parse=im.unit(),
                 note="Để trống: đơn vị đang nhập.")  # fmt: skip
NOTES = im.Column("notes", "Ghi chú", ("ghi chu",), parse=im.text(2000), width=30)


def _refused(row: im.Row, ctx: im.Context, column: str, exc: RuleViolation) -> None:
    """A rule the row breaks, on its column when the rule names one."""
    ctx.error(row, column if ctx.spec.column(column) else "", str(exc))


# ---------------------------------------------------------------------------------------------
# Activities

ACTIVITY_COLUMNS = [
    UNIT,
    im.Column("kind", "Loại", ("loai", "loai hoat dong"), parse=im.choice(KINDS), required=True,
              width=24),
    im.Column("title", "Tên, nội dung", ("ten", "noi dung", "ten cong trinh", "chu de"),
              parse=im.text(300), required=True, width=36,
              note="Với tuyên truyền: tên nghị quyết."),
    im.Column("on", "Ngày", ("ngay", "ngay thuc hien", "ngay hoan thanh"), parse=im.date(),
              required=True, note="Công trình, mô hình: ngày hoàn thành, được công nhận."),
    im.Column("participants", "Số người tham gia", ("so nguoi", "so hoc vien", "so luot"),
              parse=im.integer(min_value=0, max_value=2**31 - 1)),
    im.Column("value", "Giá trị (đồng)", ("gia tri", "kinh phi"), parse=im.money()),
    im.Column("event", "Chào mừng sự kiện", ("chao mung", "su kien"), parse=im.text(300),
              width=26),
    im.Column("for_congress", "Chào mừng Đại hội Công đoàn", ("chao mung dai hoi", "dai hoi"),
              parse=im.yes_no(), default=False),
    im.Column("dan_van_kheo", "Dân vận khéo", ("dan van kheo", "dvk"), parse=im.yes_no(),
              default=False),
    NOTES,
]  # fmt: skip
ACTIVITY_FIELDS = ("kind", "title", "on", "participants", "value", "event", "for_congress",
                   "dan_van_kheo", "notes")  # fmt: skip


def activity_key(row: im.Row) -> tuple[Any, ...]:
    unit = row.get("unit")
    return ("activity", getattr(unit, "pk", unit), row.get("on"), row.get("kind"), row.get("title"))


def _activity(row: im.Row) -> Activity:
    values = {name: row.get(name) for name in ACTIVITY_FIELDS}
    for name in ("event", "notes"):
        values[name] = values[name] or ""
    for name in ("for_congress", "dan_van_kheo"):
        values[name] = bool(values[name])
    return Activity(unit=row["unit"], **values)


def prepare_activities(rows: list[im.Row], ctx: im.Context) -> None:
    for row in rows:
        try:
            services.check_activity(_activity(row))
        except RuleViolation as exc:
            _refused(row, ctx, exc.field or "", exc)


def write_activities(rows: list[im.Row], ctx: im.Context) -> list[Activity]:
    records = [_activity(row) for row in rows]
    for record in records:
        record.normalise()
    return im.bulk_write(Activity, records, ctx)


def export_activity(record: Activity) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in ACTIVITY_FIELDS}
    values["kind"] = KINDS[ActivityKind(record.kind)][0]
    return {**values, "unit": record.unit.code}


ACTIVITIES = im.Spec(
    register=REGISTER,
    sheet="Phong trào",
    columns=ACTIVITY_COLUMNS,
    key=activity_key,
    prepare=prepare_activities,
    write=write_activities,
    export_row=export_activity,
    export_queryset=lambda qs: qs.select_related("unit"),
    guide=[
        "Mỗi dòng là một công trình, phần việc thi đua, một mô hình, một hoạt động văn hóa, "
        "thể thao, một lớp tập huấn, một buổi tuyên truyền nghị quyết hoặc một cuộc đối thoại.",
        "Số liệu của đơn vị giữ sổ được tính từ các dòng này theo ngày ghi ở cột Ngày.",
        "Tuyên truyền nghị quyết: mỗi CĐCS có ít nhất một buổi trong kỳ được tính một lần.",
        "Chỉ công trình, phần việc mới ghi Chào mừng sự kiện; chỉ mô hình mới ghi Dân vận khéo; "
        "chỉ công trình và mô hình mới có Giá trị.",
    ],
    example={
        "kind": "Công trình, phần việc",
        "title": "Sửa chữa nhà văn hóa công nhân",
        "on": dt.date(2025, 4, 20),
        "value": 150_000_000,
        "event": "Đại hội XIII Công đoàn tỉnh",
        "for_congress": "Có",
    },
)


# ---------------------------------------------------------------------------------------------
# Collective agreements

AGREEMENT_COLUMNS = [
    UNIT,
    im.Column("enterprise", "Doanh nghiệp", ("doanh nghiep", "ten doanh nghiep"),
              parse=im.text(300), width=30, note="Để trống: doanh nghiệp của chính đơn vị."),
    im.Column("signed_on", "Ngày ký", ("ngay ky",), parse=im.date(), required=True),
    im.Column("expires_on", "Hiệu lực đến", ("hieu luc den", "ngay het han", "het hieu luc"),
              parse=im.date(), required=True),
    im.Column("renewed", "Ký lại", ("ky lai",), parse=im.yes_no(), default=False,
              note="Không: ký lần đầu."),
    im.Column("workers", "Số người lao động được hưởng", ("so nguoi lao dong", "so lao dong"),
              parse=im.integer(min_value=0, max_value=2**31 - 1)),
    im.Column("rating", "Xếp loại", ("xep loai", "loai"), parse=im.choice(RATINGS)),
    NOTES,
]  # fmt: skip
AGREEMENT_FIELDS = ("signed_on", "expires_on", "renewed", "workers", "rating", "notes")


def agreement_key(row: im.Row) -> tuple[Any, ...]:
    unit = row.get("unit")
    return ("agreement", getattr(unit, "pk", unit), row.get("enterprise"), row.get("signed_on"))


def _agreement(row: im.Row) -> Agreement:
    values = {name: row.get(name) for name in AGREEMENT_FIELDS}
    values.update(renewed=bool(values["renewed"]), rating=values["rating"] or "")
    values["notes"] = values["notes"] or ""
    unit = row["unit"]
    return Agreement(unit=unit, enterprise=row.get("enterprise") or unit.name, **values)


def _recorded(rows: list[im.Row]) -> set[tuple[int, str, Any]]:
    """(unit, enterprise, day) of the agreements already recorded for the file's units and
    days (one query)."""
    units = {row["unit"].pk for row in rows}
    days = {row["signed_on"] for row in rows}
    found = Agreement.objects.filter(Q(unit_id__in=units) & Q(signed_on__in=days))
    return set(found.values_list("unit_id", "enterprise_key", "signed_on"))


def prepare_agreements(rows: list[im.Row], ctx: im.Context) -> None:
    taken = _recorded(rows)
    for row in rows:
        record = _agreement(row)
        try:
            services.check_agreement_fields(record)
            mark = (record.unit.pk, fold(record.enterprise)[:300], record.signed_on)
            if mark in taken:
                raise services.agreement_clash(record)
            taken.add(mark)
        except RuleViolation as exc:
            _refused(row, ctx, exc.field or "", exc)


def write_agreements(rows: list[im.Row], ctx: im.Context) -> list[Agreement]:
    records = [_agreement(row) for row in rows]
    for record in records:
        record.normalise()
    return im.bulk_write(Agreement, records, ctx)


def export_agreement(record: Agreement) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in AGREEMENT_FIELDS}
    return {**values, "unit": record.unit.code, "enterprise": record.enterprise}


AGREEMENTS = im.Spec(
    register=REGISTER,
    model="movements.Agreement",
    sheet="Thỏa ước",
    columns=AGREEMENT_COLUMNS,
    key=agreement_key,
    prepare=prepare_agreements,
    write=write_agreements,
    export_row=export_agreement,
    export_queryset=lambda qs: qs.select_related("unit"),
    guide=[
        "Mỗi dòng là một bản thỏa ước lao động tập thể đơn vị đã ký.",
        "Thỏa ước có thời hạn từ 01 đến 03 năm; ghi cả các thỏa ước ký trước đây còn hiệu lực: "
        "số doanh nghiệp có thỏa ước được tính từ các thỏa ước còn hiệu lực cuối kỳ.",
        "Ký lại: Có nếu thỏa ước được ký lại; Không nếu ký lần đầu (ký mới).",
    ],
    example={
        "enterprise": "Công ty Cổ phần Thủy điện Nậm Na",
        "signed_on": dt.date(2025, 1, 15),
        "expires_on": dt.date(2028, 1, 14),
        "renewed": "Không",
        "workers": 120,
        "rating": "A",
    },
)
