"""The Django admin: catalogues are edited here (with their history); the tree, clusters and
terms are shown read-only, because they change only through the services (audited, dated)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from congdoan.organisation.models import (
    Cluster,
    Level,
    OwnershipType,
    Position,
    Sector,
    Term,
    Unit,
    UnitType,
)


@admin.register(Level)
class LevelAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "rank")
    search_fields = ("name", "code")


@admin.register(UnitType)
class UnitTypeAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "short_name",
        "code",
        "level",
        "is_grassroots",
        "valid_from",
        "valid_to",
        "order",
    )
    list_filter = ("level", "is_grassroots")
    search_fields = ("name", "short_name", "code")


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(OwnershipType)
class OwnershipTypeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "is_enterprise", "is_state", "order")
    list_filter = ("is_enterprise", "is_state")
    search_fields = ("name", "code")


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "committee", "order")
    list_filter = ("committee",)
    search_fields = ("name", "code")


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Shown, never edited here: structure changes go through the services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "unit_type", "parent", "founded_on", "dissolved_on")
    list_filter = ("unit_type__level", "unit_type", "dissolved_on")
    search_fields = ("code", "search_text")
    list_select_related = ("unit_type", "parent")
    show_full_result_count = False

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Search ignores diacritics and case, like every other unit search."""
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "organiser")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    list_select_related = ("organiser",)


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ("unit", "number", "start_year", "end_year", "congress_date")
    search_fields = ("unit__code", "unit__search_text")
    list_select_related = ("unit",)
