"""The demo's award cycle, on the standard world standing in for the demo province."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from congdoan.awards import demo
from congdoan.awards.models import Award, Decision, Nomination, NominationStatus

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def test_the_cycle_runs_from_nomination_to_decision(world):
    created = demo.load(today=TODAY, province_code="TN")
    assert created > 0
    statuses = dict(Nomination.objects.values_list("status").order_by().annotate(n=Count("pk")))
    assert statuses[NominationStatus.REJECTED] == 1
    assert statuses[NominationStatus.SUBMITTED] == 1 and statuses[NominationStatus.DRAFT] == 1
    decided = Nomination.objects.filter(status=NominationStatus.DECIDED)
    assert decided.count() == statuses[NominationStatus.DECIDED]
    assert all(n.award_id for n in decided)
    # The commune's decision and the province's, signed at the year-end reviews of 2026.
    union = Decision.objects.filter(issuer_unit__isnull=False).order_by("issuer_unit__path")
    assert [d.issuer_unit.code for d in union] == ["TN", "HA"]
    assert {d.signed_on for d in union} == {dt.date(2026, 1, 15)}
    assert Award.objects.filter(decision__issuer_unit=world.province, outside_kind="body").exists()
    outside = Decision.objects.get(issuer_unit__isnull=True)
    assert outside.recorded_by_unit == world.province and outside.awards.count() == 2
    assert not Nomination.objects.filter(year=2026, status=NominationStatus.DECIDED).exists()
    assert demo.load(today=TODAY, province_code="TN") == 0


def test_load_without_the_province_does_nothing(world):
    assert demo.load(today=TODAY, province_code="XX") == 0


def test_the_province_flag_goes_to_a_union_graded_good_or_better(world):
    from congdoan.grading import demo as grading_demo
    from congdoan.grading.selectors import is_good_or_better, result_for

    grading_demo.load(today=TODAY, province_code="TN")
    demo.load(today=TODAY, province_code="TN")
    flags = Award.objects.filter(form__code="tinh_co")
    for award in flags:
        assert is_good_or_better(result_for(award.unit, 2025))
    graded_well = [u for u in (world.grass_a1, world.grass_a2)
                   if is_good_or_better(result_for(u, 2025))]  # fmt: skip
    assert flags.count() == (1 if graded_well else 0)
