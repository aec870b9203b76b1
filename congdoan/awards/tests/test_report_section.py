"""The awards section of the periodic report: what the subject's units and members received in
the span, by issuer then form; silent when nothing was awarded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congdoan.awards import report_sections as section
from congdoan.awards import services
from congdoan.awards.tests.helpers import form
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, spec

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 12, 20)


def context(world, unit, periods):
    return ReportContext(world.national, unit, None, periods, timezone.now())


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2025)


def test_silent_without_awards(world, year):
    assert section.collect(context(world, world.unit_a, [year])) is None


def test_the_section_tells_who_gave_what(world, year):
    province = services.decision_create(
        actor=None, issuer_unit=world.province, number="120/QĐ", signed_on=DAY
    )
    for unit in (world.grass_a1, world.grass_a2):
        services.award_add(actor=None, decision=province, form=form("tinh_co"), unit=unit)
    services.award_add(actor=None, decision=province, form=form("tinh_bang_khen"),
                       member=world.member_a)  # fmt: skip
    services.award_add(actor=None, decision=province, form=form("tinh_bang_khen"),
                       unit=world.grass_b1)  # fmt: skip
    outside = services.decision_create(
        actor=None, issuer_name="UBND tỉnh Lai Châu", recorded_by_unit=world.unit_a,
        number="88/QĐ-UBND", signed_on=DAY,
    )  # fmt: skip
    services.award_add(actor=None, decision=outside, form=form("ubnd_bang_khen"),
                       outside_name="Công ty A&B <Việt Nam>", outside_kind="body")  # fmt: skip
    data = section.collect(context(world, world.unit_a, [year]))
    assert (data.collective, data.individual) == (3, 1)  # unit B's union is not in A's subtree
    text = " ".join(p.text for p in section.write(data, Options()).blocks)
    assert "3 tập thể và 1 cá nhân được khen thưởng" in text
    assert "LĐLĐ tỉnh Thử Nghiệm" in text and "CĐCS ALPHA Một, CĐCS ALPHA Hai" in text
    assert "UBND tỉnh Lai Châu: Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh tặng 1 tập thể" in text
    assert spec("awards") is not None
