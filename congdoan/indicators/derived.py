"""Derived indicators: registered definitions, each a named query over a register.

A definition gives, for a list of units and a period, each unit's *own* value (its own members,
its own new units…); the engine adds them up over subtrees as the tree stood at the period's
end, like entered values. Registers plug in without touching the engine: any app above this one
may have an `indicator_definitions.py` module that calls `register`; those of the floors below
it (the organisation tree), which cannot import this engine, are in `definitions/`. Both are
loaded by `definitions()`.

    @register("members_end", _("Members at the end of the period"))
    def members_end(unit_ids, period): ...  # -> {unit_id: Decimal}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

Compute = Callable[[Sequence[int], Any], dict[int, Decimal]]


@dataclass(frozen=True)
class Definition:
    name: str
    label: str | Promise
    compute: Compute
    # Definitions read from one register often share one query: `load` fetches the register's
    # rows for the units once per read of the engine, `pick` takes this definition's values.
    load: Callable[[Sequence[int], Any], Any] | None = None
    pick: Callable[[Any], dict[int, Decimal]] | None = None
    # A register that can total its own subtrees (in SQL, grouped by path) gives `subtree`: the
    # same shape as `load`, but each unit's figures over the units below it too. The engine
    # then uses it instead of adding up `load` over every unit of every subtree.
    subtree: Callable[[Sequence[int], Any], Any] | None = None
    # A register that units may keep or not (the activity registers), by its code: an
    # *entered* indicator naming such a definition is derived for the units keeping the
    # register in the period and entered by the others (see `kept_by`); `records_url` links a
    # keeping unit's figure to its records.
    register: str = ""
    records_url: Callable[[int, Any], str] | None = None


_REGISTRY: dict[str, Definition] = {}
_loaded = False


def register(name: str, label: str | Promise) -> Callable[[Compute], Compute]:
    def wrap(fn: Compute) -> Compute:
        _REGISTRY[name] = Definition(name, label, fn)
        return fn

    return wrap


def register_shared(
    load: Callable[[Sequence[int], Any], Any],
    picks: dict[str, tuple[str | Promise, Callable[[Any], dict[int, Decimal]]]],
    *,
    subtree: Callable[[Sequence[int], Any], Any] | None = None,
    register: str = "",
    records_url: Callable[[int, Any], str] | None = None,
) -> None:
    """Register several definitions computed from one load of a register (see `Definition`)."""
    for name, (label, pick) in picks.items():

        def compute(
            unit_ids: Sequence[int], period: Any, _pick: Callable[[Any], dict[int, Decimal]] = pick
        ) -> dict[int, Decimal]:
            return _pick(load(unit_ids, period))

        _REGISTRY[name] = Definition(
            name, label, compute, load, pick, subtree, register, records_url
        )


def definitions() -> dict[str, Definition]:
    global _loaded
    if not _loaded:
        import_module("congdoan.indicators.definitions")
        autodiscover_modules("indicator_definitions")
        _loaded = True
    return _REGISTRY


def choices() -> list[tuple[str, str]]:
    return [(d.name, str(d.label)) for d in definitions().values()]


def own_values(
    name: str, unit_ids: Sequence[int], period: Any, cache: dict[Any, Any] | None = None
) -> dict[int, Decimal]:
    """Each unit's own value for a definition; units without one are left out.

    `cache` (a dict kept for one read) lets definitions sharing a load run it once.
    """
    definition = definitions().get(name)
    if definition is None:
        return {}
    if definition.load is not None and definition.pick is not None and cache is not None:
        key = (definition.load, tuple(unit_ids), period.pk)
        if key not in cache:
            cache[key] = definition.load(unit_ids, period)
        found = definition.pick(cache[key])
    else:
        found = definition.compute(unit_ids, period)
    # A national load may read every unit (`activities.registers.units_q`): keep those asked.
    wanted = set(unit_ids)
    return {u: Decimal(v) for u, v in found.items() if v and u in wanted}


def has_subtree(name: str) -> bool:
    definition = definitions().get(name)
    return definition is not None and definition.subtree is not None


def subtree_values(
    name: str, unit_ids: Sequence[int], period: Any, cache: dict[Any, Any]
) -> dict[int, Decimal]:
    """Each unit's value over its subtree, for a definition with `subtree` (`has_subtree`)."""
    definition = definitions()[name]
    assert definition.subtree is not None and definition.pick is not None
    key = (definition.subtree, tuple(unit_ids), period.pk)
    if key not in cache:
        cache[key] = definition.subtree(unit_ids, period)
    return {u: Decimal(v) for u, v in definition.pick(cache[key]).items()}


# Which units keep which registers: given by the app that keeps that list (activities), as
# (register codes, unit ids, period) -> {register code: ids of the units keeping it}.
Keepers = Callable[[Sequence[str], Sequence[int], Any], dict[str, set[int]]]
_keepers: Keepers | None = None


def set_keepers(source: Keepers) -> None:
    global _keepers
    _keepers = source


def kept_by_many(names: Sequence[str], unit_ids: Sequence[int], period: Any) -> dict[str, set[int]]:
    """For each definition of `names`, the units among `unit_ids` whose figure of an entered
    indicator naming it comes from their register in `period` rather than from entry. One read
    for all the registers, made whenever registers exist (so a page reads the same queries
    whichever indicators it shows)."""
    if _keepers is None or not unit_ids:
        return {}
    found = definitions()
    registers = {n: found[n].register for n in names if n in found and found[n].register}
    if not any(d.register for d in found.values()):
        return {}
    kept = _keepers(sorted(set(registers.values())), unit_ids, period)
    return {n: kept.get(r, set()) for n, r in registers.items()}


def kept_by(name: str, unit_ids: Sequence[int], period: Any) -> set[int]:
    return kept_by_many([name], unit_ids, period).get(name, set())


def records_link(name: str, unit_id: int, period: Any) -> str:
    definition = definitions().get(name)
    if definition is None or definition.records_url is None:
        return ""
    return definition.records_url(unit_id, period)
