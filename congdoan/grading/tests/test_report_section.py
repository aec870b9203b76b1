"""The grading section of the periodic report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from congdoan.grading import report_sections as section
from congdoan.grading.tests.helpers import confirm, grade, marks
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, spec

pytestmark = pytest.mark.django_db


def context(world, unit, periods):
    return ReportContext(world.national, unit, None, periods, timezone.now())


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def test_silent_when_nothing_was_graded(world, year):
    grade(world.grass_a1, 2024)  # a draft is no result
    assert section.collect(context(world, world.province, [year])) is None
    quarter = period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=4)
    confirm(grade(world.grass_a2, 2024))
    assert section.collect(context(world, world.province, [quarter])) is None


def test_the_section_tells_the_graded_unions_by_category(world, year):
    confirm(grade(world.grass_a1, 2024, scores=marks(0.95)))
    confirm(grade(world.grass_a2, 2024, scores=marks(0.8)))
    confirm(grade(world.grass_b1, 2024, scores=marks(0.4)))
    data = section.collect(context(world, world.province, [year]))
    assert (data.graded, data.grassroots, data.good) == (3, 3, 2)
    with translation.override("vi"):
        text = section.write(data, Options()).blocks[0].text
    assert text == (
        "Năm 2024 đánh giá, xếp loại 3/3 CĐCS: hoàn thành xuất sắc nhiệm vụ 1 (33%), "
        "hoàn thành tốt nhiệm vụ 1 (33%), không hoàn thành nhiệm vụ 1 (33%); "
        "hoàn thành tốt nhiệm vụ trở lên 2 (67%)."
    )
    with translation.override("en"):
        written = section.write(data, Options())
    assert written.heading == "Grading of grassroots unions"
    assert written.blocks[0].text.startswith("In 2024, 3/3 grassroots unions were graded: ")
    a = section.collect(context(world, world.unit_a, [year]))
    assert (a.graded, a.grassroots, a.good) == (2, 2, 2)


def test_a_report_of_the_year_counts_the_tree_as_it_stood_then(world, year):
    from congdoan.organisation import services as org

    confirm(grade(world.grass_a1, 2024))
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2025, 2, 1))
    assert section.collect(context(world, world.unit_a, [year])).graded == 1
    assert section.collect(context(world, world.unit_b, [year])) is None


def test_registered_with_the_reports():
    found = spec("grading")
    assert found is not None and found.collect is section.collect
