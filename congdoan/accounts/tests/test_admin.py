"""Admin: roles are edited as checkboxes over the action catalogue; grants are read-only."""

from __future__ import annotations

from django.test import Client

from congdoan.accounts.admin import RoleAdminForm
from congdoan.accounts.models import RoleGrant, User
from congdoan.core.permissions import Action
from congdoan.core.tests.support import PASSWORD


def test_role_form_offers_the_catalogue_and_refuses_unknown_actions(db):
    form = RoleAdminForm(
        data={
            "code": "kiem_tra",
            "name": "Kiểm tra",
            "permissions": [Action.AUDIT_VIEW, Action.ORGANISATION_VIEW],
            "order": 9,
        }
    )
    assert form.is_valid(), form.errors
    role = form.save()
    assert role.permissions == [Action.ORGANISATION_VIEW, Action.AUDIT_VIEW]  # catalogue order

    form = RoleAdminForm(
        data={"code": "x", "name": "X", "permissions": ["everything.delete"], "order": 1}
    )
    assert not form.is_valid() and "permissions" in form.errors


def test_grants_are_read_only_in_the_admin(world):
    admin = User.objects.create_superuser("root_admin", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    grant = RoleGrant.objects.first()
    assert client.get("/admin/accounts/rolegrant/").status_code == 200
    assert client.get("/admin/accounts/rolegrant/add/").status_code == 403
    assert client.get(f"/admin/accounts/rolegrant/{grant.pk}/delete/").status_code == 403
    page = client.get(f"/admin/accounts/rolegrant/{grant.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/accounts/role/add/").status_code == 200
    assert client.get(f"/admin/accounts/user/{world.officer_a.pk}/history/").status_code == 200
