"""The Django admin of the member app: the Ethnicity and Religion catalogues are edited here;
members are shown read-only (they change only through the services, dated and audited).

The member admin never shows the full citizen ID, ethnicity, religion or Party data: reads in
the admin are not logged in the personal-data access log, so it shows what every officer sees
(the masked ID). Full data is read on the member page, with a purpose, and logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congdoan.members.models import Ethnicity, Member, Religion


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "other_names")
    search_fields = ("code", "name", "other_names")


@admin.register(Religion)
class ReligionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")
    search_fields = ("name", "code")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "date_of_birth", "sex", "unit", "card_number", "status")
    list_filter = ("status", "sex")
    search_fields = ("card_number",)
    list_select_related = ("unit",)
    show_full_result_count = False
    fields = (
        "full_name",
        "sex",
        "date_of_birth",
        "masked_id",
        "unit",
        "card_number",
        "status",
        "admitted_on",
        "suspended_on",
        "exited_on",
        "exit_reason",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("Citizen ID (masked)"))
    def masked_id(self, obj: Member) -> str:
        return obj.masked_citizen_id or "—"

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Names without diacritics or case, card numbers and phone numbers, like the pages
        (full citizen IDs too: the admin user already knows the number they type)."""
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
