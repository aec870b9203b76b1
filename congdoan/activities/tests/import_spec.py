"""A register file for the tests of the import engine: which unit keeps which register
(`Keeping`), with a few personal columns to show masking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from congdoan.activities import imports as im
from congdoan.activities.models import Keeping
from congdoan.core.permissions import Action

REGISTER_WORDS = {
    "care": ("Chăm lo", "cham lo doan vien"),
    "inspections": ("Kiểm tra, giám sát", "kiem tra"),
    "movements": ("Phong trào & mô hình", "phong trao"),
}


def prepare(rows: list[im.Row], ctx: im.Context) -> None:
    """A unit keeps a register once: rows naming a pair kept already (not through an import)
    are refused, one query for the file."""
    units = {r["unit"].pk for r in rows}
    kept = set(Keeping.objects.filter(unit_id__in=units).values_list("unit_id", "register"))
    for row in rows:
        if (row["unit"].pk, row["register"]) in kept:
            ctx.error(row, "register", _("This unit already keeps this register."))


def write(rows: list[im.Row], ctx: im.Context) -> list[Any]:
    records = [
        Keeping(
            unit=r["unit"],
            register=r["register"],
            from_year=r["from_year"],
            until_year=r["until_year"],
        )
        for r in rows
    ]
    return im.bulk_write(Keeping, records, ctx)


def export_row(record: Keeping) -> dict[str, Any]:
    return {
        "unit": record.unit.code,
        "register": REGISTER_WORDS[record.register][0],
        "from_year": record.from_year,
        "until_year": record.until_year,
        "note": "=1+1 & <b> “Hòa”",
        "phone": "0912345678",
        "citizen_id": "001190012345",
        "born": dt.date(1990, 2, 5),
    }


SPEC = im.Spec(
    register="test_keeping",
    sheet="Sổ theo dõi",
    columns=[
        im.Column("unit", "Mã đơn vị", ("ma don vi", "ma cdcs"), parse=im.unit()),
        im.Column(
            "register", "Sổ", ("so theo doi",), parse=im.choice(REGISTER_WORDS), required=True
        ),
        im.Column(
            "from_year",
            "Từ năm",
            ("tu nam", "nam bat dau"),
            parse=im.integer(min_value=2000, max_value=2100),
            required=True,
        ),
        im.Column("until_year", "Đến năm", parse=im.integer(min_value=2000, max_value=2100)),
        im.Column("note", "Ghi chú", parse=im.text(40)),
        im.Column("phone", "Điện thoại", parse=im.phone(), personal=True),
        im.Column("citizen_id", "Số CCCD", ("cccd",), parse=im.identity(), personal=True),
        im.Column("born", "Ngày sinh", parse=im.date(), personal=True),
        im.Column("active", "Đang theo dõi", parse=im.yes_no()),
    ],
    key=lambda r: (r["unit"], r["register"]),
    prepare=prepare,
    write=write,
    export_row=export_row,
    export_queryset=lambda qs: qs.select_related("unit"),
    guide=["Mỗi dòng là một sổ một đơn vị theo dõi từ một năm."],
    example={"unit": "A1", "register": "Chăm lo", "from_year": 2025, "born": dt.date(1990, 2, 5)},
    action=Action.ACTIVITIES_MANAGE,
    model="activities.Keeping",
)
