"""The departments and union groups (công đoàn bộ phận, tổ công đoàn) of the demo: the units
below the grassroots unions, which enter a handful of figures of their own
(`indicators.py`)."""

from __future__ import annotations

import datetime as dt

from congdoan.core.scoping import path_range_q
from congdoan.organisation.models import Unit, UnitVersion


def parts_below(root: Unit, day: dt.date) -> dict[int, int]:
    """{unit id: its grassroots union's id} of the units below the grassroots unions of `root`'s
    subtree (departments, and the groups inside them or directly under a union) on `day`."""
    rows = list(
        UnitVersion.objects.on(day)
        .filter(path_range_q("path", root.path))
        .values_list("unit_id", "path", "unit_type__is_grassroots")
    )
    grassroots = {path: unit_id for unit_id, path, is_grassroots in rows if is_grassroots}
    union_of = {}
    for unit_id, path, is_grassroots in rows:
        if is_grassroots:
            continue
        above = (path[:i] for i in range(len(path) - Unit.steplen, 0, -Unit.steplen))
        union = next((grassroots[p] for p in above if p in grassroots), None)
        if union is not None:
            union_of[unit_id] = union
    return union_of
