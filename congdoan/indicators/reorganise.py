"""What a reorganisation of the tree does to targets and figures (receivers of the tree's signals,
connected in `apps.py`; they run inside the reorganisation's transaction, so a dry run rolls
them back with it).

- `tree_changed` (a unit created, moved, or placed back by a withdrawn version, effective `day`):
  every period that ends on or after `day` and has figures now adds up over another tree at its
  end; `rollup.refresh` recomputes just the totals that changed. Periods that ended before `day`
  keep theirs.
- `unit_work_handed_over` (a unit merged, split, or dissolved with a receiving unit): the source's
  targets of every period still open on `day` go to the receiving unit (`targets_hand_over`).
  Its entered values stay where they are: they are the source's history, and the totals count
  them under its parent as it stood at each period's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.history import stamp
from congdoan.indicators import rollup
from congdoan.indicators.models import Aggregation, Period, Target, Total, Value
from congdoan.organisation.models import Unit
from congdoan.organisation.services.tree import ChangeSet
from congdoan.organisation.services.tree import _label as unit_label

HANDOVER = "target_handover"  # the change reason of the history rows


def periods_with_figures(day: dt.date) -> list[Period]:
    """Periods ending on or after `day` that have entered values or totals."""
    return list(
        Period.objects.filter(end__gte=day)
        .filter(
            Q(Exists(Value.objects.filter(period=OuterRef("pk"))))
            | Q(Exists(Total.objects.filter(period=OuterRef("pk"))))
        )
        .order_by("end", "pk")
    )


def on_tree_changed(
    sender: Any,
    *,
    unit_ids: Sequence[int],
    old_parents: Mapping[int, int | None],
    day: dt.date,
    **kwargs: Any,
) -> None:
    for period in periods_with_figures(day):
        rollup.refresh(period, unit_ids, old_parents)


@transaction.atomic
def targets_hand_over(*, actor: Any, source: Unit, target: Unit, day: dt.date) -> int:
    """Hand the targets of `source` for every period still open on `day` to `target`; count.

    A target of an indicator that adds up is added to the receiving unit's target for the same
    indicator and period (a merge adds the targets up); one that does not (a ratio) is taken
    over only where the receiving unit has none of its own. The source's rows are removed. Every
    row written or removed gets a history row with the actor and the reason "target_handover".
    In a split, the first receiving unit takes them all (as it takes the members and units not
    listed for another); the unit above may allocate them again.
    """
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    handed = list(
        Target.objects.filter(unit=source, period__end__gte=day)
        .select_related("indicator")
        .order_by("period_id", "indicator_id")
    )
    if not handed:
        return 0
    existing = {
        (t.period_id, t.indicator_id): t
        for t in Target.objects.filter(
            unit=target, period_id__in={t.period_id for t in handed}
        ).select_for_update()
    }
    now = timezone.now()
    created: list[Target] = []
    updated: list[Target] = []
    for row in handed:
        mine = existing.get((row.period_id, row.indicator_id))
        if mine is None:
            created.append(
                Target(
                    unit=target,
                    indicator_id=row.indicator_id,
                    period_id=row.period_id,
                    value=row.value,
                    note=row.note,
                    assigned_by_id=target.parent_id,
                )
            )
        elif row.indicator.aggregation == Aggregation.SUM:
            mine.value += row.value
            mine.updated_at = now
            updated.append(mine)
    user = actor if getattr(actor, "pk", None) else None
    if created:
        bulk_create_with_history(created, Target, default_user=user, default_change_reason=HANDOVER)
    if updated:
        bulk_update_with_history(
            updated,
            Target,
            ["value", "updated_at"],
            default_user=user,
            default_change_reason=HANDOVER,
        )
    for row in handed:
        stamp(row, actor, HANDOVER)
        row.delete()
    return len(handed)


def on_work_handed_over(
    sender: Any,
    *,
    source: Unit,
    target: Unit,
    day: dt.date,
    actor: Any = None,
    changes: ChangeSet | None = None,
    **kwargs: Any,
) -> None:
    count = targets_hand_over(actor=actor, source=source, target=target, day=day)
    if count and changes is not None:
        changes.add(
            "target_transfer",
            _("Hand over %(n)s assigned targets of %(source)s to %(target)s")
            % {"n": count, "source": unit_label(source), "target": unit_label(target)},
            unit=source.code,
            count=count,
        )
