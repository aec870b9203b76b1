"""The care register's file: import from .xlsx / .csv and export, through the shared engine
(`congdoan.activities.imports`).

One row is one record: the giving unit (empty: the importing unit), the day, the kind, the
campaign (by its name), who received it — a member by card number, or a person or a group of
a kind (worker, child, family, resident of a poor area), with the number of portions — the
house's work and handover day, lent or given, and the funding: one column per source of union
funds and one for mobilised donors with the donor's name (a record of several donors is entered
on its page). The value is the sum of the funding columns.

Rows are checked by the register's own rules (`services.check_record`, `check_funding`) with
every look-up done once per file: members by card (within the importing unit's subtree and the
importer's scope: "not found" either way), campaigns by name (those the importer sees, of the
row's unit or a unit above it). A row's natural key is its unit, day, kind, campaign, card or
name, portions and description (never a personal column, which exports mask).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from congdoan.activities import imports as im
from congdoan.care import selectors, services
from congdoan.care.models import (
    Beneficiary,
    CareKind,
    CareRecord,
    EconomyForm,
    Funding,
    FundSource,
    HouseWork,
)
from congdoan.core.exceptions import RuleViolation

KINDS = {
    CareKind.GIFT: ("Tặng quà", "qua", "suat qua", "tang qua"),
    CareKind.CASH: ("Hỗ trợ tiền mặt", "ho tro", "tien mat", "tro cap"),
    CareKind.VISIT: ("Thăm hỏi ốm đau", "tham hoi", "tham om"),
    CareKind.MEAL: ("Bữa cơm công đoàn", "bua com"),
    CareKind.ECONOMY: ("Hỗ trợ phát triển kinh tế", "phat trien kinh te", "kinh te"),
    CareKind.HOUSE: ("Nhà Mái ấm Công đoàn", "mai am", "nha mai am", "macd"),
}
MEMBER = "member"
RECIPIENTS = {
    MEMBER: ("Đoàn viên", "doan vien", "dv"),
    "worker": ("Người lao động", "nguoi lao dong", "nld", "cong nhan"),
    "child": ("Trẻ em", "tre em", "hoc sinh"),
    "family": ("Gia đình", "ho gia dinh", "gia dinh chinh sach"),
    "resident": ("Người dân vùng khó khăn", "nguoi dan", "nhan dan"),
}
WORKS = {HouseWork.BUILD: ("Xây mới", "xay moi"), HouseWork.REPAIR: ("Sửa chữa", "sua chua")}
FORMS = {EconomyForm.LENT: ("Cho vay", "vay"), EconomyForm.GIVEN: ("Hỗ trợ", "cho", "tang")}
FUNDS: dict[str, str] = {
    FundSource.GRASSROOTS: "fund_grassroots",
    FundSource.DISTRICT: "fund_district",
    FundSource.PROVINCE: "fund_province",
    FundSource.CONFEDERATION: "fund_confederation",
    FundSource.DONOR: "fund_donor",
}

COLUMNS = [
    im.Column("unit", "Mã đơn vị", ("ma don vi", "don vi", "ma cdcs"), parse=im.unit(),
              note="Để trống: đơn vị đang nhập."),
    im.Column("on", "Ngày", ("ngay", "ngay trao", "ngay thuc hien"), parse=im.date(),
              required=True, note="Với nhà: ngày khởi công."),
    im.Column("kind", "Hình thức", ("loai", "hinh thuc cham lo"), parse=im.choice(KINDS),
              required=True, width=24),
    im.Column("campaign", "Đợt chăm lo", ("dot", "chuong trinh"), parse=im.text(200), width=24),
    im.Column("recipient", "Đối tượng nhận", ("doi tuong",), parse=im.choice(RECIPIENTS),
              required=True, width=22),
    im.Column("card", "Số thẻ đoàn viên", ("so the", "the doan vien"), parse=im.code(32),
              note="Bắt buộc khi người nhận là đoàn viên."),
    im.Column("person", "Họ tên người nhận / nhóm", ("ho va ten", "ho ten", "nguoi nhan"),
              parse=im.text(200), width=26),
    im.Column("quantity", "Số suất / số người", ("so suat", "so luong"),
              parse=im.integer(min_value=1, max_value=1_000_000), default=1),
    im.Column("citizen_id", "Số CCCD", ("cccd", "so cccd"), parse=im.identity(), personal=True),
    im.Column("phone", "Số điện thoại", ("dien thoai", "sdt"), parse=im.phone(), personal=True),
    im.Column("date_of_birth", "Ngày sinh", ("ngay sinh",), parse=im.date(), personal=True),
    im.Column("address", "Địa chỉ", ("dia chi",), parse=im.text(300), width=26),
    im.Column("house_work", "Xây mới / sửa chữa", ("xay moi sua chua",), parse=im.choice(WORKS)),
    im.Column("handover_on", "Ngày bàn giao", ("ngay ban giao",), parse=im.date()),
    im.Column("economy_form", "Cho vay / hỗ trợ", ("cho vay ho tro",), parse=im.choice(FORMS)),
    im.Column("fund_grassroots", "Kinh phí CĐCS (đồng)", ("kinh phi cdcs",), parse=im.money()),
    im.Column("fund_district", "Kinh phí CĐ cấp trên trực tiếp (đồng)",
              ("kinh phi cap tren", "kinh phi cd cap tren truc tiep"), parse=im.money()),
    im.Column("fund_province", "Kinh phí LĐLĐ tỉnh (đồng)", ("kinh phi ldld tinh",),
              parse=im.money()),
    im.Column("fund_confederation", "Kinh phí Tổng LĐLĐ (đồng)", ("kinh phi tong ldld",),
              parse=im.money()),
    im.Column("fund_donor", "Xã hội hóa (đồng)", ("xa hoi hoa", "van dong"), parse=im.money()),
    im.Column("donor", "Nhà tài trợ", ("nha tai tro", "don vi tai tro"), parse=im.text(300),
              width=26),
    im.Column("description", "Nội dung", ("noi dung", "ghi chu"), parse=im.text(500), width=30),
]  # fmt: skip
COLUMN_KEYS = {c.key for c in COLUMNS}


def key(row: im.Row) -> tuple[Any, ...]:
    unit = row.get("unit")
    return (
        getattr(unit, "pk", unit), row.get("on"), row.get("kind"), row.get("campaign") or "",
        row.get("card") or "", row.get("person") or "", row.get("quantity") or 1,
        row.get("description") or "",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Checks (one query per kind of look-up)


def _members(rows: list[im.Row], ctx: im.Context) -> dict[str, Any]:
    cards = {r["card"] for r in rows if r.get("card")}
    if not cards:
        return {}
    qs = selectors.members_by_cards(ctx.actor, ctx.unit, cards)
    return {m.card_number: m for m in qs}


def _campaigns(rows: list[im.Row], ctx: im.Context) -> dict[str, list[Any]]:
    names = {r["campaign"].casefold() for r in rows if r.get("campaign")}
    found: dict[str, list[Any]] = {}
    if names:
        for c in selectors.campaigns_for(ctx.actor, None):
            if c.name.casefold() in names:
                found.setdefault(c.name.casefold(), []).append(c)
    return found


def _campaign_of(row: im.Row, found: dict[str, list[Any]]) -> Any:
    """The campaign named in the row, of the row's unit or a unit above it."""
    unit = row["unit"]
    for c in found.get(row["campaign"].casefold(), []):
        if unit.path.startswith(c.unit.path):
            return c
    return None


def _record(row: im.Row, member: Any, campaign: Any) -> CareRecord:
    recipient = row["recipient"]
    if recipient == MEMBER:
        beneficiary = Beneficiary.MEMBER
    elif (row.get("quantity") or 1) > 1 or not row.get("person"):
        beneficiary = Beneficiary.GROUP
    else:
        beneficiary = Beneficiary.PERSON
    return CareRecord(
        unit=row["unit"], kind=row["kind"], on=row["on"], campaign=campaign,
        beneficiary=beneficiary, member=member,
        person_name="" if recipient == MEMBER else (row.get("person") or ""),
        recipient_kind="" if recipient == MEMBER else recipient,
        citizen_id=row.get("citizen_id") or "", phone=row.get("phone") or "",
        date_of_birth=row.get("date_of_birth"), address=row.get("address") or "",
        quantity=row.get("quantity") or 1, house_work=row.get("house_work") or "",
        handover_on=row.get("handover_on"), economy_form=row.get("economy_form") or "",
        description=row.get("description") or "",
    )  # fmt: skip


def _lines(row: im.Row) -> list[services.Line]:
    out = []
    for source, column in FUNDS.items():
        amount = row.get(column)
        if amount:
            donor = (row.get("donor") or "") if source == FundSource.DONOR else ""
            out.append(services.Line(source, amount, donor))
    return out


_FIELDS = {"funding": "fund_grassroots", "value": "fund_grassroots", "member": "card",
           "campaign": "campaign", "beneficiary": "recipient", "recipient_kind": "recipient",
           "person_name": "person"}  # fmt: skip


def _check_row(
    row: im.Row, ctx: im.Context, members: dict[str, Any], found: Any, seen: set[int]
) -> None:
    member = members.get(row.get("card") or "")
    if row["recipient"] == MEMBER and member is None:
        message = (
            _("No member with this card number was found within %(unit)s.")
            if row.get("card")
            else _("Enter the member's card number.")
        )
        ctx.error(row, "card", message % {"unit": im.unit_label(ctx.unit)})
        return
    campaign = _campaign_of(row, found) if row.get("campaign") else None
    if row.get("campaign") and campaign is None:
        ctx.error(row, "campaign", _("No campaign of this name for this unit."))
        return
    record = _record(row, member, campaign)
    try:
        services.check_record(ctx.actor, record, campaigns=seen, today=ctx.today)
        lines = services.check_funding(record.kind, _lines(row))
        record.value, record.mobilised = services.totals(lines, None)
    except RuleViolation as exc:
        column = _FIELDS.get(exc.field or "", exc.field or "")
        ctx.error(row, column if column in COLUMN_KEYS else "", str(exc))
        return
    row["_record"], row["_lines"] = record, lines


def prepare(rows: list[im.Row], ctx: im.Context) -> None:
    members = _members(rows, ctx)
    found = _campaigns(rows, ctx)
    seen = {c.pk for cs in found.values() for c in cs}
    for row in rows:
        _check_row(row, ctx, members, found, seen)


def write(rows: list[im.Row], ctx: im.Context) -> list[CareRecord]:
    records = [row["_record"] for row in rows]
    for record in records:
        record.refresh_derived()
    created = im.bulk_write(CareRecord, records, ctx)
    lines = [
        Funding(record=record, source=x.source, donor=x.donor, amount=x.amount)
        for record, row in zip(created, rows, strict=True)
        for x in row["_lines"]
    ]
    im.bulk_write(Funding, lines, ctx)
    return created


# ---------------------------------------------------------------------------------------------
# Export


def export_row(record: CareRecord) -> dict[str, Any]:
    funds: dict[str, Decimal] = {}
    donors = []
    for line in record.funding.all():
        funds[FUNDS[line.source]] = funds.get(FUNDS[line.source], Decimal(0)) + line.amount
        if line.donor:
            donors.append(line.donor)
    member = record.member
    recipient = MEMBER if member is not None else record.recipient_kind
    return {
        "unit": record.unit.code, "on": record.on, "kind": KINDS[CareKind(record.kind)][0],
        "campaign": record.campaign.name if record.campaign else "",
        "recipient": RECIPIENTS.get(recipient, ("",))[0],
        "card": (member.card_number or "") if member is not None else "",
        "person": member.full_name if member is not None else record.person_name,
        "quantity": record.quantity, "citizen_id": record.citizen_id, "phone": record.phone,
        "date_of_birth": record.date_of_birth, "address": record.address,
        "house_work": WORKS[HouseWork(record.house_work)][0] if record.house_work else "",
        "handover_on": record.handover_on,
        "economy_form": FORMS[EconomyForm(record.economy_form)][0] if record.economy_form else "",
        **funds, "donor": "; ".join(donors), "description": record.description,
    }  # fmt: skip


def export_queryset(qs: QuerySet[CareRecord]) -> QuerySet[CareRecord]:
    return selectors.record_full(qs)


SPEC = im.Spec(
    register="care",
    sheet="Chăm lo",
    columns=COLUMNS,
    key=key,
    prepare=prepare,
    write=write,
    export_row=export_row,
    export_queryset=export_queryset,
    guide=[
        "Mỗi dòng là một lần chăm lo: một suất quà, một lần hỗ trợ, một lần thăm hỏi, một bữa "
        "cơm công đoàn, một khoản hỗ trợ phát triển kinh tế hoặc một nhà Mái ấm Công đoàn.",
        "Người nhận là đoàn viên: ghi số thẻ đoàn viên. Người không phải đoàn viên: ghi họ tên "
        "và đối tượng. Nhóm không ghi tên (ví dụ 200 suất quà cho trẻ em vùng khó khăn): ghi "
        "đối tượng và số suất.",
        "Giá trị là tổng các cột kinh phí; khoản vận động xã hội hóa ghi kèm tên nhà tài trợ.",
        "Nhà Mái ấm Công đoàn: ghi xây mới hay sửa chữa, địa chỉ, ngày khởi công (cột Ngày) và "
        "ngày bàn giao; nhà được tính vào số liệu vào ngày bàn giao.",
        "Đợt chăm lo ghi đúng tên đợt của đơn vị hoặc của đơn vị cấp trên (ví dụ Tết Bính Ngọ "
        "2026); ngày phải nằm trong thời gian của đợt.",
    ],
    example={
        "on": dt.date(2026, 1, 20),
        "kind": "Tặng quà",
        "recipient": "Đoàn viên",
        "card": "LC0012345",
        "quantity": 1,
        "fund_grassroots": Decimal(500_000),
        "description": "Quà Tết",
    },
)
