"""What the indicator API's views share: the permission names and the units named in a request."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.request import Request

from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404
from congdoan.indicators import filters
from congdoan.organisation.models import Unit

TAGS = ["indicators"]


def unit_param(request: Request, ref: Any) -> Unit:
    """A unit named in a parameter, within the caller's "indicators.view" scope, or 404."""
    found = filters.unit_by_ref(ref)
    if found is None:
        raise Http404
    return get_visible_or_404(Unit.objects.all(), request.user, Action.INDICATORS_VIEW, pk=found.pk)


def ref(pk: int, code: str, name: str) -> dict[str, Any]:
    return {"pk": pk, "code": code, "name": name}


def unit_ref(unit: Unit) -> dict[str, Any]:
    return ref(unit.pk, unit.code, unit.name)
