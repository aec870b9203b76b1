from django.utils import timezone

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.permissions import Action
from congdoan.core.scoping import clear_scope_cache, path_in_scope, scope_prefixes
from congdoan.core.tests.support import make_user
from congdoan.members.models import Member
from congdoan.organisation.models import Unit


def test_grants_cover_the_subtree_only(world):
    visible = set(Unit.objects.visible_to(world.officer_a).values_list("code", flat=True))
    assert visible == {"HA", "A1", "A2", "A1T1"}
    assert set(Member.objects.visible_to(world.officer_b).values_list("pk", flat=True)) == {
        world.member_b.pk
    }
    assert Unit.objects.visible_to(world.national).count() == Unit.objects.count()


def test_actions_are_per_role(world):
    viewer = make_user("viewer_a", "viewer", world.unit_a)
    assert path_in_scope(viewer, Action.ORGANISATION_VIEW, world.grass_a1.path)
    assert not path_in_scope(viewer, Action.ORGANISATION_REORGANISE, world.grass_a1.path)
    assert Unit.objects.visible_to(viewer, Action.ORGANISATION_REORGANISE).count() == 0


def test_overlapping_grants_collapse_and_revocation_counts(world):
    user = make_user("two_grants", "viewer", world.unit_a)
    RoleGrant.objects.create(user=user, role=Role.objects.get(code="viewer"), unit=world.grass_a1)
    assert scope_prefixes(user, Action.ORGANISATION_VIEW) == [world.unit_a.path]
    RoleGrant.objects.filter(user=user, unit=world.unit_a).update(revoked_at=timezone.now())
    clear_scope_cache(user)
    assert scope_prefixes(user, Action.ORGANISATION_VIEW) == [world.grass_a1.path]


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert Unit.objects.visible_to(AnonymousUser()).count() == 0
    world.officer_a.is_active = False
    assert Unit.objects.visible_to(world.officer_a).count() == 0


def test_superuser_sees_everything(world):
    admin = make_user("root", is_superuser=True, is_staff=True)
    assert scope_prefixes(admin, Action.MEMBERS_VIEW_PERSONAL) is None
