"""Look-ups by identity number (CCCD/CMND): personal-data reads, logged and limited per user.

An answer that depends on whether a given identity number is on record tells something about a
person, even when it shows nothing else: a search by a full number confirms a guess (a masked
number leaves few candidates), and a duplicate check tells that the person is a member
somewhere. So each such answer is a personal-data access (`PersonalDataAccess`, kinds "lookup"
and "duplicate"): who, when, the number sought, the members it found, where.

Limits: a user gets at most settings.IDENTITY_LOOKUPS_PER_HOUR look-ups in any hour and
IDENTITY_LOOKUPS_PER_DAY in any day. Counted are searches by a full identity number (whatever
they find) and duplicates found in another unit (a form, the API, each such row of an import).
While the limit is reached, the user can neither search by identity number nor enter one that
is not already on their own record, so that a refusal tells nothing either; refused attempts
are logged too. Work of the system (`user` None) is neither logged nor limited.

The log outlives the transaction that asked: a service that looks up a number and is then
refused (the number is taken, the limit is reached) rolls back, so services that look up
numbers are wrapped in `keep_log`, which writes their log rows after their transaction ends.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.core.exceptions import RuleViolation
from congdoan.members.models import AccessKind, PersonalDataAccess

_F = TypeVar("_F", bound=Callable[..., Any])
_SEPARATORS = re.compile(r"[\s.\-]")
_pending: ContextVar[list[dict[str, Any]] | None] = ContextVar("pending_lookups", default=None)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


class LookupLimitReached(RuleViolation):
    """The user has used up their look-ups by identity number for now."""


def identity_number(text: str | None) -> str | None:
    """The digits of `text` when it is a full identity number (12-digit CCCD, 9-digit CMND)."""
    compact = _SEPARATORS.sub("", (text or "").strip())
    if compact.isdecimal() and len(compact) in (9, 12):
        return compact
    return None


def _windows() -> list[tuple[dt.timedelta, int]]:
    return [(HOUR, settings.IDENTITY_LOOKUPS_PER_HOUR), (DAY, settings.IDENTITY_LOOKUPS_PER_DAY)]


def _used_since(user: Any, since: dt.datetime) -> int:
    used = PersonalDataAccess.objects.filter(
        user=user, at__gte=since, refused=False, lookups__gt=0
    ).aggregate(n=Sum("lookups"))["n"]
    return int(used or 0)


def lookups_left(user: Any) -> tuple[int, dt.datetime | None]:
    """How many look-ups `user` may still make now, and when more become available (None
    while some are left)."""
    now = timezone.now()
    left = None
    again: dt.datetime | None = None
    for window, limit in _windows():
        used = _used_since(user, now - window)
        remaining = max(limit - used, 0)
        if left is None or remaining < left:
            left = remaining
        if remaining == 0:
            # The oldest counted look-up of the window leaves it first.
            oldest = (
                PersonalDataAccess.objects.filter(
                    user=user, at__gte=now - window, refused=False, lookups__gt=0
                )
                .order_by("at")
                .values_list("at", flat=True)
                .first()
            )
            if oldest is not None:
                free = oldest + window
                again = free if again is None or free > again else again
    return (left or 0), again


def _limit_message(again: dt.datetime | None) -> str:
    return _(
        "You have reached the limit of look-ups by identity number (%(hour)s an hour, %(day)s a "
        "day): searching by an identity number and entering one that is not on your records "
        "are refused until %(time)s. Every look-up is recorded in the personal-data access log."
    ) % {
        "hour": settings.IDENTITY_LOOKUPS_PER_HOUR,
        "day": settings.IDENTITY_LOOKUPS_PER_DAY,
        "time": formats.date_format(timezone.localtime(again), "SHORT_DATETIME_FORMAT")
        if again
        else "—",
    }


@contextmanager
def kept() -> Iterator[None]:
    """Log rows of look-ups made inside are written when the block ends, even by an error
    (so outside the transaction the block holds, which an error rolls back)."""
    if _pending.get() is not None:  # an enclosing block writes them
        yield
        return
    token = _pending.set([])
    try:
        yield
    finally:
        entries = _pending.get() or []
        _pending.reset(token)
        for entry in entries:
            _write(**entry)


def keep_log(function: _F) -> _F:
    """Decorate a service (outside its `transaction.atomic`) with `kept`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with kept():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _log(**entry: Any) -> None:
    pending = _pending.get()
    if pending is None:
        _write(**entry)
    else:
        pending.append(entry)


def _write(
    *,
    user: Any,
    kind: str,
    where: str,
    sought: str = "",
    found: Iterable[int] = (),
    lookups: int = 1,
    refused: bool = False,
) -> PersonalDataAccess:
    ids = sorted(set(found))
    purpose = (
        _("Refused: look-up limit reached")
        if refused
        else _("Search by identity number")
        if kind == AccessKind.LOOKUP
        else _("Duplicate check of an identity number")
    )
    access = PersonalDataAccess.objects.create(
        user=user,
        kind=kind,
        purpose=purpose,
        member_count=len(ids),
        where=(where or "")[:300],
        sought=(sought or "")[:20],
        lookups=0 if refused else lookups,
        refused=refused,
    )
    if ids:
        access.members.add(*ids)
    return access


def require_lookups(user: Any, *, kind: str, where: str, sought: str = "", count: int = 1) -> None:
    """Refuse (and log the refusal) when `user` may not make `count` more look-ups now."""
    if user is None or count <= 0:
        return
    left, again = lookups_left(user)
    if left >= count:
        return
    _log(user=user, kind=kind, where=where, sought=sought, refused=True)
    if left == 0:
        raise LookupLimitReached(_limit_message(again), field="citizen_id")
    raise LookupLimitReached(
        ngettext(
            "This would name %(n)s members of other units by identity number, more than the "
            "%(left)s look-ups you have left now: split the file, or ask the units concerned.",
            "This would name %(n)s members of other units by identity number, more than the "
            "%(left)s look-ups you have left now: split the file, or ask the units concerned.",
            count,
        )
        % {"n": count, "left": left},
        field="citizen_id",
    )


def record_search(user: Any, *, sought: str, found: Iterable[int], where: str) -> None:
    """Log one search by a full identity number (the caller checked `require_lookups`)."""
    if user is None:
        return
    _log(user=user, kind=AccessKind.LOOKUP, where=where, sought=sought, found=found)


def record_duplicates(
    user: Any, *, found: Iterable[int], where: str, sought: str = "", counted: int | None = None
) -> None:
    """Log duplicates found: identity numbers already registered to the members `found`.
    `counted`: how many of them count against the limit (default: all)."""
    if user is None:
        return
    ids = list(found)
    _log(
        user=user,
        kind=AccessKind.DUPLICATE,
        where=where,
        sought=sought,
        found=ids,
        lookups=len(ids) if counted is None else counted,
    )
