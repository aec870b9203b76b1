"""The welfare register's files (`activities.imports`): the agreements partners and units list,
and the uses partners report ("1.250 lượt đoàn viên", or a list of members with card numbers).

- AGREEMENTS (register "welfare"): one row per agreement; its natural key is the signing unit,
  the partner (without case or diacritics) and the signing day, as for agreements typed in.
- USES (register code "welfare_uses", its own namespace of imported rows and uploads): one row
  per use or count of uses; the agreement is the one of the row's unit with that partner in
  force on the day of use (the signing day tells two apart). A member is named by card number:
  one the importing officer may see, of a union within the agreement's unit.

Each row is checked with the rules of the services (`check_agreement_fields`,
`check_use_fields`); look-ups take one query per kind for the whole file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from congdoan.activities import imports as im
from congdoan.activities.import_cells import clean_text
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.permissions import Action
from congdoan.core.scoping import scope_q
from congdoan.welfare import services
from congdoan.welfare.models import REGISTER, Agreement, BenefitUse, PartnerKind, partner_key

USES = "welfare_uses"
NOT_FOUND = "No member with this card number was found within your scope."
OUTSIDE = "This member does not belong to a union within %(unit)s, which signed the agreement."
KINDS = {
    PartnerKind.BANK: ("Ngân hàng", "ngan hang", "tin dung", "quy tin dung"),
    PartnerKind.RETAIL: ("Siêu thị, cửa hàng", "sieu thi", "cua hang", "ban le", "thuong mai"),
    PartnerKind.HEALTH: ("Bệnh viện, phòng khám", "benh vien", "phong kham", "y te", "nha thuoc"),
    PartnerKind.EDUCATION: ("Trường học, cơ sở đào tạo", "truong hoc", "giao duc", "dao tao"),
    PartnerKind.TELECOM: ("Viễn thông", "vien thong", "dien thoai", "internet"),
    PartnerKind.INSURANCE: ("Bảo hiểm", "bao hiem"),
    PartnerKind.TRAVEL: ("Du lịch, khách sạn, vận tải", "du lich", "khach san", "van tai"),
    PartnerKind.HOUSING: ("Nhà ở", "nha o", "bat dong san"),
    PartnerKind.OTHER: ("Khác", "khac", "doi tac khac"),
}


def percent() -> im.Cell:
    """A rate from 0 to 100 as typed: 5, "12,5", "12.5%" (an Excel percentage cell, 0.05,
    cannot be told from a typed 0,05: the guide asks for the number)."""

    def parse(value: Any) -> Decimal:
        text = clean_text(value).replace("%", "").replace(",", ".").strip()
        try:
            rate = Decimal(text)
        except InvalidOperation as exc:
            raise im.CellError(
                _("“%(value)s” is not a percentage.") % {"value": clean_text(value)}
            ) from exc
        if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
            raise im.CellError(_("A percentage is from 0 to 100."))
        return rate

    return im.Cell(parse, "text")


# ---------------------------------------------------------------------------------------------
# Agreements


def _agreement(row: im.Row) -> Agreement:
    return Agreement(
        unit=row["unit"], number=row["number"] or "", partner_name=row["partner_name"],
        partner_kind=row["partner_kind"], partner_address=row["partner_address"] or "",
        signed_on=row["signed_on"], valid_from=row["valid_from"], valid_until=row["valid_until"],
        benefits=row["benefits"], discount_percent=row["discount_percent"],
        notes=row["notes"] or "",
    )  # fmt: skip


def _rule(ctx: im.Context, row: im.Row, exc: RuleViolation, fallback: str) -> None:
    key = exc.field if exc.field and ctx.spec.column(exc.field) else fallback
    ctx.error(row, key, str(exc))


def prepare_agreements(rows: list[im.Row], ctx: im.Context) -> None:
    """The rules of each agreement, and no second agreement with a partner on the same day
    (one query for the file)."""
    existing = Agreement.objects.filter(
        unit_id__in={r["unit"].pk for r in rows}, signed_on__in={r["signed_on"] for r in rows}
    ).values_list("unit_id", "signed_on", "partner_name")
    taken = {(u, day, partner_key(name)) for u, day, name in existing}
    for row in rows:
        agreement = _agreement(row)
        try:
            services.check_agreement_fields(agreement)
        except RuleViolation as exc:
            _rule(ctx, row, exc, "partner_name")
            continue
        row["agreement"] = agreement.normalise()
        key = (row["unit"].pk, row["signed_on"], partner_key(row["partner_name"]))
        if key in taken:
            ctx.error(
                row,
                "partner_name",
                _("%(unit)s already has an agreement with %(partner)s signed on %(day)s.")
                % {
                    "unit": im.unit_label(row["unit"]),
                    "partner": row["partner_name"],
                    "day": short_date(row["signed_on"]),
                },
            )
        taken.add(key)


def write_agreements(rows: list[im.Row], ctx: im.Context) -> list[Any]:
    return im.bulk_write(Agreement, [r["agreement"] for r in rows], ctx)


def export_agreement(a: Agreement) -> dict[str, Any]:
    return {
        "unit": a.unit.code, "number": a.number, "partner_name": a.partner_name,
        "partner_kind": KINDS[PartnerKind(a.partner_kind)][0], "partner_address": a.partner_address,
        "signed_on": a.signed_on, "valid_from": a.valid_from, "valid_until": a.valid_until,
        "benefits": a.benefits, "discount_percent": a.discount_percent, "notes": a.notes,
    }  # fmt: skip


AGREEMENTS = im.Spec(
    register=REGISTER,
    sheet="Thỏa thuận phúc lợi",
    columns=[
        im.Column(
            "unit",
            "Mã đơn vị ký",
            ("ma don vi", "don vi ky", "ma don vi ky"),
            parse=im.unit(),
            note="Để trống: đơn vị nhập",
        ),
        im.Column("number", "Số văn bản", ("so van ban", "so thoa thuan", "so"), parse=im.text(60)),
        im.Column(
            "partner_name",
            "Đối tác",
            ("ten doi tac", "doi tac", "don vi doi tac"),
            parse=im.text(300),
            required=True,
            width=36,
        ),
        im.Column(
            "partner_kind",
            "Loại đối tác",
            ("loai doi tac", "loai", "linh vuc"),
            parse=im.choice(KINDS),
            required=True,
            width=24,
        ),
        im.Column(
            "partner_address",
            "Địa chỉ đối tác",
            ("dia chi", "dia chi doi tac"),
            parse=im.text(300),
            width=30,
        ),
        im.Column("signed_on", "Ngày ký", ("ngay ky",), parse=im.date(), required=True),
        im.Column(
            "valid_from",
            "Hiệu lực từ ngày",
            ("tu ngay", "hieu luc tu", "ngay hieu luc"),
            parse=im.date(),
            note="Để trống: từ ngày ký",
        ),
        im.Column(
            "valid_until",
            "Hiệu lực đến ngày",
            ("den ngay", "hieu luc den", "het han"),
            parse=im.date(),
            note="Để trống: không thời hạn",
        ),
        im.Column(
            "benefits",
            "Nội dung ưu đãi",
            ("uu dai", "noi dung", "quyen loi"),
            parse=im.text(2000),
            required=True,
            width=48,
        ),
        im.Column(
            "discount_percent",
            "Mức giảm (%)",
            ("muc giam", "giam gia", "ty le giam"),
            parse=percent(),
            note="Ghi số, ví dụ 5 hoặc 12,5",
        ),
        im.Column("notes", "Ghi chú", ("ghi chu",), parse=im.text(1000), width=30),
    ],
    key=lambda r: (r["unit"], partner_key(r["partner_name"]), r["signed_on"]),
    prepare=prepare_agreements,
    write=write_agreements,
    export_row=export_agreement,
    export_queryset=lambda qs: qs.select_related("unit"),
    guide=[
        "Mỗi dòng là một thỏa thuận hợp tác của Chương trình “Vì phúc lợi đoàn viên”.",
        "Mã đơn vị ký: đơn vị đã ký thỏa thuận (để trống: đơn vị nhập file).",
        "Một đơn vị không ký hai thỏa thuận với cùng một đối tác trong cùng một ngày.",
        "Mức giảm (%): ghi số (5 hoặc 12,5), không định dạng ô theo kiểu phần trăm.",
    ],
    example={
        "partner_name": "Ngân hàng Nông nghiệp và Phát triển Nông thôn – Chi nhánh Lai Châu",
        "partner_kind": "Ngân hàng",
        "signed_on": dt.date(2025, 3, 10),
        "benefits": "Cho vay tiêu dùng lãi suất ưu đãi",
        "discount_percent": "0,5",
    },
)


# ---------------------------------------------------------------------------------------------
# Uses


def _agreements_of(rows: list[im.Row]) -> dict[tuple[int, str], list[Agreement]]:
    found: dict[tuple[int, str], list[Agreement]] = defaultdict(list)
    units = {r["unit"].pk for r in rows}
    for a in Agreement.objects.filter(unit_id__in=units).select_related("unit"):
        found[(a.unit_id, partner_key(a.partner_name))].append(a)
    return found


def _pick_agreement(row: im.Row, candidates: list[Agreement]) -> Agreement | str:
    """The agreement of the row (or the message saying why there is none)."""
    day = row["used_on"]
    if row.get("signed_on"):
        candidates = [a for a in candidates if a.signed_on == row["signed_on"]]
    in_force = [a for a in candidates if a.in_force_on(day)] or candidates
    if len(in_force) == 1:
        return in_force[0]
    if not in_force:
        return _("%(unit)s has no agreement with this partner%(signed)s.") % {
            "unit": im.unit_label(row["unit"]),
            "signed": _(" signed on %(day)s") % {"day": short_date(row["signed_on"])}
            if row.get("signed_on")
            else "",
        }
    return _(
        "%(unit)s has several agreements with this partner in force on %(day)s: give the "
        "signing day."
    ) % {"unit": im.unit_label(row["unit"]), "day": short_date(day)}


def _members(rows: list[im.Row], ctx: im.Context) -> dict[str, Any]:
    """Card number → member, for the members the importing officer may see (one query)."""
    cards = {r["card"] for r in rows if r.get("card")}
    if not cards:
        return {}
    member_model: Any = BenefitUse._meta.get_field("member").related_model
    qs = member_model._default_manager.filter(card_number__in=cards).select_related("unit")
    limit = scope_q(ctx.actor, Action.MEMBERS_VIEW, "unit__path") if ctx.actor else None
    if limit is not None:
        qs = qs.filter(limit)
    return {m.card_number: m for m in qs}


def _use(row: im.Row, agreement: Agreement, member: Any) -> BenefitUse:
    return BenefitUse(
        agreement=agreement, unit=agreement.unit, member=member, count=row["count"] or 1,
        used_on=row["used_on"], value=row["value"] or Decimal(0),
        description=row["description"] or "",
    )  # fmt: skip


def prepare_uses(rows: list[im.Row], ctx: im.Context) -> None:
    agreements = _agreements_of(rows)
    members = _members(rows, ctx)
    for row in rows:
        found = _pick_agreement(
            row, agreements.get((row["unit"].pk, partner_key(row["partner"])), [])
        )
        if isinstance(found, str):
            ctx.error(row, "partner", found)
            continue
        member = None
        if row.get("card"):
            member = members.get(row["card"])
            if member is None:
                ctx.error(row, "card", _(NOT_FOUND))
                continue
            if not member.unit.path.startswith(found.unit.path):
                ctx.error(row, "card", _(OUTSIDE) % {"unit": im.unit_label(found.unit)})
                continue
        use = _use(row, found, member)
        try:
            services.check_use_fields(use, found)
        except RuleViolation as exc:
            _rule(ctx, row, exc, "used_on")
            continue
        row["use"] = use


def write_uses(rows: list[im.Row], ctx: im.Context) -> list[Any]:
    return im.bulk_write(BenefitUse, [r["use"] for r in rows], ctx)


def export_use(u: BenefitUse) -> dict[str, Any]:
    return {
        "unit": u.unit.code, "partner": u.agreement.partner_name,
        "signed_on": u.agreement.signed_on, "used_on": u.used_on,
        "card": u.member.card_number if u.member else "",
        "full_name": u.member.full_name if u.member else "", "count": u.count,
        "value": u.value, "description": u.description,
    }  # fmt: skip


USES_SPEC = im.Spec(
    register=USES,
    action=Action.ACTIVITIES_MANAGE,
    model="welfare.BenefitUse",
    sheet="Lượt hưởng phúc lợi",
    columns=[
        im.Column(
            "unit",
            "Mã đơn vị ký",
            ("ma don vi", "don vi ky", "ma don vi ky"),
            parse=im.unit(),
            note="Đơn vị đã ký thỏa thuận; để trống: đơn vị nhập",
        ),
        im.Column(
            "partner",
            "Đối tác",
            ("ten doi tac", "doi tac"),
            parse=im.text(300),
            required=True,
            width=36,
        ),
        im.Column(
            "signed_on",
            "Ngày ký thỏa thuận",
            ("ngay ky", "ngay ky thoa thuan"),
            parse=im.date(),
            note="Chỉ cần khi có hai thỏa thuận cùng đối tác",
        ),
        im.Column(
            "used_on",
            "Ngày sử dụng",
            ("ngay su dung", "ngay", "ngay huong"),
            parse=im.date(),
            required=True,
        ),
        im.Column(
            "card",
            "Số thẻ đoàn viên",
            ("so the", "so the doan vien", "ma the"),
            parse=im.code(32),
            note="Để trống: số lượt không kèm tên",
        ),
        im.Column(
            "full_name",
            "Họ và tên",
            ("ho ten", "ho va ten"),
            parse=im.text(200),
            note="Để đối chiếu; đoàn viên được xác định theo số thẻ",
            width=26,
        ),
        im.Column(
            "count",
            "Số lượt",
            ("so luot", "luot"),
            parse=im.integer(min_value=1, max_value=services.MAX_COUNT),
            default=1,
        ),
        im.Column(
            "value",
            "Giá trị hưởng lợi (đồng)",
            ("gia tri", "so tien", "gia tri huong loi"),
            parse=im.money(),
            default=Decimal(0),
        ),
        im.Column("description", "Ghi chú", ("ghi chu", "noi dung"), parse=im.text(300), width=30),
    ],
    key=lambda r: (
        r["unit"],
        partner_key(r["partner"]),
        r.get("signed_on"),
        r["used_on"],
        r.get("card"),
        r.get("count"),
        r.get("value"),
        r.get("description"),
    ),
    prepare=prepare_uses,
    write=write_uses,
    export_row=export_use,
    export_queryset=lambda qs: qs.select_related("unit", "agreement", "member"),
    guide=[
        "Mỗi dòng là một lần đoàn viên sử dụng ưu đãi, hoặc số lượt đối tác báo cáo không kèm tên.",
        "Thỏa thuận được xác định theo mã đơn vị ký và tên đối tác (còn hiệu lực vào ngày sử "
        "dụng); ghi ngày ký khi đơn vị có hai thỏa thuận với cùng đối tác.",
        "Số thẻ đoàn viên: đoàn viên của công đoàn thuộc đơn vị ký; để trống khi chỉ có số lượt.",
        "Giá trị hưởng lợi: tổng số tiền (đồng) đoàn viên được ưu đãi trong dòng đó.",
    ],
    example={
        "partner": "Viettel Lai Châu",
        "used_on": dt.date(2025, 6, 30),
        "count": 1250,
        "value": Decimal(62_500_000),
        "description": "Số liệu đối tác báo cáo quý II",
    },
)
