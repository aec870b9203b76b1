import datetime as dt

from congdoan.organisation import selectors


def test_world_builds_and_scopes(world):
    from congdoan.organisation.models import Unit

    assert Unit.objects.visible_to(world.officer_a).filter(code="B1").count() == 0
    assert Unit.objects.visible_to(world.officer_a).filter(code="A1").count() == 1
    assert len(selectors.subtree_on(world.province, dt.date(2021, 1, 1))) == 7
