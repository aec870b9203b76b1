"""The emulation section of the periodic report."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from congdoan.emulation import report_sections as section
from congdoan.emulation.tests.helpers import YEAR, pledge_a, registration_a, scored
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.organisation.tests.url_cases import cluster_a
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, spec

pytestmark = pytest.mark.django_db


def context(world, unit, periods, cluster=None):
    return ReportContext(world.national, unit, cluster, periods, timezone.now())


def test_silent_without_records(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=YEAR)
    assert section.collect(context(world, world.unit_b, [year])) is None


def test_registered_pledged_and_ranked(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=YEAR)
    registration_a(world)
    pledge_a(world)
    scored(world, world.grass_a1, (10, 20, 30), ("self",))
    scored(world, world.grass_a2, (20, 30, 50), ("self", "cluster"))
    data = section.collect(context(world, world.unit_a, [year]))
    assert data is not None
    assert (data.registered, data.grassroots, data.pledged) == (1, 2, 1)
    assert data.rankings[0].leaders == ["CĐCS ALPHA Hai", "CĐCS ALPHA Một"]
    assert spec("emulation") is not None
    with translation.override("vi"):
        texts = [p.text for p in section.write(data, Options()).blocks]
    assert texts[0] == "1/2 CĐCS đăng ký thi đua năm 2024 (50%)."
    assert texts[1] == "1 cụm, khối thi đua ký giao ước năm 2024."
    assert texts[2] == (
        f"Xếp hạng trong {cluster_a(world).name}: 1. CĐCS ALPHA Hai, 2. CĐCS ALPHA Một."
    )
    with translation.override("en"):
        english = [p.text for p in section.write(data, Options()).blocks]
    assert english[0].startswith("1/2 grassroots unions registered")
