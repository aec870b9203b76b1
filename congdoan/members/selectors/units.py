"""Units as the member pages, counts and API pick them: the default unit of the counts, the
unit above, a province, any active unit by code."""

from __future__ import annotations

from typing import Any

from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, scope_prefixes
from congdoan.organisation.models import Unit


def default_unit(user: Any) -> Unit | None:
    """The topmost unit whose members the user may see (the national root for everyone-scope)."""
    prefixes = scope_prefixes(user, Action.MEMBERS_VIEW)
    if prefixes is None:
        return Unit.objects.filter(depth=1).order_by("path").first()
    if not prefixes:
        return None
    return Unit.objects.filter(path=sorted(prefixes)[0]).first()


def visible_parent(user: Any, unit: Unit) -> Unit | None:
    """The unit above `unit`, if the user may see its members."""
    if unit.parent_id is None:
        return None
    parent = Unit.objects.filter(pk=unit.parent_id).first()
    if parent is None or not path_in_scope(user, Action.MEMBERS_VIEW, parent.path):
        return None
    return parent


def province_code(unit: Unit) -> int | None:
    """The province code of `unit`, or of the nearest unit above it that has one."""
    if unit.province_code:
        return unit.province_code
    paths = [unit.path[:i] for i in range(Unit.steplen, len(unit.path), Unit.steplen)]
    code: int | None = (
        Unit.objects.filter(path__in=paths, province_code__isnull=False)
        .order_by("-path")
        .values_list("province_code", flat=True)
        .first()
    )
    return code


def active_unit(text: str) -> Unit | None:
    """Any active unit of the federation by its code, or else by its id (units are not secret;
    members are)."""
    active = Unit.objects.filter(dissolved_on__isnull=True).select_related("unit_type__level")
    unit = active.filter(code=text.upper()).first()
    pk = parse_id(text)
    if unit is None and pk is not None:
        unit = active.filter(pk=pk).first()
    return unit
