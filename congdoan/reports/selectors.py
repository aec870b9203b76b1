"""Reads of the reports app: the facts a report states, and the reports a user may see.

`report_facts(report, actor=…)` reads, once, everything the report tells: for each of its
periods the results of every indicator with a figure or a target (over the subject's subtree as
it stood at the period's end, with the body's own figure apart, the target, the same period a
year earlier, approval and the rank among the units under the same parent), the units below for
the annex (only those within the reader's scope), the clusters the subject belongs to with their
totals and its rank there, the sections other apps register, the meeting and the tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core import worklocks
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q
from congdoan.indicators import selectors as ind
from congdoan.indicators.dashboards.objects import sheet_status_label
from congdoan.indicators.models import Better, Indicator, Period, SheetStatus, Source, Value
from congdoan.organisation.models import Cluster, ClusterMembership, Unit
from congdoan.reports import sections
from congdoan.reports.facts import (
    ClusterFacts,
    IndicatorRef,
    MeetingFacts,
    PeriodFacts,
    ReportFacts,
    Result,
    SectionFacts,
    UnitLine,
    UnitsBelow,
)
from congdoan.reports.models import (
    Generation,
    GenerationState,
    OutgoingNumber,
    Report,
    ReportTemplate,
)

DONE = (SheetStatus.APPROVED, SheetStatus.LOCKED)

# ---------------------------------------------------------------------------------------------
# Lists and single objects


def reports_visible(user: Any) -> QuerySet[Report]:
    return (
        Report.objects.visible_to(user, Action.REPORTS_VIEW)
        .select_related("unit", "period", "second_period", "cluster")
        .order_by("-created_at", "-pk")
    )


# A generation whose worker died (killed, machine restarted) would say "Generating 40%" for
# ever. While a worker runs it, it holds a session lock on it (core/worklocks.py) and beats
# `heartbeat_at` with the progress. Running, no beat for STALL_AFTER and the lock free: stalled.
# Nothing of it was written (the files are saved only when all are ready); its page says so, and
# the next generation of the report records it as failed (`services.generation_start`).
GENERATION_LOCKS = 7303
STALL_AFTER = dt.timedelta(minutes=10)


def generation_stalled(gen: Generation, *, now: dt.datetime | None = None) -> bool:
    if gen.state != GenerationState.RUNNING:
        return False
    beat = gen.heartbeat_at or gen.created_at
    if beat > (now or timezone.now()) - STALL_AFTER:
        return False
    return not worklocks.held_elsewhere(GENERATION_LOCKS, gen.pk)


def generations_of(report: Report) -> list[Generation]:
    return list(report.generations.order_by("-version"))


def latest_generation(report: Report) -> Generation | None:
    return report.generations.order_by("-version").first()


def latest_done(report: Report) -> Generation | None:
    return report.generations.filter(state=GenerationState.DONE).order_by("-version").first()


def template_of(unit: Unit) -> ReportTemplate | None:
    """The unit's current template version (None: the defaults)."""
    return ReportTemplate.objects.filter(unit=unit).order_by("-version").first()


def template_versions(unit: Unit) -> list[ReportTemplate]:
    return list(ReportTemplate.objects.filter(unit=unit).order_by("-version"))


def outgoing_register(unit: Unit, year: int) -> list[OutgoingNumber]:
    return list(
        OutgoingNumber.objects.filter(unit=unit, year=year)
        .select_related("report")
        .order_by("-number")
    )


# ---------------------------------------------------------------------------------------------
# The facts


def report_facts(report: Report, *, actor: Any, as_of: dt.datetime | None = None) -> ReportFacts:
    """Everything `report` states (see the module docstring). `actor` bounds the units below
    listed in the annex; the subject's own figures are whole (the report is the subject's)."""
    as_of = timezone.localtime(as_of or timezone.now())  # the document says local time
    periods = [p for p in (report.period, report.second_period) if p is not None]
    unit = report.unit
    if report.cluster_id:
        told = [_cluster_period(report.cluster, p) for p in periods]  # type: ignore[arg-type]
        below: list[UnitsBelow] = [_cluster_units(report.cluster, p) for p in periods]  # type: ignore[arg-type]
        # The cluster itself (its units and head unit): its totals are the report's results.
        clusters: list[ClusterFacts] = [_cluster_facts(report.cluster, periods[0])]  # type: ignore[arg-type]
        subject_name = report.cluster.name  # type: ignore[union-attr]
    else:
        states = [_states_below(unit, p) for p in periods]  # read once: a province's subtree
        told = [_period_facts(unit, p, s) for p, s in zip(periods, states, strict=True)]
        below = [
            _units_below(actor, unit, p, t, s)
            for p, t, s in zip(periods, told, states, strict=True)
        ]
        clusters = [c for p in periods[:1] for c in _clusters(unit, p)]
        subject_name = unit.name
    ctx = sections.ReportContext(actor, unit, report.cluster, periods, as_of)
    extra = []
    for spec in sections.registered():
        data = spec.collect(ctx)
        if data is not None:
            extra.append(SectionFacts(spec.key, data))
    parent = _parent(unit)
    return ReportFacts(
        subject="cluster" if report.cluster_id else "unit",
        issuer=unit.name,
        issuer_parent=parent.name if parent is not None else "",
        issuer_short=unit.short_name or unit.name,
        subject_name=subject_name,
        periods=told,
        units_below=below,
        clusters=clusters,
        sections=extra,
        tasks=report.task_lines(),
        data_at=as_of,
        meeting=meeting_facts(report.meeting_id),
        number=report.number,
        issued_on=report.issued_on,
        title=report.title,
    )


def meeting_facts(meeting_id: int | None) -> MeetingFacts | None:
    if not meeting_id:
        return None
    from congdoan.meetings import selectors as meetings

    meeting = meetings.meetings_full().filter(pk=meeting_id).first()
    return meetings.meeting_facts(meeting) if meeting is not None else None


def meeting_of_unit(meeting_id: int, unit: Unit) -> bool:
    """Whether the meeting is one the unit held (a report is presented at its own meetings)."""
    from congdoan.meetings import selectors as meetings

    return meetings.meetings_full().filter(pk=meeting_id, unit=unit).exists()


def meetings_of(unit: Unit) -> list[Any]:
    """The unit's meetings, newest first, for a report's choice of meeting."""
    from congdoan.meetings import selectors as meetings

    return list(meetings.meetings_full().filter(unit=unit).order_by("-held_on")[:50])


def _kept(figs: ind.Figures) -> list[str]:
    """The indicators a report tells: those with a figure or a target. A figure derived from a
    register that counts nothing and has no target is left out: a body that does not keep the
    register (or had nothing to record) is not made to say "0 đoàn viên"."""
    return [
        c
        for c, f in figs.items()
        if f.target is not None or (f.value is not None and not (f.computed and f.value == 0))
    ]


def _period_facts(unit: Unit, period: Period, states: dict[int, str]) -> PeriodFacts:
    inds = ind.indicators_in(period)
    figs = ind.unit_figures(unit.pk, period, inds)
    codes = _kept(figs)
    kept = [i for i in inds if i.code in codes]
    before = ind.year_before(period)
    previous = ind.unit_figures(unit.pk, before, kept) if before is not None and kept else {}
    own = _own_values(unit, period, kept)
    ranks, among = _sibling_ranks(unit, period, kept)
    results = [
        _result(i, figs[i.code], previous.get(i.code), own.get(i.code), ranks.get(i.code), among)
        for i in kept
    ]
    return PeriodFacts(
        label=period.label,
        kind=period.kind,
        start=period.start,
        end=period.end,
        previous_label=before.label if before is not None else "",
        results=results,
        pending_units=sum(1 for s in states.values() if s and s not in DONE),
        missing_units=sum(1 for s in states.values() if not s),
        units_below=len(states),
    )


def _result(
    i: Indicator,
    fig: ind.Figure,
    prev: ind.Figure | None,
    own: Decimal | None,
    ranked: ind.Ranked | None,
    among: str,
) -> Result:
    return Result(
        code=i.code,
        name=i.name,
        short_name=i.short_name,
        group=i.group.name if i.group_id else "",
        unit_of_measure=i.unit_of_measure,
        value_type=i.value_type,
        lower_is_better=i.better == Better.LOWER,
        value=fig.value,
        own=own,
        target=fig.target,
        target_of=fig.target_of,
        previous=prev.value if prev is not None else None,
        approved=fig.is_approved,
        computed=fig.computed,
        rank=ranked.rank if ranked is not None else None,
        rank_of=ranked.of if ranked is not None else 0,
        rank_among=among if ranked is not None and ranked.rank else "",
    )


def _own_values(unit: Unit, period: Period, inds: Sequence[Indicator]) -> dict[str, Decimal]:
    """What the body itself entered on its own sheet (the units below apart)."""
    codes = {i.pk: i.code for i in inds if i.source == Source.ENTERED}
    rows = Value.objects.filter(unit=unit, period=period, indicator_id__in=list(codes))
    return {codes[i]: v for i, v in rows.values_list("indicator_id", "value")}


def _sibling_ranks(
    unit: Unit, period: Period, inds: Sequence[Indicator]
) -> tuple[dict[str, ind.Ranked], str]:
    """The unit's rank among the units under the same parent, on each entered indicator (the
    registers would be counted over every sibling's subtree: too slow for a report of many)."""
    siblings = ind.siblings_on(unit.pk, period.end)
    entered = [i for i in inds if i.source == Source.ENTERED]
    if len(siblings) < 2 or not entered:
        return {}, ""
    figs = ind.figures([u for u, _n in siblings], period, entered)
    out = {}
    for i in entered:
        ranked = ind.rank(
            {u: f[i.code].value if i.code in f else None for u, f in figs.items()},
            lower_is_better=i.better == Better.LOWER,
        )
        out[i.code] = ranked[unit.pk]
    parent = _parent(unit)
    among = _("among the units of %(parent)s") % {"parent": parent.name} if parent else ""
    return out, among


# How far a sheet has gone, to combine the sheets of a period's parts (a programme's phases).
_PROGRESS = {"": 0, SheetStatus.DRAFT: 1, SheetStatus.SUBMITTED: 2, SheetStatus.APPROVED: 3,
             SheetStatus.LOCKED: 4}  # fmt: skip


def _combined(states: list[str]) -> str:
    """A unit's state over the parts it reported: nothing sent when it sent no part; else the
    least advanced of the parts it sent."""
    sent = [s for s in states if s]
    return min(sent, key=lambda s: _PROGRESS.get(s, 0)) if sent else ""


def _sheet_states(unit: Unit, period: Period) -> tuple[list[tuple[int, str, str]], dict[int, str]]:
    """The units below at the period's end and how far the
    figures of each one's subtree have gone: "" when neither it nor any unit below it entered
    anything, else the least advanced sheet among its own and those below it (a district whose
    grassroots unions report counts as sent). A period with parts (a programme and its phases)
    is reported on its parts."""
    kids, _states = ind.children_with_sheets(unit.pk, period, timezone.localdate())
    ids = [u for u, _n, _c in kids]
    parts = [p for p in ind.parts_of(period) if p.pk != period.pk] or [period]
    seen: dict[int, list[str]] = {u: [] for u in ids}
    for part in parts:
        sent = _subtree_sheets(unit, part, ids)
        for u in ids:
            seen[u].append(_combined(sent.get(u, [])))
    return kids, {u: _combined(states) for u, states in seen.items()}


def _subtree_sheets(unit: Unit, period: Period, child_ids: list[int]) -> dict[int, list[str]]:
    """For each unit below `unit`, the statuses of the sheets of its subtree (itself included)
    in `period`, as the tree stood at the period's end: one read of the subtree's sheets (a
    province: some 20,000), each given to the child whose path begins its path."""
    from congdoan.indicators.models import Sheet
    from congdoan.organisation.models import UnitVersion

    day = period.end
    children = dict(
        UnitVersion.objects.on(day).filter(unit_id__in=child_ids).values_list("path", "unit_id")
    )
    if not children:
        return {}
    width = len(next(iter(children)))
    on_day = Q(unit__versions__valid_from__lte=day) & (
        Q(unit__versions__valid_to__isnull=True) | Q(unit__versions__valid_to__gt=day)
    )
    found: dict[int, list[str]] = {}
    prefix = next(iter(children))[: width - Unit.steplen]
    rows = Sheet.objects.filter(
        path_range_q("unit__versions__path", prefix) & on_day, period=period
    ).values_list("unit__versions__path", "status")
    for path, status in rows.iterator(chunk_size=5000):
        child = children.get(path[:width])
        if child is not None:
            found.setdefault(child, []).append(status)
    return found


def _states_below(unit: Unit, period: Period) -> dict[int, str]:
    return _sheet_states(unit, period)[1]


def _refs(results: list[Result]) -> list[IndicatorRef]:
    return [IndicatorRef(r.code, r.name, r.unit_of_measure, r.value_type, r.group) for r in results]


def _units_below(
    actor: Any, unit: Unit, period: Period, told: PeriodFacts, states: dict[int, str]
) -> UnitsBelow:
    """The units below within `actor`'s scope (the others counted as hidden), with the state
    of their subtree's figures (`states`, from `_states_below`)."""
    kids = ind.children_with_sheets(unit.pk, period, timezone.localdate(), actor)[0]
    refs = _refs([r for r in told.results if not r.computed])
    inds = ind.indicators_in(period, [r.code for r in refs])
    figs = ind.figures([u for u, _n, _c in kids], period, inds) if kids and inds else {}
    rows = []
    for u, name, code in sorted(kids, key=lambda k: k[1]):
        f = figs.get(u, {})
        status = states.get(u, "")
        rows.append(
            UnitLine(
                name=name,
                code=code,
                values={r.code: f[r.code].value if r.code in f else None for r in refs},
                targets={r.code: f[r.code].target if r.code in f else None for r in refs},
                approved=status in DONE,
                status=str(sheet_status_label(status)),
            )
        )
    return UnitsBelow(period.label, refs, rows, hidden=len(states) - len(kids))


def _clusters(unit: Unit, period: Period) -> list[ClusterFacts]:
    out = []
    memberships = ClusterMembership.objects.filter(unit=unit, year=period.end.year)
    for cluster in [m.cluster for m in memberships.select_related("cluster")]:
        facts = _cluster_facts(cluster, period, subject=unit)
        out.append(facts)
    return out


def _cluster_facts(cluster: Cluster, period: Period, subject: Unit | None = None) -> ClusterFacts:
    inds = [i for i in ind.indicators_in(period) if i.source == Source.ENTERED]
    cf = ind.cluster_figures(cluster, period, inds)
    codes = _kept(cf.total)
    kept = [i for i in inds if i.code in codes]
    results = [_result(i, cf.total[i.code], None, None, None, "") for i in kept]
    rank, of = None, 0
    if subject is not None and cf.by_unit:
        ranked = ind.rank({u: ind.rank_key(f, "achievement") for u, f in cf.by_unit.items()})
        mine = ranked.get(subject.pk)
        rank, of = (mine.rank, mine.of) if mine is not None else (None, 0)
    head = next((n for _u, n, h in cf.members if h), "")
    return ClusterFacts(
        name=cluster.name,
        head=head,
        units=[n for _u, n, _h in cf.members],
        period_label=period.label,
        results=results,
        subject_rank=rank,
        rank_of=of,
    )


def _cluster_period(cluster: Cluster, period: Period) -> PeriodFacts:
    facts = _cluster_facts(cluster, period)
    before = ind.year_before(period)
    return PeriodFacts(
        label=period.label,
        kind=period.kind,
        start=period.start,
        end=period.end,
        previous_label=before.label if before is not None else "",
        results=facts.results,
        units_below=len(facts.units),
    )


def _cluster_units(cluster: Cluster, period: Period) -> UnitsBelow:
    inds = [i for i in ind.indicators_in(period) if i.source == Source.ENTERED]
    cf = ind.cluster_figures(cluster, period, inds)
    refs = _refs(
        [
            _result(i, cf.total[i.code], None, None, None, "")
            for i in inds
            if i.code in _kept(cf.total)
        ]
    )
    rows = [
        UnitLine(
            name=name,
            code="",
            values={r.code: cf.by_unit[u][r.code].value for r in refs},
            targets={r.code: cf.by_unit[u][r.code].target for r in refs},
            approved=all(cf.by_unit[u][r.code].is_approved for r in refs),
            status="",
        )
        for u, name, _h in cf.members
    ]
    return UnitsBelow(period.label, refs, rows)


def cluster_by_code(user: Any, code: str) -> Cluster | None:
    """A cluster the user's report-writing scope covers (its organiser), by code."""
    return Cluster.objects.visible_to(user, Action.REPORTS_WRITE).filter(code=code.strip()).first()


def generation_of(user: Any, pk: int) -> Generation:
    from congdoan.core.scoping import get_visible_or_404

    return get_visible_or_404(
        Generation.objects.select_related("report", "report__unit"),
        user,
        Action.REPORTS_VIEW,
        pk=pk,
    )


def section_choices() -> list[tuple[str, str]]:
    """The sections a template may leave out: the report's own and the registered ones."""
    own = [
        ("results", _("Results against targets")),
        ("clusters", _("Emulation clusters")),
        ("assessment", _("General assessment")),
        ("tasks", _("Tasks for the next period")),
    ]
    return own + [(s.key, str(s.label)) for s in sections.registered()]


def _parent(unit: Unit) -> Unit | None:
    return Unit.objects.filter(pk=unit.parent_id).first() if unit.parent_id else None


def current_chair(unit: Unit, day: dt.date | None = None) -> str:
    """The name of the unit's chair (Chủ tịch) seated on `day`: who signs when the template
    names nobody."""
    from congdoan.organisation.models import CommitteeSeat

    day = day or timezone.localdate()
    seat = (
        CommitteeSeat.objects.filter(
            term__unit=unit, position__code="chu_tich", start_date__lte=day
        )
        .exclude(end_date__lte=day)
        .order_by("-start_date")
        .first()
    )
    return seat.full_name if seat is not None else ""


def units_all() -> QuerySet[Unit]:
    return Unit.objects.all()


def template_version(unit: Unit, version: int) -> ReportTemplate | None:
    return ReportTemplate.objects.filter(unit=unit, version=version).first()
