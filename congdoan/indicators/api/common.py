"""What the indicator API's views share: the units named in a request."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from congdoan.core.api.base import ScopedAPIMixin
from congdoan.core.permissions import Action
from congdoan.indicators import filters
from congdoan.organisation.models import Unit

TAGS = ["indicators"]


def unit_param(view: ScopedAPIMixin, ref: Any) -> Unit:
    """A unit named in a parameter (code or id), within the caller's "indicators.view" scope,
    or 404 (through the view's door)."""
    found = filters.unit_by_ref(ref)
    if found is None:
        raise Http404
    unit: Unit = view.get_visible(Unit, Action.INDICATORS_VIEW, pk=found.pk)
    return unit


def ref(pk: int, code: str, name: str) -> dict[str, Any]:
    return {"pk": pk, "code": code, "name": name}


def unit_ref(unit: Unit) -> dict[str, Any]:
    return ref(unit.pk, unit.code, unit.name)
