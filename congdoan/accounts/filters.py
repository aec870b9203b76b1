"""Filters shared by the account pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.accounts import selectors
from congdoan.accounts.models import RoleGrant, User
from congdoan.core.filters import IdFilter


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
        viewer = getattr(self.request, "user", None)
        unit = selectors.unit_by_code_or_id(viewer=viewer, text=value)
        if unit is None:
            return queryset.none()
        return selectors.users_in_unit(queryset, unit)


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
