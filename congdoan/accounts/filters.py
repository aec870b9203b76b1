"""Filters shared by the account pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.accounts.models import RoleGrant, User
from congdoan.accounts.selectors import users_in_unit
from congdoan.core.filters import IdFilter
from congdoan.core.permissions import Action


def _visible_unit(request: Any, value: str) -> Any:
    """A unit in the caller's "accounts.view" scope, by code or id; None when not found."""
    from congdoan.organisation.models import Unit

    qs = Unit.objects.visible_to(request.user if request else None, Action.ACCOUNTS_VIEW)
    text = str(value).strip()
    unit = qs.filter(code=text.upper()).first()
    if unit is None and text.isdigit():
        unit = qs.filter(pk=int(text)).first()
    return unit


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Name, username or email"), help_text=_("Any case and accents.")
    )
    unit = django_filters.CharFilter(
        method="filter_unit",
        label=_("Unit"),
        help_text=_("Code or id of a unit: accounts holding a role there or below."),
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "unit", "active"]

    def filter_q(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.search(value) if value else queryset  # type: ignore[attr-defined]

    def filter_unit(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        if not value:
            return queryset
        unit = _visible_unit(self.request, value)
        if unit is None:
            return queryset.none()
        return users_in_unit(queryset, unit)


class GrantFilter(django_filters.FilterSet):
    user = IdFilter(field_name="user_id", label=_("Account id"))
    role = django_filters.CharFilter(field_name="role__code", label=_("Role code"))
    unit = IdFilter(field_name="unit_id", label=_("Unit id"))
    active = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", label=_("Active")
    )

    class Meta:
        model = RoleGrant
        fields = ["user", "role", "unit", "active"]
