"""Writes to initiative programmes.

A programme's dates and phases are indicator periods, shared by the whole federation: creating
them goes through `indicators.periods.period_create`, which lets only the national level add
them. Recording the programme itself (its organiser, the indicators it counts) needs
"activities.manage" on the organising unit. Its targets are indicator targets of its phases,
set on the targets pages (`indicators.services.target_set`), never here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.indicators.models import Indicator, Period, PeriodKind
from congdoan.indicators.periods import period_create
from congdoan.initiatives.models import Programme
from congdoan.initiatives.services import common
from congdoan.organisation.models import Unit

# The indicators a new programme counts unless told otherwise (those that exist).
DEFAULT_INDICATORS = ("sang_kien", "sang_kien_hop_le", "gia_tri_lam_loi")
PhaseSpec = tuple[str, dt.date, dt.date]  # name, first day, last day


def _phases(start: dt.date, end: dt.date, phases: Sequence[PhaseSpec]) -> None:
    """Phases lie inside the programme, one after another, without overlapping."""
    last: dt.date | None = None
    for phase_name, first, final in phases:
        common.text(phase_name, "phases", required=True, limit=200)
        common.day(first, "phases")
        common.day(final, "phases")
        if final < first or first < start or final > end:
            raise RuleViolation(
                _("The phase %(phase)s must lie inside the programme (%(start)s – %(end)s).")
                % {"phase": phase_name, "start": short_date(start), "end": short_date(end)},
                field="phases",
            )
        if last is not None and first <= last:
            raise RuleViolation(
                _("The phase %(phase)s starts before the phase before it ends.")
                % {"phase": phase_name},
                field="phases",
            )
        last = final


def _new_period(actor: Any, name: str, start: Any, end: Any, phases: Sequence[PhaseSpec]) -> Period:
    name = common.text(name, "name", required=True, limit=200)
    start, end = common.day(start, "start"), common.day(end, "end")
    if end < start:
        raise RuleViolation(_("The programme ends before it starts."), field="end")
    _phases(start, end, phases)
    taken = Period.objects.filter(
        kind__in=(PeriodKind.PROGRAMME, PeriodKind.PHASE), programme=name, year=start.year
    ).exists()
    if taken:
        raise RuleViolation(
            _("A programme named %(name)s already starts in %(year)s.")
            % {"name": name, "year": start.year},
            field="name",
        )
    period = period_create(
        actor=actor, kind=PeriodKind.PROGRAMME, name=name, start=start, end=end, programme=name
    )
    for number, (phase_name, first, final) in enumerate(phases, start=1):
        period_create(
            actor=actor,
            kind=PeriodKind.PHASE,
            name=common.text(phase_name, "phases"),
            start=first,
            end=final,
            number=number,
            parent=period,
        )
    return period


def _indicators(codes: Iterable[str] | None) -> list[Indicator]:
    wanted = list(DEFAULT_INDICATORS if codes is None else codes)
    found = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown and codes is not None:
        raise RuleViolation(
            _("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="indicators",
        )
    return [found[c] for c in wanted if c in found]


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    unit: Unit,
    period: Period | None = None,
    name: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    phases: Sequence[PhaseSpec] = (),
    indicators: Iterable[str] | None = None,
    description: str = "",
) -> Programme:
    """Record a programme organised by `unit`: on an existing programme `period` (with its
    phases), or on a new one (`name`, `start`, `end` and `phases`, created through
    `period_create`, which only the national level may). `indicators`: codes of the indicators
    it counts (default: submitted and valid initiatives and their benefit)."""
    unit = common.fresh_unit(unit)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    if period is None:
        period = _new_period(actor, name, start, end, phases)
    elif period.kind != PeriodKind.PROGRAMME:
        raise RuleViolation(_("Choose a period of the kind programme."), field="period")
    elif Programme.objects.filter(period=period).exists():
        raise RuleViolation(
            _("%(period)s is already recorded as a programme.") % {"period": period.name},
            field="period",
        )
    programme = Programme(
        period=period,
        unit=unit,
        description=common.text(description, "description", limit=5000),
    )
    stamp(programme, actor, "programme_create")
    programme.save()
    programme.indicators.set(_indicators(indicators))
    return programme


@transaction.atomic
def programme_update(
    *,
    actor: Any,
    programme: Programme,
    indicators: Iterable[str] | None = None,
    description: str | None = None,
) -> Programme:
    """Change the indicators a programme counts and its description (its dates are periods).
    A change writes one history row (the indicators themselves are listed on the page)."""
    programme = Programme.objects.select_related("unit", "period").get(pk=programme.pk)
    require(actor, Action.ACTIVITIES_MANAGE, programme.unit)
    changed = False
    if description is not None:
        text = common.text(description, "description", limit=5000)
        changed, programme.description = text != programme.description, text
    if indicators is not None:
        wanted = _indicators(indicators)
        if {i.pk for i in wanted} != set(programme.indicators.values_list("pk", flat=True)):
            programme.indicators.set(wanted)
            changed = True
    if changed:
        stamp(programme, actor, "programme_update")
        programme.save(update_fields=["description"])
    return programme


@transaction.atomic
def programme_delete(*, actor: Any, programme: Programme) -> None:
    """Delete a programme's record while no initiative was submitted to it (its periods and
    their targets stay: they belong to the indicators)."""
    programme = Programme.objects.select_related("unit", "period").get(pk=programme.pk)
    require(actor, Action.ACTIVITIES_MANAGE, programme.unit)
    if programme.initiatives.exists():
        raise RuleViolation(
            _("Initiatives were submitted to %(programme)s: it cannot be deleted.")
            % {"programme": programme.name}
        )
    stamp(programme, actor, "programme_delete")
    programme.indicators.clear()
    programme.delete()
