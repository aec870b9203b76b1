"""Reads of the catalogue: indicators, their groups and the data sets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, QuerySet

from congdoan.indicators import derived, formula
from congdoan.indicators.models import (
    Aggregation,
    DataSet,
    DataSetItem,
    Indicator,
    IndicatorGroup,
    Period,
    Source,
)


def indicators_in(period: Period, codes: Iterable[str] | None = None) -> list[Indicator]:
    """The indicators valid in the period (those of `codes` only, when given)."""
    qs = Indicator.objects.select_related("group")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return [i for i in qs if i.valid_in(period.end.year)]


def kept_in_registers(
    unit_ids: Sequence[int], period: Period, indicators: Iterable[Indicator]
) -> dict[int, set[str]]:
    """For each unit (of `unit_ids`) keeping a register in `period`, the codes of the entered
    `indicators` its register gives it: figures it does not enter (one query per register
    definition named)."""
    by_definition: dict[str, list[str]] = defaultdict(list)
    for i in indicators:
        if i.source == Source.ENTERED and i.derivation:
            by_definition[i.derivation].append(i.code)
    out: dict[int, set[str]] = defaultdict(set)
    for name, unit_set in derived.kept_by_many(list(by_definition), unit_ids, period).items():
        for unit_id in unit_set:
            out[unit_id].update(by_definition[name])
    return dict(out)


def with_formula_inputs(indicators: list[Indicator]) -> list[Indicator]:
    """Add the indicators that formulas read (recursively), so that they can be computed."""
    have = {i.code for i in indicators}
    wanted: set[str] = set()
    for i in indicators:
        if i.aggregation == Aggregation.FORMULA and i.formula:
            wanted |= formula.codes(i.formula)
    missing = wanted - have
    if not missing:
        return indicators
    extra = list(Indicator.objects.filter(code__in=missing).select_related("group"))
    return with_formula_inputs(indicators + extra)


def indicators_all() -> QuerySet[Indicator]:
    """The whole catalogue (a base queryset for the API's fields)."""
    return Indicator.objects.all()


def indicator_by_code(code: str) -> Indicator | None:
    """One indicator of the catalogue (with its group), whatever its years."""
    return Indicator.objects.filter(code=code).select_related("group").first()


def indicator_codes_known(codes: Iterable[str]) -> set[str]:
    """Which of `codes` are codes of the catalogue."""
    return set(Indicator.objects.filter(code__in=list(codes)).values_list("code", flat=True))


def indicator_groups() -> list[IndicatorGroup]:
    """Every indicator group, in catalogue order."""
    return list(IndicatorGroup.objects.all())


def data_sets_with_items() -> QuerySet[DataSet]:
    """The data sets with their unit types and items (the API's base queryset)."""
    return DataSet.objects.prefetch_related(
        "unit_types",
        Prefetch("items", queryset=DataSetItem.objects.select_related("indicator")),
    )
