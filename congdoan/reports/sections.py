"""Report sections other apps contribute, the way they contribute derived indicators.

An app owning data a report tells (care, initiatives, inspections, awards, meetings…) adds a
`report_sections.py` module that registers its sections:

    from congdoan.reports.sections import register

    register(
        "care",
        label=_("Caring for members"),
        order=300,
        collect=collect_care,   # (ReportContext) -> data | None   — reads the database
        write=write_care,       # (data, Options) -> document.Section — pure
    )

`collect` returns None when the subject has nothing to tell (the section is left out).
The reports app never names these apps: it loads every `report_sections` module at start-up
(apps.py) and calls what is registered, in `order`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from congdoan.reports.document import Section
from congdoan.reports.facts import Options


@dataclass(frozen=True)
class ReportContext:
    """What a section's collector is given."""

    actor: Any
    unit: Any  # organisation.Unit: the subject, or the cluster's head unit
    cluster: Any | None  # organisation.Cluster for a cluster report
    periods: list[Any]  # indicators.Period, one or two
    as_of: dt.datetime


Collect = Callable[[ReportContext], Any]
Write = Callable[[Any, Options], Section]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    label: str | Promise
    order: int
    collect: Collect
    write: Write


_REGISTRY: dict[str, SectionSpec] = {}


def register(key: str, *, label: str | Promise, order: int, collect: Collect, write: Write) -> None:
    _REGISTRY[key] = SectionSpec(key, label, order, collect, write)


def registered() -> list[SectionSpec]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.key))


def spec(key: str) -> SectionSpec | None:
    return _REGISTRY.get(key)
