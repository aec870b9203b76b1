"""API of the accounts app: who am I, accounts, roles and grants (written through services)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.accounts import selectors, services
from congdoan.accounts.api.serializers import (
    GrantCreateSerializer,
    GrantSerializer,
    MeSerializer,
    RoleSerializer,
    UserSerializer,
)
from congdoan.accounts.filters import GrantFilter, UserFilter
from congdoan.accounts.models import RoleGrant, User
from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    CatalogueViewSet,
    FilterBackend,
    Pagination,
    ScopedAPIView,
    ScopedViewSetMixin,
)
from congdoan.core.permissions import Action


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


@extend_schema(tags=["accounts"])
class UserViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Accounts visible to the caller ("accounts.view"), each with its grants in scope."""

    queryset = User.objects.order_by("username")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    filter_backends = [FilterBackend]
    pagination_class = Pagination
    scope_action = Action.ACCOUNTS_VIEW

    def get_queryset(self) -> Any:
        return selectors.with_visible_grants(super().get_queryset(), self.request.user)


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
        request=GrantCreateSerializer, responses={201: GrantSerializer, 400: BAD_REQUEST}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = GrantCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        grant = services.role_grant(actor=request.user, **serializer.validated_data)
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: GrantSerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """End the grant; the record stays with who revoked it and when."""
        grant = self.get_visible(RoleGrant, Action.ACCOUNTS_GRANT, pk=pk)
        grant = services.role_revoke(actor=request.user, grant=grant)
        return Response(GrantSerializer(grant).data)
