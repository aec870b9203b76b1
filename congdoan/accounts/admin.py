"""Admin for system administrators: accounts, roles (as data) and a read-only view of grants.

Grants are given and revoked through the account pages (which apply the granting rules), never
here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from congdoan.accounts.models import ApiTokenLabel, Role, RoleGrant, User
from congdoan.core.permissions import ACTIONS, action_choices


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "full_name", "email", "search_text")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Union work"), {"fields": ("full_name", "job_title", "phone")}),
    )


class RoleAdminForm(forms.ModelForm):
    permissions = forms.MultipleChoiceField(
        label=_("permissions"),
        choices=action_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Role
        fields = [
            "code",
            "name",
            "description",
            "permissions",
            "requires_otp",
            "system_only",
            "order",
        ]

    def clean_permissions(self) -> list[str]:
        chosen = self.cleaned_data.get("permissions") or []
        unknown = [p for p in chosen if p not in ACTIONS]
        if unknown:
            raise forms.ValidationError(_("Unknown actions: %s") % ", ".join(unknown))
        # Keep the catalogue's order so that roles compare and read alike.
        return [code for code in ACTIONS if code in chosen]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    form = RoleAdminForm
    list_display = ("name", "code", "requires_otp", "system_only", "order")
    list_editable = ("order",)
    search_fields = ("code", "name")


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "granted_at", "granted_by", "revoked_at", "revoked_by")
    list_filter = ("role", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("user__username", "user__full_name", "unit__code", "unit__name")
    list_select_related = ("user", "role", "unit", "granted_by", "revoked_by")
    readonly_fields = [
        "user",
        "role",
        "unit",
        "granted_by",
        "granted_at",
        "revoked_at",
        "revoked_by",
        "note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiTokenLabel)
class ApiTokenLabelAdmin(admin.ModelAdmin):
    list_display = ("name", "user")
    readonly_fields = ["digest", "user", "name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
