"""`field__any=[...]` (congdoan.core.lookups): the same rows as `__in`, for any list length."""

import pytest

from congdoan.organisation.models import Unit, UnitVersion

pytestmark = pytest.mark.django_db


def test_any_matches_in_on_keys_and_foreign_keys(world):
    ids = [world.unit_a.pk, world.grass_a1.pk, world.grass_b1.pk]
    assert set(Unit.objects.filter(pk__any=ids)) == set(Unit.objects.filter(pk__in=ids))
    by_fk = UnitVersion.objects.filter(unit_id__any=ids).values_list("unit_id", flat=True)
    assert set(by_fk) == set(ids)
    assert set(
        UnitVersion.objects.filter(unit__any=[world.unit_a]).values_list("unit_id", flat=True)
    ) == {world.unit_a.pk}


def test_any_of_nothing_and_of_many(world):
    from django.db import connection

    assert not Unit.objects.filter(pk__any=[]).exists()
    # PostgreSQL: one array parameter, beyond the 65,535 parameters an IN list may have.
    n = 200_000 if connection.vendor == "postgresql" else 1_000
    expected = Unit.objects.filter(pk__lte=n).count()
    assert Unit.objects.filter(pk__any=list(range(1, n + 1))).count() == expected
