"""Serializers of the accounts API. They only translate; grants are written by services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from congdoan.accounts import selectors
from congdoan.accounts.models import Role, RoleGrant, User
from congdoan.core.permissions import ACTIONS, Action
from congdoan.organisation.api.serializers import UnitField


@extend_schema_field({"type": "string", "enum": list(ACTIONS)})
class ActionField(serializers.CharField):
    """An action code of `congdoan.core.permissions.ACTIONS`."""


class UnitBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)


class UserBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class RoleSerializer(serializers.ModelSerializer):
    actions = serializers.ListField(
        child=ActionField(),
        source="permissions",
        read_only=True,
        help_text="The actions the role gives on a unit and the units below it.",
    )

    class Meta:
        model = Role
        fields = ["id", "code", "name", "description", "actions", "requires_otp", "system_only"]
        read_only_fields = fields


class GrantSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(read_only=True)
    role: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    role_name = serializers.CharField(source="role.name", read_only=True)
    unit = UnitBriefSerializer(read_only=True)
    granted_by = UserBriefSerializer(read_only=True, allow_null=True)
    revoked_by = UserBriefSerializer(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = RoleGrant
        fields = [
            "id",
            "user",
            "role",
            "role_name",
            "unit",
            "granted_at",
            "granted_by",
            "revoked_at",
            "revoked_by",
            "note",
            "is_active",
        ]
        read_only_fields = fields


class UserGrantSerializer(serializers.ModelSerializer):
    """A grant as shown inside an account."""

    role: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    role_name = serializers.CharField(source="role.name", read_only=True)
    unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = RoleGrant
        fields = ["id", "role", "role_name", "unit", "granted_at", "note"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    grants = serializers.SerializerMethodField(
        help_text="Active grants of the account inside the caller's scope."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "job_title",
            "phone",
            "is_active",
            "date_joined",
            "last_login",
            "grants",
        ]
        read_only_fields = fields

    @extend_schema_field(UserGrantSerializer(many=True))
    def get_grants(self, obj: User) -> list[dict[str, Any]]:
        grants = getattr(obj, "visible_grants", [])
        return UserGrantSerializer(grants, many=True).data  # type: ignore[return-value]


class GrantCreateSerializer(serializers.Serializer):
    """Input of a new grant; accounts and units outside the caller's scope are not found
    (without a request in the context, no account is found)."""

    user = serializers.PrimaryKeyRelatedField(queryset=selectors.users_manageable(viewer=None))
    role = serializers.SlugRelatedField(slug_field="code", queryset=selectors.roles_all())
    unit = UnitField(
        action=Action.ACCOUNTS_GRANT,
        help_text="Code (or id) of a unit where the caller grants roles; the role covers it "
        "and every unit below it.",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        self.fields["user"].queryset = selectors.users_manageable(viewer=viewer)  # type: ignore[attr-defined]


class GrantCreatedSerializer(GrantSerializer):
    """The answer to a new grant."""

    tokens_stopped = serializers.IntegerField(
        read_only=True,
        help_text="API tokens of the account that the new role stops: it requires two-step "
        "verification and they were created without it (as the grant page warns).",
    )

    class Meta(GrantSerializer.Meta):
        fields = [*GrantSerializer.Meta.fields, "tokens_stopped"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Accounts: what the account pages write (create, change details, enable or disable).

USERNAME_RULE = _("Letters, digits and @ . + - _ only.")


class _DetailsSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class UserCreateSerializer(_DetailsSerializer):
    """A new account with its first grant, as on the page "new account"."""

    username = serializers.RegexField(
        r"^[\w.@+-]+$",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only.",
        error_messages={"invalid": USERNAME_RULE},
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        help_text="The first password; the password rules apply. Only its owner changes it "
        "afterwards, on the website.",
    )
    role = serializers.SlugRelatedField(
        slug_field="code", queryset=selectors.roles_all(), help_text="Code of the first role."
    )
    unit = UnitField(
        action=Action.ACCOUNTS_GRANT,
        help_text="Code (or id) of the unit of the first role, where the caller grants roles.",
    )


class UserUpdateSerializer(_DetailsSerializer):
    """Details of an account (PATCH: any of them); the username and password do not change."""


class _RequiredBooleanField(serializers.BooleanField):
    """A boolean that must be given, also in a form-encoded body (where DRF reads a missing
    boolean as false: a missing `active` would disable the account)."""

    default_empty_html = empty


class UserActiveSerializer(serializers.Serializer):
    active = _RequiredBooleanField(help_text="true: enable the account; false: disable it.")


class ScopeSerializer(serializers.Serializer):
    unit = UnitBriefSerializer(read_only=True)
    actions = serializers.ListField(child=ActionField(), read_only=True)


class MeUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "job_title",
            "phone",
            "is_superuser",
            "last_login",
        ]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    user = MeUserSerializer(read_only=True)
    grants = UserGrantSerializer(many=True, read_only=True)
    scopes = ScopeSerializer(
        many=True,
        read_only=True,
        help_text="For each unit where the caller holds roles: the actions allowed there and below.",
    )
