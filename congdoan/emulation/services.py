"""Writes of the emulation cycle. Each service is atomic, names its actor, checks the rules and
writes the history row (its change reason is the service's name, labelled in `apps.py`).

Who may do what ("activities.manage", `MANAGE`, on the unit named):

- a movement and its phases: the organiser;
- a registration, or its withdrawal: the unit registered (or a unit above it); the unit lies in
  the organiser's subtree; the year within the movement's years; one active registration per
  unit (or member), movement and year;
- a scoring scheme: its organiser; a national scheme (no organiser) only a user whose scope
  covers the whole tree (no actor, or a grant at the root);
- a scorecard: opened by the unit scored or the cluster's organiser, for a unit that is a member
  of the cluster that year, under the scheme in force (`selectors.scheme_for`); its stages in
  order — the self-score by the unit, the cluster score by the cluster's head unit of that year
  or its organiser once the self-score is in, the final score by the organiser once the cluster
  score is in; a stage may be given again until the next one is; points between 0 and the
  criterion's maximum; an automatic criterion scored otherwise than the engine proposes needs a
  note;
- the cluster's proposal of leading units: by its head unit or its organiser, member units of
  that year only; a submitted proposal no longer changes (the awards app reads it).

Pledges are the meetings app's (`meetings.services.pledge_create`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number, short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, refusal, require, scope_prefixes
from congdoan.core.text import nfc
from congdoan.emulation import auto
from congdoan.emulation.models import (
    AutoSource,
    ClusterProposal,
    CriteriaGroup,
    Criterion,
    Movement,
    MovementKind,
    Phase,
    ProposalStatus,
    ProposedUnit,
    Registration,
    Score,
    Scorecard,
    ScoringScheme,
    Stage,
)
from congdoan.organisation.models import Cluster, ClusterMembership, Unit

MANAGE = Action.ACTIVITIES_MANAGE
MIN_YEAR, MAX_YEAR = 1945, 2200
MOVEMENT_FIELDS = (
    "name",
    "theme",
    "kind",
    "start_year",
    "end_year",
    "starts_on",
    "ends_on",
    "description",
)
TEXT_LIMITS = {"name": 300, "theme": 500}
POINTS_MAX = Decimal("9999.99")


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _check_year(year: Any, field: str = "year") -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(_("%(year)s is not a valid year.") % {"year": year}, field=field)


def _see(actor: Any, unit: Unit) -> None:
    """A unit the actor cannot see is "not found", as one that does not exist."""
    if actor is not None and not path_in_scope(actor, Action.ORGANISATION_VIEW, unit.path):
        raise RuleViolation(_("This unit was not found within your scope."), field="unit")


# ---------------------------------------------------------------------------------------------
# Movements


def check_movement(movement: Movement) -> None:
    if not movement.name:
        raise RuleViolation(_("The name of the movement is required."), field="name")
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(movement, name)) > limit:
            raise RuleViolation(_("Too long: at most %(n)s characters.") % {"n": limit}, field=name)
    if movement.kind not in MovementKind.values:
        raise RuleViolation(_("Choose the kind of movement."), field="kind")
    _check_year(movement.start_year, "start_year")
    _check_year(movement.end_year, "end_year")
    if movement.end_year < movement.start_year:
        raise RuleViolation(
            _("The movement ends in %(end)s, before it starts (%(start)s).")
            % {"end": movement.end_year, "start": movement.start_year},
            field="end_year",
        )
    if movement.kind == MovementKind.YEARLY and movement.end_year != movement.start_year:
        raise RuleViolation(
            _("The theme of a year runs for one year: give the same year twice."),
            field="end_year",
        )
    start, end = movement.starts_on, movement.ends_on
    for name, day in (("starts_on", start), ("ends_on", end)):
        if day is None:
            continue
        if not _is_date(day) or not movement.start_year <= day.year <= movement.end_year:
            raise RuleViolation(
                _("The date must fall within the movement's years (%(years)s).")
                % {"years": movement.years_label},
                field=name,
            )
    if start is not None and end is not None and end < start:
        raise RuleViolation(
            _("The end date must be on or after the start date (%(day)s).")
            % {"day": short_date(start)},
            field="ends_on",
        )


@transaction.atomic
def movement_create(
    *,
    actor: Any,
    organiser: Unit,
    name: str,
    kind: str,
    start_year: int,
    end_year: int | None = None,
    **fields: Any,
) -> Movement:
    """Launch a movement organised by `organiser` (`fields`: any other of MOVEMENT_FIELDS)."""
    organiser = Unit.objects.get(pk=organiser.pk)
    require(actor, MANAGE, organiser)
    unknown = set(fields) - set(MOVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown movement fields: {sorted(unknown)}")
    movement = Movement(
        organiser=organiser,
        name=nfc(name),
        kind=kind,
        start_year=start_year,
        end_year=end_year if end_year is not None else start_year,
        **{k: (nfc(v) if isinstance(v, str) else v) for k, v in fields.items()},
    )
    check_movement(movement)
    stamp(movement, actor, "movement_create")
    movement.save()
    return movement


@transaction.atomic
def movement_update(*, actor: Any, movement: Movement, **changes: Any) -> Movement:
    """Change any of MOVEMENT_FIELDS; registrations must stay within the movement's years."""
    movement = Movement.objects.select_related("organiser").get(pk=movement.pk)
    require(actor, MANAGE, movement.organiser)
    unknown = set(changes) - set(MOVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown movement fields: {sorted(unknown)}")
    changes = {k: (nfc(v) if isinstance(v, str) else v) for k, v in changes.items()}
    changed = [k for k, v in changes.items() if getattr(movement, k) != v]
    if not changed:
        return movement
    for name in changed:
        setattr(movement, name, changes[name])
    check_movement(movement)
    outside = movement.registrations.exclude(
        year__gte=movement.start_year, year__lte=movement.end_year
    )
    if outside.exists():
        raise RuleViolation(
            _("Units registered for years outside %(years)s: withdraw them first.")
            % {"years": movement.years_label},
            field="start_year",
        )
    stamp(movement, actor, "movement_update")
    movement.save(update_fields=[*sorted(changed), "updated_at"])
    return movement


@transaction.atomic
def phase_add(
    *, actor: Any, movement: Movement, name: str, starts_on: dt.date, ends_on: dt.date
) -> Phase:
    """Add a phase (giai đoạn) to a movement, within its years."""
    movement = Movement.objects.select_related("organiser").get(pk=movement.pk)
    require(actor, MANAGE, movement.organiser)
    name = nfc(name)
    if not name:
        raise RuleViolation(_("The name of the phase is required."), field="name")
    if not _is_date(starts_on) or not _is_date(ends_on) or ends_on < starts_on:
        raise RuleViolation(_("A phase ends on or after the day it starts."), field="ends_on")
    if starts_on.year < movement.start_year or ends_on.year > movement.end_year:
        raise RuleViolation(
            _("The date must fall within the movement's years (%(years)s).")
            % {"years": movement.years_label},
            field="starts_on",
        )
    overlapping = movement.phases.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise RuleViolation(
            _("The phase overlaps %(phase)s.") % {"phase": overlapping.name}, field="starts_on"
        )
    phase = Phase(movement=movement, name=name, starts_on=starts_on, ends_on=ends_on)
    stamp(phase, actor, "phase_add")
    phase.save()
    return phase


# ---------------------------------------------------------------------------------------------
# Registrations


@transaction.atomic
def registration_create(
    *,
    actor: Any,
    movement: Movement,
    unit: Unit,
    year: int,
    registered_on: dt.date,
    commitments: str = "",
    member: Any = None,
) -> Registration:
    """Register `unit` (or its member `member`) for `movement` in `year`."""
    movement = Movement.objects.select_related("organiser").get(pk=movement.pk)
    unit = Unit.objects.get(pk=unit.pk)
    _see(actor, unit)
    require(actor, MANAGE, unit)
    if not unit.path.startswith(movement.organiser.path):
        raise RuleViolation(
            _("%(unit)s is not within %(organiser)s, which organises this movement.")
            % {"unit": _label(unit), "organiser": _label(movement.organiser)},
            field="unit",
        )
    _check_year(year)
    if year not in movement.years:
        raise RuleViolation(
            _("%(movement)s runs in %(years)s.")
            % {"movement": movement.name, "years": movement.years_label},
            field="year",
        )
    if not _is_date(registered_on):
        raise RuleViolation(
            _("The registration date is missing or invalid."), field="registered_on"
        )
    if unit.dissolved_on is not None and unit.dissolved_on < registered_on:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on)},
            field="unit",
        )
    if member is not None:
        member = type(member)._default_manager.select_related("unit").get(pk=member.pk)
        if member.unit_id != unit.pk:
            raise RuleViolation(
                _("%(name)s is not a member of %(unit)s.")
                % {"name": member.full_name, "unit": _label(unit)},
                field="member",
            )
    active = Registration.objects.filter(
        movement=movement, year=year, unit=unit, withdrawn_on__isnull=True
    )
    active = active.filter(member=member) if member is not None else active.filter(member=None)
    if active.exists():
        who = member.full_name if member is not None else _label(unit)
        raise RuleViolation(
            _("%(who)s is already registered for %(movement)s in %(year)s.")
            % {"who": who, "movement": movement.name, "year": year},
            field="member" if member is not None else "unit",
        )
    registration = Registration(
        movement=movement,
        year=year,
        unit=unit,
        member=member,
        commitments=nfc(commitments),
        registered_on=registered_on,
    )
    stamp(registration, actor, "registration_create")
    registration.save()
    return registration


@transaction.atomic
def registration_withdraw(
    *, actor: Any, registration: Registration, withdrawn_on: dt.date, reason: str = ""
) -> Registration:
    """Withdraw a registration (kept, with the day and the reason)."""
    registration = Registration.objects.select_related("unit", "movement").get(pk=registration.pk)
    require(actor, MANAGE, registration.unit)
    if registration.withdrawn_on is not None:
        raise RuleViolation(
            _("This registration was withdrawn on %(day)s.")
            % {"day": short_date(registration.withdrawn_on)}
        )
    if not _is_date(withdrawn_on) or withdrawn_on < registration.registered_on:
        raise RuleViolation(
            _("The withdrawal is dated on or after the registration (%(day)s).")
            % {"day": short_date(registration.registered_on)},
            field="withdrawn_on",
        )
    reason = nfc(reason)
    if len(reason) > 300:
        raise RuleViolation(_("Too long: at most %(n)s characters.") % {"n": 300}, field="reason")
    registration.withdrawn_on = withdrawn_on
    registration.withdrawal_reason = reason
    stamp(registration, actor, "registration_withdraw")
    registration.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    return registration


# ---------------------------------------------------------------------------------------------
# Scoring schemes


def _require_national(actor: Any) -> None:
    if actor is None:
        return
    prefixes = scope_prefixes(actor, MANAGE)
    if prefixes is None:
        return
    root_paths = [p for p in prefixes if len(p) <= 4]
    if not root_paths:
        raise RuleViolation(
            _("Only a user whose roles cover the whole federation may record a national scheme."),
            field="organiser",
        )


@transaction.atomic
def scheme_create(
    *,
    actor: Any,
    name: str,
    from_year: int,
    groups: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
    organiser: Unit | None = None,
    cluster: Cluster | None = None,
    description: str = "",
) -> ScoringScheme:
    """Record a scoring scheme: `groups` are (name, criteria), each criterion a mapping of
    `name`, `max_points`, and optionally `evidence` and `auto_source`."""
    if organiser is not None:
        organiser = Unit.objects.get(pk=organiser.pk)
        require(actor, MANAGE, organiser)
    else:
        _require_national(actor)
    if cluster is not None:
        cluster = Cluster.objects.select_related("organiser").get(pk=cluster.pk)
        if organiser is None or cluster.organiser_id != organiser.pk:
            raise RuleViolation(
                _("A scheme for %(cluster)s is recorded by the unit that organises it.")
                % {"cluster": cluster.name},
                field="cluster",
            )
    name = nfc(name)
    if not name:
        raise RuleViolation(_("The name of the scheme is required."), field="name")
    _check_year(from_year, "from_year")
    if not groups or not any(criteria for _n, criteria in groups):
        raise RuleViolation(_("A scheme needs at least one criterion."), field="groups")
    scheme = ScoringScheme(
        organiser=organiser,
        cluster=cluster,
        name=name,
        from_year=from_year,
        description=nfc(description),
    )
    stamp(scheme, actor, "scheme_create")
    scheme.save()
    for g_order, (g_name, criteria) in enumerate(groups, start=1):
        group = CriteriaGroup(scheme=scheme, order=g_order, name=nfc(g_name))
        if not group.name:
            raise RuleViolation(_("Each group of criteria needs a name."), field="groups")
        stamp(group, actor, "scheme_create")
        group.save()
        for c_order, spec in enumerate(criteria, start=1):
            _criterion(actor, group, c_order, spec)
    return scheme


def _criterion(actor: Any, group: CriteriaGroup, order: int, spec: Mapping[str, Any]) -> None:
    c_name = nfc(str(spec.get("name", "")))
    if not c_name:
        raise RuleViolation(_("Each criterion needs a name."), field="groups")
    try:
        max_points = Decimal(str(spec.get("max_points")))
    except (InvalidOperation, ValueError) as exc:
        raise RuleViolation(
            _("%(criterion)s: the maximum points must be a number.") % {"criterion": c_name},
            field="groups",
        ) from exc
    if not Decimal(0) < max_points <= POINTS_MAX or max_points != round(max_points, 2):
        raise RuleViolation(
            _("%(criterion)s: the maximum points must be above 0, with at most 2 decimals.")
            % {"criterion": c_name},
            field="groups",
        )
    source = str(spec.get("auto_source") or "")
    if source and source not in AutoSource.values:
        raise RuleViolation(
            _("%(criterion)s: unknown automatic source %(source)s.")
            % {"criterion": c_name, "source": source},
            field="groups",
        )
    criterion = Criterion(
        group=group,
        order=order,
        name=c_name,
        max_points=max_points,
        evidence=nfc(str(spec.get("evidence") or ""))[:500],
        auto_source=source,
    )
    stamp(criterion, actor, "scheme_create")
    criterion.save()


# ---------------------------------------------------------------------------------------------
# Scorecards


def _membership(cluster: Cluster, year: int, unit: Unit) -> ClusterMembership | None:
    return ClusterMembership.objects.filter(cluster=cluster, year=year, unit=unit).first()


def _head(cluster: Cluster, year: int) -> Unit | None:
    row = (
        ClusterMembership.objects.filter(cluster=cluster, year=year, is_head=True)
        .select_related("unit")
        .first()
    )
    return row.unit if row is not None else None


@transaction.atomic
def scorecard_open(*, actor: Any, unit: Unit, cluster: Cluster, year: int) -> Scorecard:
    """Open the scorecard of `unit` in `cluster` for `year` under the scheme in force (or give
    back the one already open)."""
    from congdoan.emulation import selectors

    unit = Unit.objects.get(pk=unit.pk)
    cluster = Cluster.objects.select_related("organiser").get(pk=cluster.pk)
    _see(actor, unit)
    if actor is not None and not (
        path_in_scope(actor, MANAGE, unit.path)
        or path_in_scope(actor, MANAGE, cluster.organiser.path)
    ):
        raise refusal(actor, unit)
    _check_year(year)
    if _membership(cluster, year, unit) is None:
        raise RuleViolation(
            _("%(unit)s is not a member of %(cluster)s in %(year)s.")
            % {"unit": _label(unit), "cluster": cluster.name, "year": year},
            field="unit",
        )
    existing = Scorecard.objects.filter(unit=unit, cluster=cluster, year=year).first()
    if existing is not None:
        return existing
    scheme = selectors.scheme_for(cluster, year)
    if scheme is None:
        raise RuleViolation(
            _("No scoring scheme is in force for %(cluster)s in %(year)s.")
            % {"cluster": cluster.name, "year": year},
            field="scheme",
        )
    card = Scorecard(unit=unit, cluster=cluster, year=year, scheme=scheme)
    stamp(card, actor, "scorecard_open")
    card.save()
    return card


def may_score(actor: Any, card: Scorecard, stage: str) -> bool:
    """Whether `actor` gives `stage` of `card` (the unit; the cluster's head unit of the year
    or its organiser; the organiser)."""
    if actor is None:
        return True
    organiser = card.cluster.organiser
    if stage == Stage.SELF:
        return path_in_scope(actor, MANAGE, card.unit.path)
    if stage == Stage.CLUSTER:
        head = _head(card.cluster, card.year)
        return path_in_scope(actor, MANAGE, organiser.path) or (
            head is not None and path_in_scope(actor, MANAGE, head.path)
        )
    return path_in_scope(actor, MANAGE, organiser.path)


def _check_stage_order(card: Scorecard, stage: str) -> None:
    names = {s.value: s.label for s in Stage}
    previous = {Stage.CLUSTER: Stage.SELF, Stage.FINAL: Stage.CLUSTER}.get(Stage(stage))
    if previous is not None and not card.done(previous):
        raise RuleViolation(
            _("%(stage)s of %(unit)s needs the %(previous)s first.")
            % {
                "stage": names[stage],
                "unit": _label(card.unit),
                "previous": str(names[previous]).lower(),
            },
            field="stage",
        )
    following = {Stage.SELF: Stage.CLUSTER, Stage.CLUSTER: Stage.FINAL}.get(Stage(stage))
    if following is not None and card.done(following):
        raise RuleViolation(
            _("The %(next)s of %(unit)s has been given: the %(stage)s no longer changes.")
            % {
                "next": str(names[following]).lower(),
                "unit": _label(card.unit),
                "stage": str(names[stage]).lower(),
            },
            field="stage",
        )


def _points(criterion: Criterion, value: Any) -> Decimal:
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise RuleViolation(
            _("%(criterion)s: enter the points as a number.") % {"criterion": criterion.name},
            field=f"c{criterion.pk}",
        ) from exc
    if not points.is_finite() or not Decimal(0) <= points <= criterion.max_points:
        raise RuleViolation(
            _("%(criterion)s: the points must lie between 0 and %(max)s.")
            % {"criterion": criterion.name, "max": number(criterion.max_points, 2)},
            field=f"c{criterion.pk}",
        )
    if points != round(points, 2):
        raise RuleViolation(
            _("%(criterion)s: at most 2 decimals.") % {"criterion": criterion.name},
            field=f"c{criterion.pk}",
        )
    return points


@transaction.atomic
def scorecard_score(
    *,
    actor: Any,
    scorecard: Scorecard,
    stage: str,
    points: Mapping[int, Any],
    notes: Mapping[int, str] | None = None,
) -> Scorecard:
    """Give `stage` of a scorecard: `points` by criterion id, every criterion of the scheme;
    `notes` by criterion id. The stage's total, who and when are kept on the scorecard."""
    rows_q = Scorecard.objects.select_for_update(of=("self",)).select_related(
        "unit", "cluster__organiser", "scheme"
    )
    card = rows_q.get(pk=scorecard.pk)
    if actor is not None and not Scorecard.objects.visible_to(actor).filter(pk=card.pk).exists():
        raise RuleViolation(_("This scorecard was not found within your scope."))
    if stage not in Stage.values:
        raise RuleViolation(_("Unknown stage %(stage)s.") % {"stage": stage}, field="stage")
    if not may_score(actor, card, stage):
        raise _score_refusal(actor, card, stage)
    _check_stage_order(card, stage)
    notes = notes or {}
    criteria = list(
        Criterion.objects.filter(group__scheme=card.scheme).order_by("group__order", "order", "pk")
    )
    unknown = set(points) - {c.pk for c in criteria}
    if unknown:
        raise RuleViolation(_("A criterion is not part of this scheme."), field="points")
    proposals = auto.proposals(card.unit, card.year, criteria)
    total = Decimal(0)
    rows: list[Score] = []
    for criterion in criteria:
        if criterion.pk not in points or points[criterion.pk] in (None, ""):
            raise RuleViolation(
                _("%(criterion)s: the points are missing.") % {"criterion": criterion.name},
                field=f"c{criterion.pk}",
            )
        value = _points(criterion, points[criterion.pk])
        note = nfc(str(notes.get(criterion.pk) or ""))
        if len(note) > 500:
            raise RuleViolation(
                _("Too long: at most %(n)s characters.") % {"n": 500}, field=f"n{criterion.pk}"
            )
        proposal = proposals.get(criterion.pk)
        auto_points = proposal.points if proposal is not None else None
        if auto_points is not None and value != auto_points and not note:
            raise RuleViolation(
                _(
                    "%(criterion)s: the figures give %(auto)s points; say in a note why you "
                    "give %(points)s."
                )
                % {
                    "criterion": criterion.name,
                    "auto": number(auto_points, 2),
                    "points": number(value, 2),
                },
                field=f"n{criterion.pk}",
            )
        total += value
        rows.append(
            Score(
                scorecard=card,
                criterion=criterion,
                stage=stage,
                points=value,
                auto_points=auto_points,
                source=proposal.source[:300] if proposal is not None else "",
                note=note,
            )
        )
    for old in Score.objects.filter(scorecard=card, stage=stage):
        stamp(old, actor, "scorecard_score")
        old.delete()
    for row in rows:
        stamp(row, actor, "scorecard_score")
        row.save()
    setattr(card, f"{stage}_total", total)
    setattr(card, f"{stage}_by", actor if getattr(actor, "pk", None) else None)
    setattr(card, f"{stage}_at", timezone.now())
    stamp(card, actor, "scorecard_score")
    card.save(update_fields=[f"{stage}_total", f"{stage}_by", f"{stage}_at"])
    return card


def _score_refusal(actor: Any, card: Scorecard, stage: str) -> RuleViolation:
    """Why `actor` may not give `stage`; the scorecard is visible to the actor (checked
    before), so naming its unit and cluster tells nothing new."""
    if stage == Stage.SELF:
        message = _("Only %(unit)s (or a unit above it) gives its own score.") % {
            "unit": _label(card.unit)
        }
    elif stage == Stage.CLUSTER:
        message = _(
            "Only the head unit of %(cluster)s in %(year)s or its organiser gives the cluster "
            "score."
        ) % {"cluster": card.cluster.name, "year": card.year}
    else:
        message = _("Only %(organiser)s, which organises %(cluster)s, gives the final score.") % {
            "organiser": card.cluster.organiser.name,
            "cluster": card.cluster.name,
        }
    return RuleViolation(message, field="stage")


# ---------------------------------------------------------------------------------------------
# The cluster's proposal of its leading units


def _may_propose(actor: Any, cluster: Cluster, year: int) -> Unit | None:
    """The unit in whose name `actor` proposes: the organiser, else the head unit."""
    if actor is None or path_in_scope(actor, MANAGE, cluster.organiser.path):
        return cluster.organiser
    head = _head(cluster, year)
    if head is not None and path_in_scope(actor, MANAGE, head.path):
        return head
    return None


@transaction.atomic
def proposal_save(
    *,
    actor: Any,
    cluster: Cluster,
    year: int,
    entries: Sequence[tuple[Unit, str]],
    proposed_on: dt.date,
) -> ClusterProposal:
    """Record (or replace, while a draft) the units `cluster` proposes for `year`, in rank
    order, each with the award proposed."""
    from congdoan.emulation import selectors

    cluster = Cluster.objects.select_related("organiser").get(pk=cluster.pk)
    _check_year(year)
    by_unit = _may_propose(actor, cluster, year)
    if by_unit is None:
        raise RuleViolation(
            _(
                "Only the head unit of %(cluster)s in %(year)s or its organiser proposes its "
                "leading units."
            )
            % {"cluster": cluster.name, "year": year},
            field="cluster",
        )
    if not _is_date(proposed_on):
        raise RuleViolation(
            _("The date of the proposal is missing or invalid."), field="proposed_on"
        )
    if not entries:
        raise RuleViolation(_("Choose at least one unit to propose."), field="entries")
    members = set(
        ClusterMembership.objects.filter(cluster=cluster, year=year).values_list(
            "unit_id", flat=True
        )
    )
    seen: set[int] = set()
    ranks = {row.unit.pk: row for row in selectors.cluster_ranking(cluster, year)}
    checked: list[tuple[Unit, str]] = []
    for unit, award in entries:
        if unit.pk not in members:
            if actor is not None and not path_in_scope(actor, Action.ORGANISATION_VIEW, unit.path):
                raise RuleViolation(
                    _("One of the units is not a member of %(cluster)s in %(year)s.")
                    % {"cluster": cluster.name, "year": year},
                    field="entries",
                )
            raise RuleViolation(
                _("%(unit)s is not a member of %(cluster)s in %(year)s.")
                % {"unit": _label(unit), "cluster": cluster.name, "year": year},
                field="entries",
            )
        if unit.pk in seen:
            raise RuleViolation(
                _("%(unit)s is proposed twice.") % {"unit": _label(unit)}, field="entries"
            )
        seen.add(unit.pk)
        award = nfc(award)
        if not award:
            raise RuleViolation(
                _("%(unit)s: say which award is proposed.") % {"unit": _label(unit)},
                field="entries",
            )
        if len(award) > 300:
            raise RuleViolation(
                _("Too long: at most %(n)s characters.") % {"n": 300}, field="entries"
            )
        checked.append((unit, award))
    proposal = (
        ClusterProposal.objects.select_for_update().filter(cluster=cluster, year=year).first()
    )
    if proposal is not None and proposal.submitted:
        raise RuleViolation(
            _("The proposal of %(cluster)s for %(year)s has been submitted and no longer changes.")
            % {"cluster": cluster.name, "year": year}
        )
    if proposal is None:
        proposal = ClusterProposal(cluster=cluster, year=year)
    proposal.proposed_on = proposed_on
    proposal.proposed_by_unit = by_unit
    proposal.proposed_by = actor if getattr(actor, "pk", None) else None
    stamp(proposal, actor, "proposal_save")
    proposal.save()
    for old in proposal.entries.all():
        stamp(old, actor, "proposal_save")
        old.delete()
    for order, (unit, award) in enumerate(checked, start=1):
        placed = ranks.get(unit.pk)
        entry = ProposedUnit(
            proposal=proposal,
            order=order,
            unit=unit,
            award=award,
            rank=placed.rank if placed is not None else None,
            total=placed.total if placed is not None else None,
        )
        stamp(entry, actor, "proposal_save")
        entry.save()
    return proposal


@transaction.atomic
def proposal_submit(*, actor: Any, proposal: ClusterProposal) -> ClusterProposal:
    """Submit a draft proposal: from now on the awards app may turn it into nominations."""
    proposal = (
        ClusterProposal.objects.select_for_update(of=("self",))
        .select_related("cluster__organiser")
        .get(pk=proposal.pk)
    )
    if _may_propose(actor, proposal.cluster, proposal.year) is None:
        raise RuleViolation(
            _(
                "Only the head unit of %(cluster)s in %(year)s or its organiser proposes its "
                "leading units."
            )
            % {"cluster": proposal.cluster.name, "year": proposal.year},
            field="cluster",
        )
    if proposal.submitted:
        raise RuleViolation(
            _("The proposal of %(cluster)s for %(year)s has been submitted and no longer changes.")
            % {"cluster": proposal.cluster.name, "year": proposal.year}
        )
    if not proposal.entries.exists():
        raise RuleViolation(_("Choose at least one unit to propose."), field="entries")
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = timezone.now()
    stamp(proposal, actor, "proposal_submit")
    proposal.save(update_fields=["status", "submitted_at"])
    return proposal
