"""Membership card numbers, allocated by a configurable scheme, unique federation-wide.

The scheme is the setting MEMBER_CARD_FORMAT (environment variable of the same name), a Python
format string with the fields `province` (the post-2025 province code of the member's
provincial federation, 0 when unknown), `year` (two digits of the admission year) and `seq` (a
counter per prefix). The default "{province:02d}{year:02d}{seq:07d}" gives 11-digit numbers such
as 12250000417 (province 12, admitted in 2025, 417th number). Numbers are never reused; the counter row is locked while a number is taken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from congdoan.members.models import CardSequence, Member

DEFAULT_FORMAT = "{province:02d}{year:02d}{seq:07d}"


def card_format() -> str:
    return getattr(settings, "MEMBER_CARD_FORMAT", "") or DEFAULT_FORMAT


def province_of(unit: Any) -> int:
    from congdoan.organisation.models import Unit

    if unit.depth <= 2:
        top = unit
    else:
        top = Unit.objects.filter(path=unit.path[: 2 * Unit.steplen]).only("province_code").first()
    return int(getattr(top, "province_code", None) or getattr(unit, "province_code", None) or 0)


@transaction.atomic
def allocate(unit: Any, day: dt.date, count: int = 1) -> list[str]:
    """`count` new card numbers for members admitted to `unit` on `day`."""
    fmt = card_format()
    fields = {"province": province_of(unit), "year": day.year % 100}
    prefix = fmt.split("{seq")[0].format(**fields)
    CardSequence.objects.get_or_create(prefix=prefix)
    seq = CardSequence.objects.select_for_update().get(prefix=prefix)
    numbers: list[str] = []
    value = seq.last
    while len(numbers) < count:
        need = min(count - len(numbers), 10_000)
        batch = [fmt.format(seq=v, **fields) for v in range(value + 1, value + 1 + need)]
        value += need
        # Numbers typed by hand may already use a slot: skip them.
        taken = set(
            Member.objects.filter(card_number__in=batch).values_list("card_number", flat=True)
        )
        numbers.extend(n for n in batch if n not in taken)
    CardSequence.objects.filter(pk=seq.pk).update(last=F("last") + (value - seq.last))
    return numbers
