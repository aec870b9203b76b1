"""API of the accounts app: who am I, accounts, roles and grants, written through the services
the pages call, with the pages' scope: accounts and grants are read with "accounts.view" and
changed with "accounts.grant" (404 for an account or grant outside it).

Deliberately not here (docs/security.md): changing one's own password, creating or revoking API
tokens, and setting up or removing a second-factor device. They need the signed-in session that
passed the second factor; a token must not mint tokens or change the password.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.accounts import selectors, services
from congdoan.accounts.api.serializers import (
    GrantCreatedSerializer,
    GrantCreateSerializer,
    GrantSerializer,
    MeSerializer,
    RoleSerializer,
    UserActiveSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from congdoan.accounts.filters import GrantFilter, UserFilter
from congdoan.accounts.models import RoleGrant, User
from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    ApiErrorSerializer,
    CatalogueViewSet,
    FilterBackend,
    Pagination,
    ScopedAPIView,
    ScopedViewSetMixin,
    parse_body,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action

TAGS = ["accounts"]
FORBIDDEN = OpenApiResponse(
    ApiErrorSerializer, description='The caller grants roles nowhere ("accounts.grant").'
)
DETAILS = ("full_name", "email", "job_title", "phone")


class MeView(ScopedAPIView):
    """The caller: account, active grants and the actions they give per unit."""

    scope_action = None  # the caller's own account

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve", tags=["accounts"])
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "user": user,
            "grants": selectors.active_grants(user),
            "scopes": selectors.actions_by_unit(user),
        }
        return Response(MeSerializer(data).data)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List accounts"),
    retrieve=extend_schema(summary="One account", responses={200: UserSerializer, 404: NOT_FOUND}),
)
class UserViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Accounts visible to the caller ("accounts.view"), each with its grants in scope. Writes
    are those of the account pages, through the same services: the account changed must lie
    within the caller's "accounts.grant" scope (404 otherwise), one's own details excepted."""

    queryset = User.objects.order_by("username")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    filter_backends = [FilterBackend]
    pagination_class = Pagination
    scope_action = Action.ACCOUNTS_VIEW

    def get_queryset(self) -> Any:
        return selectors.with_visible_grants(super().get_queryset(), self.request.user)

    def _manageable(self, pk: str) -> User:
        """The account of the URL, within the caller's "accounts.grant" scope (or oneself)."""
        account: User = self.get_visible(User, Action.ACCOUNTS_GRANT, pk=pk)
        return account

    def _answer(self, account: User, code: int = status.HTTP_200_OK) -> Response:
        account = selectors.user_with_visible_grants(viewer=self.request.user, pk=account.pk)
        return Response(UserSerializer(account).data, status=code)

    @extend_schema(
        summary="Create an account with its first role",
        description="As the page: the first role is granted on a unit where the caller grants "
        "roles, and only with actions the caller holds there.",
        request=UserCreateSerializer,
        responses={201: UserSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        if not self.has_scope(Action.ACCOUNTS_GRANT):
            raise PermissionDenied
        data = parse_body(UserCreateSerializer, request)
        account = services.user_create(actor=request.user, **data)
        return self._answer(account, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an account's details",
        description="Any of the full name, email, job title and phone. The account must hold "
        "no role outside the caller's scope. The password is not changed through the API "
        "(400): each user changes their own on the website. To enable or disable the account: "
        "POST /users/{id}/active/.",
        request=UserUpdateSerializer,
        responses={200: UserSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        account = self._manageable(pk)
        if "password" in request.data:
            raise RuleViolation(
                _(
                    "Passwords are not changed through the API: each user changes their own "
                    "on the website."
                ),
                field="password",
            )
        data = parse_body(UserUpdateSerializer, request, partial=True)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        details = {name: getattr(account, name) for name in DETAILS} | data
        account = services.user_update(actor=request.user, user=account, **details)
        return self._answer(account)

    @extend_schema(
        summary="Enable or disable an account",
        description="Accounts are never deleted. Disabling one signs it out of the API: its "
        "tokens are deleted. Nobody disables their own account.",
        request=UserActiveSerializer,
        responses={200: UserSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def active(self, request: Request, pk: str) -> Response:
        account = self._manageable(pk)
        data = parse_body(UserActiveSerializer, request)
        account = services.user_set_active(actor=request.user, user=account, active=data["active"])
        return self._answer(account)


@extend_schema(tags=["accounts"])
@extend_schema_view(retrieve=extend_schema(responses={200: RoleSerializer, 404: NOT_FOUND}))
class RoleViewSet(CatalogueViewSet):
    """The roles that can be granted, with their actions (a catalogue: the same for every
    signed-in user)."""

    queryset = selectors.roles_all()
    serializer_class = RoleSerializer


@extend_schema(tags=["accounts"])
class GrantViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Role grants on units in the caller's scope. Grants are never deleted: revoke them."""

    queryset = RoleGrant.objects.select_related(
        "user", "role", "unit", "granted_by", "revoked_by"
    ).order_by("-granted_at")
    serializer_class = GrantSerializer
    filterset_class = GrantFilter
    filter_backends = [FilterBackend]
    pagination_class = Pagination
    scope_action = Action.ACCOUNTS_VIEW

    @extend_schema(
        summary="Grant a role",
        description="As the grant page: on a unit where the caller grants roles, only with "
        "actions the caller holds there, to an account within the caller's scope.",
        request=GrantCreateSerializer,
        responses={201: GrantCreatedSerializer, 400: BAD_REQUEST},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = parse_body(GrantCreateSerializer, request)
        stopped = selectors.tokens_stopped_by(data["user"], data["role"])
        grant = services.role_grant(actor=request.user, **data)
        body = {**GrantSerializer(grant).data, "tokens_stopped": stopped}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: GrantSerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """End the grant; the record stays with who revoked it and when."""
        grant = self.get_visible(RoleGrant, Action.ACCOUNTS_GRANT, pk=pk)
        grant = services.role_revoke(actor=request.user, grant=grant)
        return Response(GrantSerializer(grant).data)
