"""The indicators derived from the awards: counted by the unit owning each award (the unit, the
member's unit, the recording unit for a recipient outside the union), in the period the decision
was signed, added up over the tree; equal to direct counts over random awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.awards import services
from congdoan.awards.indicator_definitions import PICKS
from congdoan.awards.models import Award, Decision
from congdoan.awards.tests.helpers import form
from congdoan.indicators import selectors
from congdoan.indicators.models import Indicator, PeriodKind, Source
from congdoan.indicators.periods import period_open

pytestmark = pytest.mark.django_db


def value(unit, period, code):
    return selectors.unit_figures(unit.pk, period)[code].value or Decimal(0)


def test_catalogue_names_every_definition():
    derived = set(
        Indicator.objects.filter(source=Source.DERIVED, derivation__startswith="awards_")
        .values_list("derivation", flat=True)
    )  # fmt: skip
    assert derived == set(PICKS)


def test_awards_count_where_their_recipients_are(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    d = services.decision_create(
        actor=None, issuer_unit=world.province, number="1/QĐ", signed_on=dt.date(2025, 7, 1)
    )
    for recipient in ({"unit": world.grass_a1}, {"member": world.member_a},
                      {"outside_name": "Công ty A&B", "outside_kind": "body"}):  # fmt: skip
        services.award_add(actor=None, decision=d, form=form("tinh_bang_khen"), **recipient)
    old = services.decision_create(
        actor=None, issuer_unit=world.province, number="2/QĐ", signed_on=dt.date(2024, 3, 1)
    )
    services.award_add(actor=None, decision=old, form=form("tinh_bang_khen", "2019"),
                       unit=world.grass_a2)  # fmt: skip
    assert value(world.grass_a1, year, "kt_bang_khen_tap_the") == 1
    assert value(world.grass_a1, year, "kt_bang_khen_ca_nhan") == 1  # its member
    assert value(world.unit_a, year, "kt_bang_khen_tap_the") == 1  # 2024's award is not counted
    assert value(world.province, year, "kt_bang_khen_tap_the") == 2  # with the outside body
    assert value(world.province, year, "kt_ldld_tinh") == 3
    assert value(world.unit_b, year, "kt_ldld_tinh") == 0


KINDS = ["tinh_co", "tinh_bang_khen", "tren_cs_giay_khen"]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(KINDS), st.sampled_from(["a1", "a2", "b1", "member"])),
        max_size=12,
    )
)
def test_derived_values_equal_direct_counts(world, picks):
    Award.objects.all().delete()
    Decision.objects.all().delete()
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    issuers = {"tinh_co": world.province, "tinh_bang_khen": world.province,
               "tren_cs_giay_khen": world.unit_a}  # fmt: skip
    targets = {"a1": {"unit": world.grass_a1}, "a2": {"unit": world.grass_a2},
               "b1": {"unit": world.grass_b1}, "member": {"member": world.member_a}}  # fmt: skip
    decisions = {}
    for i, (code, who) in enumerate(picks):
        issuer = issuers[code]
        if code == "tren_cs_giay_khen" and who == "b1":
            continue  # unit A's decision gives nothing to unit B's union
        if code == "tinh_co" and who == "member":
            continue  # flags go to units
        if issuer.pk not in decisions:
            decisions[issuer.pk] = services.decision_create(
                actor=None, issuer_unit=issuer, number=f"{i}/QĐ", signed_on=dt.date(2025, 3, 1)
            )
        services.award_add(actor=None, decision=decisions[issuer.pk], form=form(code),
                           year=2000 + i, **targets[who])  # fmt: skip
    under_a = Award.objects.filter(decision__signed_on__year=2025).exclude(unit=world.grass_b1)
    assert value(world.unit_a, year, "kt_co_thi_dua") == under_a.filter(form__kind="flag").count()
    assert (
        value(world.province, year, "kt_giay_khen_tap_the")
        == Award.objects.filter(form__kind="certificate", unit__isnull=False).count()
    )
    assert (
        value(world.province, year, "kt_ldld_tinh")
        == Award.objects.filter(form__issuer_level="province_or_sector").count()
    )
