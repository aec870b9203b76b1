"""The initiatives section of the periodic report: collected from the database, written pure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.initiatives import report_sections as section
from congdoan.initiatives import services
from congdoan.initiatives.tests.helpers import initiative, keep, phases, programme, target
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext

pytestmark = pytest.mark.django_db


def ctx(unit, *periods):
    return ReportContext(None, unit, None, list(periods), timezone.now())


def test_programme_phases_ranks_and_contests(world):
    prog = programme(world, organiser=world.province)
    one, two = phases(prog)
    keep(world, world.grass_a1)
    for day in (dt.date(2024, 2, 1), dt.date(2024, 3, 1), dt.date(2025, 2, 1)):
        initiative(world, programme=prog, submitted_on=day, decided_on=day)
    ind.values_save(actor=None, unit=world.grass_b1, period=one, entries={"sang_kien": "1"})
    for unit in (world.unit_a, world.unit_b):
        target(unit, "sang_kien", one, 1)
        target(unit, "sang_kien", two, 1)
    contest = services.contest_create(
        actor=None, unit=world.province, kind="innovation",
        title="Hội thi Sáng tạo kỹ thuật tỉnh lần thứ V", number=5,
        starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 9, 1),
    )  # fmt: skip
    for prize in ("second", "third", "consolation", "consolation", ""):
        services.entry_add(
            actor=None, contest=contest, unit=world.grass_a1, title="ĐT", prize=prize
        )
    services.entry_add(actor=None, contest=contest, unit=world.grass_b1, title="ĐT B")
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)

    data = section.collect(ctx(world.unit_a, year))
    assert data is not None
    [told] = data.programmes
    assert [p.value for p in told.phases] == [Decimal(2), Decimal(1)]
    assert told.whole.target == 2 and told.whole.value == 3
    assert told.phases[0].rank == 1 and told.phases[0].rank_of == 2
    assert told.benefit == Decimal(360_000_000)
    [above] = data.contests
    assert (above.own, above.entries, above.prizes["consolation"]) == (False, 5, 2)

    with translation.override("vi"):
        text = " ".join(b.text for b in section.write(data, Options()).blocks)
    assert "Giai đoạn 1 có 2/1 sáng kiến, đạt 200% chỉ tiêu, xếp thứ nhất/2 đơn vị" in text
    assert "cả chương trình (02 giai đoạn) có 3/2 sáng kiến, đạt 150% chỉ tiêu" in text
    assert "360 triệu đồng" in text
    assert "01 đề tài đạt giải nhì" in text or "1 đề tài đạt giải nhì" in text
    assert "2 đề tài đạt giải khuyến khích" in text

    province = section.collect(ctx(world.province, year))
    own = province.contests[0]
    assert own.own and own.entries == 6
    with translation.override("vi"):
        text = " ".join(b.text for b in section.write(province, Options()).blocks)
    assert "trên tổng số 6 đề tài" in text


def test_silent_without_programmes_or_contests(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    assert section.collect(ctx(world.unit_a, year)) is None


def test_text_keeps_ampersands_and_diacritics(world):
    data = section.InitiativesTold(
        programmes=[],
        contests=[
            section.ContestResult(
                title='Cuộc thi "An toàn & <vệ sinh>" lao động',
                kind="quiz",
                number=None,
                organiser="LĐLĐ tỉnh",
                own=True,
                entries=0,
                participants=4000,
            )
        ],
    )
    with translation.override("vi"):
        text = section.write(data, Options()).blocks[0].text
    assert 'Cuộc thi "An toàn & <vệ sinh>" lao động thu hút 4.000 lượt người dự thi' in text
