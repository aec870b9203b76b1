"""What waits for an officer in the member registry, for the home page's work list
(`core.worklist`, registered in `apps.py`):

- transfers to confirm: pending transfers whose confirming side is in the user's
  "members.change" scope (the "to confirm" list of the transfers page, same rule);
- possible duplicates to review: open pairs with a record the user may change;
- member imports: the user's own jobs of the last days that finished, failed or wait to be
  imported, each linking to its page.

A fixed number of queries whatever the number of units, members or transfers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope, path_in_scope
from congdoan.core.worklist import WorkItem, register_kind, register_provider
from congdoan.members.models import (
    DuplicateFlag,
    DuplicateStatus,
    ImportJob,
    ImportStatus,
    TransferRequest,
    TransferStatus,
)

IMPORT_DAYS = 7
IMPORTS_SHOWN = 5
# Imports that wait for their author: checked and ready, refused, failed, or just finished.
IMPORT_STATUSES = (
    ImportStatus.READY,
    ImportStatus.INVALID,
    ImportStatus.FAILED,
    ImportStatus.DONE,
)


def register() -> None:
    register_kind("transfers", gettext_lazy("Transfers to confirm"), order=50)
    register_kind("duplicates", gettext_lazy("Possible duplicates to review"), order=60)
    register_kind("imports", gettext_lazy("Member imports"), order=70)
    register_provider("members", work_items)


def work_items(user: Any) -> list[WorkItem]:
    items: list[WorkItem] = []
    if has_any_scope(user, Action.MEMBERS_CHANGE):
        items += transfers_to_confirm(user)
        items += duplicates_to_review(user)
    if has_any_scope(user, Action.MEMBERS_VIEW):
        items += recent_imports(user)
    return items


# ---------------------------------------------------------------------------------------------
# Transfers


def _change_prefixes(user_ids: set[int]) -> dict[int, list[str] | None]:
    """For each user, the paths of the units where they may change members (None: everywhere,
    a superuser), in one query: the requesters' side of many transfers at once."""
    from congdoan.accounts.models import RoleGrant, User

    out: dict[int, list[str] | None] = defaultdict(list)
    for pk in User.objects.filter(pk__in=user_ids, is_superuser=True).values_list("pk", flat=True):
        out[pk] = None
    grants = (
        RoleGrant.objects.active()
        .filter(user_id__in=user_ids, unit__dissolved_on__isnull=True)
        .values_list("user_id", "role__permissions", "unit__path")
    )
    for pk, permissions, path in grants:
        paths = out[pk]
        if paths is not None and Action.MEMBERS_CHANGE.value in (permissions or []):
            paths.append(path)
    return out


def _confirming_side_is_mine(user: Any, t: TransferRequest, requester_paths: Any) -> bool:
    """`selectors.transfer_lists`' rule: both sides mine, or the side that did not ask."""
    on_from = path_in_scope(user, Action.MEMBERS_CHANGE, t.from_unit.path)
    on_to = path_in_scope(user, Action.MEMBERS_CHANGE, t.to_unit.path)
    if on_from and on_to:
        return True
    sender_asked = t.requested_by_id is not None and (
        requester_paths is None or any(t.from_unit.path.startswith(p) for p in requester_paths)
    )
    return on_to if sender_asked else on_from


def transfers_to_confirm(user: Any) -> list[WorkItem]:
    pending = list(
        TransferRequest.objects.visible_to(user, Action.MEMBERS_CHANGE)
        .filter(status=TransferStatus.PENDING)
        .select_related("from_unit", "to_unit")
    )
    if not pending:
        return []
    requesters = _change_prefixes({t.requested_by_id for t in pending if t.requested_by_id})
    waiting = [
        t
        for t in pending
        if _confirming_side_is_mine(user, t, requesters.get(t.requested_by_id or 0, []))
    ]
    if not waiting:
        return []
    first = min(t.day for t in waiting)
    return [
        WorkItem(
            "transfers",
            _("Transfers waiting for your confirmation"),
            len(waiting),
            reverse("members:transfer_list"),
            detail=_("the earliest takes effect on %(day)s") % {"day": _day(first)},
        )
    ]


# ---------------------------------------------------------------------------------------------
# Possible duplicates


def duplicates_to_review(user: Any) -> list[WorkItem]:
    """Open pairs with a record the user may change (either side may decide)."""
    count = (
        DuplicateFlag.objects.visible_to(user, Action.MEMBERS_CHANGE)
        .filter(status=DuplicateStatus.OPEN)
        .count()
    )
    if not count:
        return []
    return [
        WorkItem(
            "duplicates",
            _("Members with the same name and date of birth"),
            count,
            reverse("members:duplicate_list"),
        )
    ]


# ---------------------------------------------------------------------------------------------
# Imports


def recent_imports(user: Any) -> list[WorkItem]:
    """The user's own imports of the last days that wait for them or just finished."""
    since = timezone.now() - dt.timedelta(days=IMPORT_DAYS)
    jobs = (
        ImportJob.objects.visible_to(user, Action.MEMBERS_VIEW)
        .filter(created_by=user, created_at__gte=since, status__in=IMPORT_STATUSES)
        .select_related("unit")
        .order_by("-created_at", "-pk")[:IMPORTS_SHOWN]
    )
    return [
        WorkItem(
            "imports",
            f"{job.filename} · {job.unit.name}",
            1,
            reverse("members:import_detail", args=[job.pk]),
            detail=_import_state(job),
        )
        for job in jobs
    ]


def _import_state(job: ImportJob) -> str:
    if job.status == ImportStatus.DONE:
        return _("imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
        }
    if job.status == ImportStatus.READY:
        return _("checked, waiting for you to import it")
    if job.status == ImportStatus.INVALID:
        return _("has errors: correct the file and upload it again")
    return _("failed: %(message)s") % {"message": job.message} if job.message else _("failed")


def _day(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
