"""What waits for an officer in targets and figures, for the home page's work list
(`core.worklist`, registered in `apps.py`). "My units" are the units the user's role grants
are on for the action (every top unit for a system administrator), not the whole subtree below
them: each level looks after its own sheet and the level directly below it.

- sheets to approve: submitted sheets of the units directly below my units (those deeper may
  be approved too, `services.can_approve`, but they wait for the unit directly above them),
  each linking to the sheet with its approve button; past `SHEETS_SHOWN`, grouped by unit above
  and period, linking to the approver's list of the units below (`indicators:children`);
- sheets to send: my units' drafts of periods that have begun (returned ones say so), and
  the periods that ended lately where my units have entered nothing yet, late ones first;
- units late below: for periods whose due day passed lately, how many units directly below my
  units have not sent their figures, linking to the list of the units below;
- targets to hand down: running or coming periods where my unit has targets but none of the
  units below it has any, linking to the targets page.

A fixed number of queries whatever the size of the tree (at most `UNITS` × `LATE_PERIODS` for
the units late below, one per pair since each reads the tree as it stood at the period's end).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope, scope_prefixes
from congdoan.core.worklist import WorkItem, register_kind, register_provider
from congdoan.indicators import selectors
from congdoan.indicators.models import Period, Sheet, SheetStatus, Target
from congdoan.organisation.models import Unit

SHEETS_SHOWN = 10  # sheets to approve listed one by one; past that, by unit above and period
GROUPS_SHOWN = 10
UNITS = 5  # of the user's units, for late units and targets
LATE_PERIODS = 4
LATE_DAYS = 92  # periods whose due day passed within this many days
NOT_STARTED_DAYS = 31  # ended periods with nothing entered, until this long after the due day
SEND_SHOWN = 10


def register() -> None:
    register_kind("approve", gettext_lazy("Figures to approve"), order=10)
    register_kind("send", gettext_lazy("Figures to send"), order=20)
    register_kind("late", gettext_lazy("Units below that are late"), order=30)
    register_kind("targets", gettext_lazy("Targets to hand down"), order=40)
    register_provider("indicators", work_items)


def work_items(user: Any) -> list[WorkItem]:
    today = timezone.localdate()
    items: list[WorkItem] = []
    if has_any_scope(user, Action.INDICATORS_APPROVE):
        mine = my_units(user, Action.INDICATORS_APPROVE)
        items += sheets_to_approve(user, mine)
        items += units_late_below(user, mine, today)
        items += targets_to_hand_down(mine, today)
    if has_any_scope(user, Action.INDICATORS_ENTER):
        items += sheets_to_send(my_units(user, Action.INDICATORS_ENTER), today)
    return items


def my_units(user: Any, action: Action) -> list[Unit]:
    """The units the user's grants for `action` are on (a system administrator: the tops)."""
    prefixes = scope_prefixes(user, action)
    units = Unit.objects.active()
    units = units.filter(depth=1) if prefixes is None else units.filter(path__in=prefixes)
    return list(units.order_by("path")[:UNITS])


def _day(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _sheet_url(unit_id: int, period_id: int) -> str:
    return reverse("indicators:sheet", kwargs={"unit": unit_id, "period": period_id})


def _children_url(unit_id: int, period_id: int) -> str:
    return reverse("indicators:children", kwargs={"unit": unit_id, "period": period_id})


# ---------------------------------------------------------------------------------------------
# Sheets to approve


def sheets_to_approve(user: Any, units: list[Unit]) -> list[WorkItem]:
    """Submitted sheets of the units directly below mine (and of the top units, for a system
    administrator: `services.can_approve`)."""
    below = Q(unit__parent__in=units)
    if getattr(user, "is_superuser", False):
        below |= Q(unit__parent__isnull=True)
    sheets = Sheet.objects.filter(below, status=SheetStatus.SUBMITTED)
    total = sheets.count()
    if not total:
        return []
    if total <= SHEETS_SHOWN:
        return [
            WorkItem(
                "approve",
                f"{s.unit.name} · {s.period}",
                1,
                _sheet_url(s.unit_id, s.period_id),
                detail=_("sent on %(day)s") % {"day": _day(timezone.localdate(s.submitted_at))}
                if s.submitted_at
                else "",
            )
            for s in sheets.select_related("unit", "period").order_by("submitted_at", "pk")
        ]
    # By unit above and period (the top units, which no unit approves, fall into the rest).
    groups = list(
        sheets.filter(unit__parent__isnull=False)
        .values("unit__parent_id", "unit__parent__name", "period_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "period_id", "unit__parent_id")[:GROUPS_SHOWN]
    )
    periods = Period.objects.in_bulk({g["period_id"] for g in groups})
    items = [
        WorkItem(
            "approve",
            _("Units below %(unit)s · %(period)s")
            % {"unit": g["unit__parent__name"], "period": periods[g["period_id"]]},
            g["n"],
            _children_url(g["unit__parent_id"], g["period_id"]),
        )
        for g in groups
    ]
    rest = total - sum(g["n"] for g in groups)
    if rest:
        items.append(WorkItem("approve", _("Other units"), rest, reverse("indicators:home")))
    return items


# ---------------------------------------------------------------------------------------------
# Sheets to send


def sheets_to_send(units: list[Unit], today: dt.date) -> list[WorkItem]:
    if not units:
        return []
    items = [_draft_item(s, today) for s in _drafts(units, today)]
    items += _not_started(units, today)
    items.sort(key=lambda i: (not i.late, i.due or dt.date.max, i.title))
    return items[:SEND_SHOWN]


def _drafts(units: list[Unit], today: dt.date) -> list[Sheet]:
    return list(
        Sheet.objects.filter(unit__in=units, status=SheetStatus.DRAFT, period__start__lte=today)
        .select_related("unit", "period")
        .order_by("period__due_on", "pk")[:SEND_SHOWN]
    )


def _draft_item(sheet: Sheet, today: dt.date) -> WorkItem:
    due = sheet.period.due_on
    return WorkItem(
        "send",
        f"{sheet.unit.name} · {sheet.period}",
        1,
        _sheet_url(sheet.unit_id, sheet.period_id),
        due=due,
        late=due is not None and today > due,
        # Sent before and now a draft again: returned or reopened for correction.
        detail=_("returned for correction") if sheet.first_submitted_at else _("draft"),
    )


def _not_started(units: list[Unit], today: dt.date) -> list[WorkItem]:
    """Periods that ended lately (due day not passed, or passed within `NOT_STARTED_DAYS`) where
    a unit of mine has entered nothing."""
    periods = list(
        Period.objects.filter(
            end__lt=today, due_on__gte=today - dt.timedelta(days=NOT_STARTED_DAYS)
        ).order_by("due_on", "pk")[:LATE_PERIODS]
    )
    if not periods:
        return []
    entered = set(
        Sheet.objects.filter(unit__in=units, period__in=periods).values_list("unit_id", "period_id")
    )
    return [
        WorkItem(
            "send",
            f"{unit.name} · {period}",
            1,
            _sheet_url(unit.pk, period.pk),
            due=period.due_on,
            late=period.due_on is not None and today > period.due_on,
            detail=_("nothing entered yet"),
        )
        for period in periods
        for unit in units
        if (unit.pk, period.pk) not in entered and unit.active_on(period.end)
    ]


# ---------------------------------------------------------------------------------------------
# Units late below


def units_late_below(user: Any, units: list[Unit], today: dt.date) -> list[WorkItem]:
    parents = [u for u in units if u.numchild]
    if not parents:
        return []
    periods = list(
        Period.objects.filter(
            due_on__lt=today, due_on__gte=today - dt.timedelta(days=LATE_DAYS)
        ).order_by("-due_on", "pk")[:LATE_PERIODS]
    )
    items = []
    for period in periods:
        for unit in parents:
            _kids, states = selectors.children_with_sheets(unit.pk, period, today, user)
            late = sum(1 for s in states.values() if s.late and s.status in ("", SheetStatus.DRAFT))
            if late:
                items.append(
                    WorkItem(
                        "late",
                        f"{unit.name} · {period}",
                        late,
                        _children_url(unit.pk, period.pk),
                        due=period.due_on,
                        late=True,
                        detail=ngettext(
                            "%(n)s unit below has not sent its figures",
                            "%(n)s units below have not sent their figures",
                            late,
                        )
                        % {"n": late},
                    )
                )
    return items


# ---------------------------------------------------------------------------------------------
# Targets to hand down


def targets_to_hand_down(units: list[Unit], today: dt.date) -> list[WorkItem]:
    """Running or coming periods where a unit of mine has targets and no unit below it has
    any (the targets of the units below follow the tree of the period's `targets_day`; here
    today's tree, which is that tree for a running period)."""
    parents = {u.pk: u for u in units if u.numchild}
    if not parents:
        return []
    own = list(
        Target.objects.filter(unit_id__in=parents, period__end__gte=today)
        .values("unit_id", "period_id", "period__start")
        .annotate(n=Count("pk"))
        .order_by("period__start", "period_id", "unit_id")
    )
    if not own:
        return []
    periods = Period.objects.in_bulk({row["period_id"] for row in own})
    handed = set(
        Target.objects.filter(unit__parent_id__in=parents, period_id__in=periods)
        .values_list("unit__parent_id", "period_id")
        .distinct()
    )
    return [
        WorkItem(
            "targets",
            f"{parents[row['unit_id']].name} · {periods[row['period_id']]}",
            row["n"],
            reverse(
                "indicators:targets", kwargs={"unit": row["unit_id"], "period": row["period_id"]}
            ),
            detail=ngettext(
                "%(n)s target set, none handed down to the units below",
                "%(n)s targets set, none handed down to the units below",
                row["n"],
            )
            % {"n": row["n"]},
        )
        for row in own
        if (row["unit_id"], row["period_id"]) not in handed
    ]
