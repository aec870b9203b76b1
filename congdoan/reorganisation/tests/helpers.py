"""Helpers of the reorganisation tests: plan files and snapshots of the whole tree."""

from __future__ import annotations

import io
from typing import Any

HEADERS = [
    "STT",
    "Thao tác",
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại đơn vị",
    "Mã đơn vị cấp trên / đơn vị nhận",
    "Ngành",
    "Loại hình",
    "Ngày hiệu lực",
    "Ghi chú",
]


def row(
    op: str,
    code: str,
    target: str = "",
    *,
    name: str = "",
    type: str = "",
    day: str = "01/07/2025",
    note: str = "",
) -> dict[str, str]:
    return {
        "Thao tác": op,
        "Mã đơn vị": code,
        "Tên đơn vị": name,
        "Tên viết tắt": name,
        "Loại đơn vị": type,
        "Mã đơn vị cấp trên / đơn vị nhận": target,
        "Ngày hiệu lực": day,
        "Ghi chú": note,
    }


def csv_bytes(rows: list[dict[str, str]], headers: list[str] = HEADERS, sep: str = ";") -> bytes:
    lines = [sep.join(headers)]
    for i, r in enumerate(rows, start=1):
        values = {"STT": str(i), **r}
        lines.append(sep.join(values.get(h, "") for h in headers))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(
    rows: list[dict[str, Any]],
    assignments: list[dict[str, str]] | None = None,
    headers: list[str] = HEADERS,
) -> bytes:
    """A plan workbook written as a user would: text codes, an Excel date where given."""
    import datetime as dt

    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Kế hoạch")
    for c, h in enumerate(headers):
        sheet.write_string(0, c, h)
    for r, values in enumerate(rows, start=1):
        values = {"STT": r, **values}
        for c, h in enumerate(headers):
            value = values.get(h, "")
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    if assignments is not None:
        assign = book.add_worksheet("Phân bổ")
        names = ["Mã đơn vị chia tách", "Mã thẻ đoàn viên", "Mã đơn vị", "Mã đơn vị nhận"]
        for c, h in enumerate(names):
            assign.write_string(0, c, h)
        for r, values in enumerate(assignments, start=1):
            for c, h in enumerate(names):
                assign.write_string(r, c, values.get(h, ""))
    book.close()
    return out.getvalue()


def snapshot() -> dict[str, Any]:
    """Counts and the shape of the tree: equal before and after means nothing changed."""
    from congdoan.members.models import Member, MemberEvent, Membership
    from congdoan.organisation.models import LineageLink, ReorgEvent, Unit, UnitVersion

    return {
        "units": Unit.objects.count(),
        "versions": UnitVersion.objects.count(),
        "events": ReorgEvent.objects.count(),
        "links": LineageLink.objects.count(),
        "spells": Membership.objects.count(),
        "member_events": MemberEvent.objects.count(),
        "members": sorted(Member.objects.values_list("pk", "unit_id", "status")),
        "paths": sorted(
            Unit.objects.values_list("code", "path", "parent_id", "dissolved_on", "name")
        ),
        "open_versions": sorted(
            UnitVersion.objects.filter(valid_to__isnull=True).values_list("unit_id", "valid_from")
        ),
    }
