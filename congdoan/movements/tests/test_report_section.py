"""The movements section of the periodic report: what the indicator paragraphs do not say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.movements import report_sections as section
from congdoan.movements import services
from congdoan.movements.tests.helpers import activity_a, agreement_a, keep
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, spec

pytestmark = pytest.mark.django_db


def context(world, unit, periods, cluster=None):
    return ReportContext(world.national, unit, cluster, periods, timezone.now())


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2025)


def add(unit, kind, title, day=dt.date(2025, 5, 1), **fields):
    return services.activity_create(actor=None, unit=unit, kind=kind, title=title, on=day, **fields)


def test_silent_without_records_of_keeping_units(world, year):
    activity_a(world)  # A1 does not keep the register: its records are not counted
    assert section.collect(context(world, world.unit_a, [year])) is None


def test_the_section_tells_works_models_propaganda_agreements_and_dialogues(world, year):
    for unit in (world.grass_a1, world.grass_a2, world.grass_b1):
        keep(world, unit)
    activity_a(world)
    add(world.grass_a2, "work", "Đường & cầu <mới>", value=Decimal(2_000_000_000),
        event="Đại hội XIII Công đoàn tỉnh", for_congress=True)  # fmt: skip
    add(world.grass_a2, "model", "Dân vận khéo “bữa cơm”", dan_van_kheo=True)
    add(world.grass_a1, "propaganda", "Nghị quyết 02-NQ/TW")
    add(world.grass_a1, "propaganda", "Nghị quyết 02-NQ/TW", dt.date(2025, 6, 1))
    add(world.grass_a2, "propaganda", "Nghi\u0323 quyết 02-NQ/TW")  # NFD: the same topic
    add(world.grass_a1, "dialogue", "Đối thoại định kỳ", participants=40)
    add(world.grass_b1, "work", "Công trình BETA", for_congress=True, event="Đại hội")
    agreement_a(world)
    services.agreement_create(
        actor=None, unit=world.grass_a2, signed_on=dt.date(2025, 3, 1),
        expires_on=dt.date(2028, 2, 28), renewed=True, workers=30, rating="B",
    )  # fmt: skip
    data = section.collect(context(world, world.unit_a, [year]))
    assert data is not None
    assert (data.works_count, data.works_value) == (2, Decimal(2_150_000_000))
    assert data.works[0].title == "Đường & cầu <mới>"  # the largest value first
    assert data.propagated == [section.Propagated("Nghị quyết 02-NQ/TW", 2)]
    assert (data.grassroots, data.keeping) == (2, 2)
    assert data.agreements == {"new": 1, "renewed": 1, "workers": 150, "A": 1, "B": 1, "C": 0}
    assert data.dialogues == (1, 1, 40)
    with translation.override("en"):
        written = section.write(data, Options())
    text = " ".join(p.text for p in written.blocks)
    assert "2 emulation works and tasks were dedicated to Đại hội XIII Công đoàn tỉnh" in text
    assert "Đường & cầu <mới> (CĐCS ALPHA Hai, 2 billion dong)" in text
    assert "Dân vận khéo “bữa cơm”" in text
    assert "Nghị quyết 02-NQ/TW 2/2 (100%)" in text
    assert "1 new and 1 renewed collective labour agreements" in text and "A: 1, B: 1" in text
    assert "1 workplace dialogue was held at 1 units, with 40 participants" in text
    with translation.override("vi"):
        text = " ".join(p.text for p in section.write(data, Options()).blocks)
    assert "Có 2 công trình, phần việc chào mừng Đại hội XIII Công đoàn tỉnh, tổng giá trị" in text
    assert "Đường & cầu <mới> (CĐCS ALPHA Hai, 2 tỷ đồng)" in text
    assert (
        "Ký mới 1, ký lại 1 bản thỏa ước lao động tập thể, 150 người lao động được hưởng; " in text
    )
    assert "xếp loại A: 1, B: 1." in text


def test_the_share_says_how_many_unions_keep_the_register(world, year):
    keep(world, world.grass_a1)
    add(world.grass_a1, "propaganda", "Chỉ thị 13-CT/TW")
    data = section.collect(context(world, world.province, [year]))
    assert (data.grassroots, data.keeping) == (3, 1)
    with translation.override("en"):
        text = section.write(data, Options()).blocks[0].text
    assert "Chỉ thị 13-CT/TW 1/3 (33%)" in text and "records of 1 of the 3" in text


def test_a_report_of_the_year_counts_the_tree_as_it_stood_then(world, year):
    from congdoan.organisation import services as org

    keep(world, world.grass_a1)
    add(world.grass_a1, "dialogue", "Đối thoại")
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2026, 2, 1))
    assert section.collect(context(world, world.unit_a, [year])).dialogues[0] == 1
    assert section.collect(context(world, world.unit_b, [year])) is None


def test_registered_with_the_reports():
    found = spec("movements")
    assert found is not None and found.collect is section.collect
