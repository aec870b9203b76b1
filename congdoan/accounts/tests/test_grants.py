"""Granting and revoking roles: scope, no escalation, system roles, records kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congdoan.accounts import services
from congdoan.accounts.models import Role, RoleGrant, User
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.core.tests.support import PASSWORD, make_user


def role(code: str) -> Role:
    return Role.objects.get(code=code)


@pytest.fixture
def clerk(world):
    """A data-entry clerk of unit A, who may also manage accounts (but holds no more)."""
    account_clerk = Role.objects.create(
        code="account_clerk",
        name="Quản lý tài khoản",
        permissions=[Action.ORGANISATION_VIEW, Action.ACCOUNTS_VIEW, Action.ACCOUNTS_GRANT],
    )
    user = make_user("clerk", "data_entry", world.unit_a, full_name="Nhân viên nhập liệu")
    RoleGrant.objects.create(user=user, role=account_clerk, unit=world.unit_a)
    return user


def test_grant_within_scope(world):
    target = make_user("new_officer", "viewer", world.grass_a2)
    grant = services.role_grant(
        actor=world.officer_a, user=target, role=role("viewer"), unit=world.grass_a1, note="Mới"
    )
    assert grant.granted_by == world.officer_a and grant.is_active
    assert grant.history.latest().history_change_reason == "role_grant"
    assert grant.history.latest().history_user == world.officer_a


def test_data_entry_officer_cannot_grant_federation_admin(world, clerk):
    target = make_user("someone", "viewer", world.grass_a2)
    with pytest.raises(RuleViolation) as exc:
        services.role_grant(
            actor=clerk, user=target, role=role("federation_admin"), unit=world.grass_a2
        )
    assert Action.ACCOUNTS_GRANT not in str(exc.value)  # clerk holds that one
    assert Action.ORGANISATION_REORGANISE in str(exc.value)
    # A role whose actions the clerk holds there is fine.
    services.role_grant(actor=clerk, user=target, role=role("data_entry"), unit=world.grass_a2)


def test_data_entry_only_cannot_grant_at_all(world):
    typist = make_user("typist", "data_entry", world.unit_a)
    target = make_user("someone", "viewer", world.grass_a1)
    with pytest.raises(RuleViolation):
        services.role_grant(actor=typist, user=target, role=role("viewer"), unit=world.grass_a1)


def test_no_escalation_beyond_own_actions(world):
    # federation_admin does not hold members.view_personal, so cannot hand it out.
    with pytest.raises(RuleViolation) as exc:
        services.role_grant(
            actor=world.officer_a,
            user=world.officer_a,
            role=role("personal_data_officer"),
            unit=world.grass_a1,
        )
    assert Action.MEMBERS_VIEW_PERSONAL in str(exc.value)


def test_officer_a_cannot_grant_on_unit_b(world):
    target = make_user("someone", "viewer", world.grass_a1)
    with pytest.raises(RuleViolation) as exc:
        services.role_grant(
            actor=world.officer_a, user=target, role=role("viewer"), unit=world.grass_b1
        )
    assert exc.value.field == "unit"
    assert "Không tìm thấy đơn vị" in str(exc.value)
    assert not RoleGrant.objects.filter(user=target, unit=world.grass_b1).exists()


def test_officer_a_cannot_grant_on_unit_b_through_the_page(world, client_of):
    target = make_user("someone", "viewer", world.grass_a1)
    url = reverse("accounts:grant_create", kwargs={"user": target.pk})
    response = client_of("officer_a").post(url, {"role": role("viewer").pk, "unit": "HB"})
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị có mã này trong phạm vi của bạn" in response.content.decode()
    # Officer B cannot even open A's accounts.
    assert client_of("officer_b").get(url).status_code == 404


def test_system_roles_only_by_superusers(world):
    target = make_user("someone", "viewer", world.grass_a1)
    with pytest.raises(RuleViolation) as exc:
        services.role_grant(
            actor=world.national, user=target, role=role("system_admin"), unit=world.root
        )
    assert exc.value.field == "role"
    superuser = User.objects.create_superuser("root_admin", password=PASSWORD)
    grant = services.role_grant(
        actor=superuser, user=target, role=role("system_admin"), unit=world.root
    )
    assert grant.is_active


def test_no_duplicate_active_grant(world):
    with pytest.raises(RuleViolation):
        services.role_grant(
            actor=world.national,
            user=world.officer_a,
            role=role("federation_admin"),
            unit=world.unit_a,
        )


def test_grant_changes_scope_at_once(world):
    officer = world.officer_b
    assert not path_in_scope(officer, Action.ORGANISATION_VIEW, world.grass_a1.path)
    services.role_grant(actor=world.national, user=officer, role=role("viewer"), unit=world.unit_a)
    assert path_in_scope(officer, Action.ORGANISATION_VIEW, world.grass_a1.path)


def test_revoke_keeps_the_record(world, client_of):
    target = make_user("someone", "viewer", world.grass_a1, full_name="Lê Văn Thử")
    grant = services.role_grant(
        actor=world.officer_a, user=target, role=role("data_entry"), unit=world.grass_a1
    )
    count = RoleGrant.objects.count()
    response = client_of("officer_a").post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert RoleGrant.objects.count() == count
    assert grant.revoked_at is not None and grant.revoked_by == world.officer_a
    assert grant.history.latest().history_change_reason == "role_revoke"
    with pytest.raises(RuleViolation):
        services.role_revoke(actor=world.officer_a, grant=grant)

    page = client_of("officer_a").get(reverse("accounts:user_detail", args=[target.pk]))
    body = page.content.decode()
    assert "Vai trò đã thu hồi" in body and "Cán bộ nhập liệu" in body


def test_officer_b_cannot_revoke_grants_of_a(world, client_of):
    grant = RoleGrant.objects.get(user=world.officer_a)
    response = client_of("officer_b").post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.is_active


def test_cannot_revoke_own_last_grant(world):
    own = RoleGrant.objects.get(user=world.officer_a)
    with pytest.raises(RuleViolation):
        services.role_revoke(actor=world.officer_a, grant=own)
    services.role_grant(
        actor=world.officer_a, user=world.officer_a, role=role("viewer"), unit=world.grass_a1
    )
    services.role_revoke(actor=world.officer_a, grant=own)
    own.refresh_from_db()
    assert not own.is_active


def test_user_create_gives_a_first_grant_in_scope(world):
    user = services.user_create(
        actor=world.officer_a,
        username="nguyen.van.moi",
        full_name="Nguyễn Văn Mới",
        password="Mot-mat-khau-dai-2025",
        role=role("data_entry"),
        unit=world.grass_a1,
    )
    assert user.check_password("Mot-mat-khau-dai-2025")
    grant = RoleGrant.objects.get(user=user)
    assert grant.unit == world.grass_a1 and grant.granted_by == world.officer_a
    assert user.history.latest().history_change_reason == "user_create"


def test_user_create_outside_scope_creates_nothing(world):
    with pytest.raises(RuleViolation):
        services.user_create(
            actor=world.officer_a,
            username="ngoai.pham.vi",
            full_name="Ngoài Phạm Vi",
            password="Mot-mat-khau-dai-2025",
            role=role("data_entry"),
            unit=world.grass_b1,
        )
    assert not User.objects.filter(username="ngoai.pham.vi").exists()


def test_user_create_refuses_weak_password_and_taken_username(world):
    with pytest.raises(RuleViolation) as exc:
        services.user_create(
            actor=world.officer_a,
            username="yeu",
            full_name="Mật Khẩu Yếu",
            password="123",
            role=role("viewer"),
            unit=world.grass_a1,
        )
    assert exc.value.field == "password"
    with pytest.raises(RuleViolation) as exc:
        services.user_create(
            actor=world.officer_a,
            username="OFFICER_B",
            full_name="Trùng",
            password="Mot-mat-khau-dai-2025",
            role=role("viewer"),
            unit=world.grass_a1,
        )
    assert exc.value.field == "username"


def test_set_active_needs_reach_over_every_grant(world):
    # National's account is outside A's scope entirely.
    with pytest.raises(RuleViolation):
        services.user_set_active(actor=world.officer_a, user=world.national, active=False)
    # Someone working in both A and B is beyond either officer alone.
    both = make_user("both", "viewer", world.grass_a1)
    RoleGrant.objects.create(user=both, role=role("viewer"), unit=world.grass_b1)
    with pytest.raises(RuleViolation):
        services.user_set_active(actor=world.officer_a, user=both, active=False)
    services.user_set_active(actor=world.national, user=both, active=False)
    both.refresh_from_db()
    assert not both.is_active
    with pytest.raises(RuleViolation):
        services.user_set_active(actor=world.officer_a, user=world.officer_a, active=False)


def test_user_update_records_history(world):
    target = make_user("someone", "viewer", world.grass_a1, full_name="Tên Cũ")
    services.user_update(actor=world.officer_a, user=target, full_name="Tên Mới", phone="0912")
    record = target.history.latest()
    assert record.history_change_reason == "user_update"
    assert record.history_user == world.officer_a
