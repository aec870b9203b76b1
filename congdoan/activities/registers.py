"""The registry of activity registers, and the rule that makes each unit's figure come from one
place.

A register app (care, initiatives, inspections, movements) describes itself once in its
`AppConfig.ready()`:

    registers.add(Register(
        code="care", label=_("Care for members"), model="care.CareRecord",
        manage_action=Action.ACTIVITIES_MANAGE, list_url="care:list",
        definitions=("care_gifts", "care_gift_money", ...),
    ))

and registers its derived definitions with the indicator engine in its
`indicator_definitions.py`, preferably as aggregates with `measures` (which filters the rows
with `kept_q`, reads every measure in one query per unit list, and totals additive measures
over subtrees in SQL); otherwise through `derive` (never `indicators.derived.register_shared`
directly), which adds what the engine needs to keep one place per unit: who keeps the register
(`keepers`) and where its records are (`records_url`). Each definition's query must count only
the records of units keeping the register in the record's year: filter it with `kept_q`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Aggregate, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q
from congdoan.indicators import derived
from congdoan.organisation.models import Unit
from congdoan.organisation.selectors import subtree_sums


@dataclass(frozen=True)
class Register:
    code: str
    label: str | Promise
    model: str  # "app_label.ModelName" of its records
    manage_action: Action
    list_url: str  # URL name of the list of records; it filters by ?unit=<id>&period=<id>
    definitions: tuple[str, ...] = ()  # derived definitions it gives the engine
    attachable: tuple[str, ...] = ()  # other models of the app whose rows take attachments
    description: str | Promise = ""


REGISTERS: dict[str, Register] = {}


def add(register: Register) -> None:
    REGISTERS[register.code] = register


def get(code: str) -> Register | None:
    return REGISTERS.get(code)


def choices() -> list[tuple[str, str]]:
    return [(r.code, str(r.label)) for r in REGISTERS.values()]


def of_definition(name: str) -> Register | None:
    return next((r for r in REGISTERS.values() if name in r.definitions), None)


# ---------------------------------------------------------------------------------------------
# Keeping


def _years(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """Each calendar year of [start, end] with the part of the range inside it."""
    return [
        (y, max(start, dt.date(y, 1, 1)), min(end, dt.date(y, 12, 31)))
        for y in range(start.year, end.year + 1)
    ]


def kept_in_year_q(register: str, year: int, unit: str = "unit") -> Exists:
    """Rows whose `unit` keeps `register` in `year` (a correlated EXISTS on `Keeping`)."""
    from congdoan.activities.models import Keeping

    return Exists(
        Keeping.objects.filter(unit=OuterRef(unit), register=register, from_year__lte=year).filter(
            Q(until_year__isnull=True) | Q(until_year__gte=year)
        )
    )


def kept_q(
    register: str, start: dt.date, end: dt.date, *, unit: str = "unit", day: str = "on"
) -> Q:
    """Records dated within [start, end] (`day`) whose unit (`unit`) kept `register` in the
    record's year: the only records a derived definition counts."""
    q = Q(pk__in=[])
    for year, lo, hi in _years(start, end):
        q |= Q(**{f"{day}__gte": lo, f"{day}__lte": hi}) & Q(kept_in_year_q(register, year, unit))
    return q


# Above this many units a read is national: its loads scan the register once and leave the
# units to the engine (a list of every unit makes PostgreSQL walk the records by unit, 1.5–2
# times slower at 130,000 units and 5 million records: docs/benchmarks.md).
WHOLE_TREE = 50_000


def units_q(unit_ids: Sequence[int], unit: str = "unit") -> Q:
    """The rows of the units `unit_ids` (one array parameter on PostgreSQL), or every row for a
    national read (more than `WHOLE_TREE` units): `indicators.derived.own_values` keeps only
    the units asked for."""
    if len(unit_ids) > WHOLE_TREE:
        return Q()
    return Q(**{f"{unit}_id__any": list(unit_ids)})


def keepers(register: str, unit_ids: Sequence[int], year: int) -> set[int]:
    """The units among `unit_ids` keeping `register` in `year`."""
    from congdoan.activities.models import Keeping

    return set(
        Keeping.objects.filter(unit_id__any=list(unit_ids), register=register, from_year__lte=year)
        .filter(Q(until_year__isnull=True) | Q(until_year__gte=year))
        .values_list("unit_id", flat=True)
    )


def keepers_of(codes: Sequence[str], unit_ids: Sequence[int], period: Any) -> dict[str, set[int]]:
    """The units among `unit_ids` keeping each register of `codes` in the period's last year,
    in one query (the engine's `derived.set_keepers`)."""
    from congdoan.activities.models import Keeping

    year = period.end.year
    out: dict[str, set[int]] = {code: set() for code in codes}
    # Every register of the units in one query (a unit keeps a few), whichever are asked: a
    # page reads the same queries whatever indicators it shows.
    rows = (
        Keeping.objects.filter(unit_id__any=list(unit_ids), from_year__lte=year)
        .filter(Q(until_year__isnull=True) | Q(until_year__gte=year))
        .values_list("register", "unit_id")
    )
    for code, unit_id in rows:
        if code in out:
            out[code].add(unit_id)
    return out


def records_url(register: str, unit_id: int, period: Any) -> str:
    reg = REGISTERS[register]
    return f"{reverse(reg.list_url)}?{urlencode({'unit': unit_id, 'period': period.pk})}"


def derive(
    register: str,
    load: Callable[[Sequence[int], Any], Any],
    picks: dict[str, tuple[str | Promise, Callable[[Any], dict[int, Decimal]]]],
    *,
    subtree: Callable[[Sequence[int], Any], Any] | None = None,
) -> None:
    """Register a register's derived definitions with the engine (`derived.register_shared`),
    telling it which units keep the register in a period (by the period's last year) and
    where their records are listed."""
    derived.register_shared(
        load,
        picks,
        subtree=subtree,
        register=register,
        records_url=partial(records_url, register),
    )


# ---------------------------------------------------------------------------------------------
# Measures: derived definitions written as aggregates


Measure = tuple["str | Promise", Aggregate]  # (label, aggregate over the register's rows)


def measures(
    register: str,
    records: Callable[[], QuerySet[Any]],
    found: dict[str, Measure],
    *,
    day: str = "on",
    unit: str = "unit",
    additive: bool = True,
) -> None:
    """Register derived definitions that are aggregates over a register's rows, per unit:

        registers.measures("care", lambda: CareRecord.objects.all(), {
            "care_gifts": (_("Gift portions"), Sum("quantity", filter=Q(kind="gift"))),
            "care_gift_money": (_("Value of gifts"), Sum("value", filter=Q(kind="gift"))),
        }, day="on")

    Only rows dated in the period (`day`) of units keeping the register that year count
    (`kept_q`). One query per read gives every measure. `additive` measures (counts, sums) are
    also totalled over subtrees in SQL, one query grouped by path per subtree read instead of
    one per chunk of units; a measure that counts distinct things per unit (beneficiaries,
    units inspected) is `additive=False`: register it in a call of its own, so that a subtree
    adds up its units' own figures, as the engine does for entered ones.
    """
    names = list(found)
    aggregates = {f"m{i}": agg for i, (_label, agg) in enumerate(found.values())}

    def rows(period: Any) -> QuerySet[Any]:
        return records().filter(kept_q(register, period.start, period.end, unit=unit, day=day))

    def load(unit_ids: Sequence[int], period: Any) -> dict[int, tuple[Decimal, ...]]:
        grouped = (
            rows(period)
            .filter(units_q(unit_ids, unit))
            .values(f"{unit}_id")
            .annotate(**aggregates)
            .values_list(f"{unit}_id", *aggregates)
        )
        return {r[0]: tuple(Decimal(v or 0) for v in r[1:]) for r in grouped}

    def subtree(unit_ids: Sequence[int], period: Any) -> dict[int, tuple[Decimal, ...]]:
        end = period.end
        zero = tuple(Decimal(0) for _a in aggregates)
        versions = f"{unit}__versions__"

        def read(path: str) -> dict[str, tuple[Decimal, ...]]:
            on_end = (
                Q(**{f"{versions}valid_from__lte": end})
                & (
                    Q(**{f"{versions}valid_to__isnull": True})
                    | Q(**{f"{versions}valid_to__gt": end})
                )
                & path_range_q(f"{versions}path", path)
            )
            grouped = (
                rows(period)
                .filter(on_end)
                .annotate(prefix=Substr(f"{versions}path", 1, len(path) + Unit.steplen))
                .values("prefix")
                .annotate(**aggregates)
                .values_list("prefix", *aggregates)
            )
            return {r[0]: tuple(Decimal(v or 0) for v in r[1:]) for r in grouped}

        return subtree_sums(unit_ids, end, read, zero)

    def pick(i: int) -> Callable[[Any], dict[int, Decimal]]:
        return lambda data: {u: values[i] for u, values in data.items()}

    derive(
        register,
        load,
        {name: (found[name][0], pick(i)) for i, name in enumerate(names)},
        subtree=subtree if additive else None,
    )


def dashboard_cards() -> list[Any]:
    """A dashboard card per register: the indicators its definitions give (entered ones kept in
    it, and derived ones), linked to its records."""
    from congdoan.indicators.dashboards.cards import CardSpec
    from congdoan.indicators.models import Indicator

    rows = list(
        Indicator.objects.filter(
            derivation__in=[d for r in REGISTERS.values() for d in r.definitions]
        )
        .order_by("group__order", "order", "code")
        .values_list("code", "derivation")
    )
    out = []
    for order, reg in enumerate(REGISTERS.values()):
        codes = tuple(code for code, name in rows if name in reg.definitions)
        if codes:
            out.append(
                CardSpec(
                    key=reg.code,
                    title=reg.label,
                    codes=codes,
                    order=order,
                    link=partial(records_url, reg.code),
                )
            )
    return out
