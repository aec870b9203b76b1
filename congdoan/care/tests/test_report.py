"""The care section of the periodic report: campaigns with their portions and money, houses
handed over with their value and sources."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from congdoan.care import report_sections as rs
from congdoan.care.tests.helpers import gift, house_a, tet_gifts_a
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, spec


def _ctx(world, unit, *periods):
    return ReportContext(
        actor=world.national, unit=unit, cluster=None, periods=list(periods), as_of=timezone.now()
    )


def _text(section) -> str:
    return " ".join(p.text for p in section.blocks)


def test_the_section_is_registered():
    assert spec("care") is not None and spec("care").write is rs.write


def test_writing_is_pure_and_says_campaigns_as_reports_do():
    data = rs.CareFacts(
        campaigns=[
            rs.CampaignLine("Tết Bính Ngọ 2026", 7565, 0, Decimal(2_960_000_000)),
            rs.CampaignLine("Tháng Công nhân 2026", 1200, 2, Decimal(450_000_000)),
        ],
        houses=rs.HousesHanded(
            built=2, repaired=1, value=Decimal(240_000_000),
            sources=[("donor", Decimal(130_000_000)), ("province", Decimal(110_000_000))],
            donors=["Ngân hàng A & B", "Công ty <C>", "Bưu điện", "Cty D"],
        ),
    )  # fmt: skip
    with translation.override("vi"):
        text = _text(rs.write(data, Options()))
    assert "Tết Bính Ngọ 2026: 7.565 suất quà, gần 3 tỷ đồng" in text
    assert "Tháng Công nhân 2026: 1.200 suất quà, 02 nhà Mái ấm Công đoàn, 450 triệu đồng" in text
    assert "Bàn giao 03 nhà Mái ấm Công đoàn (xây mới 02, sửa chữa 01)" in text
    assert "240 triệu đồng" in text and "Ngân hàng A & B, Công ty <C>, Bưu điện và 1" in text
    with translation.override("en"):
        text = _text(rs.write(data, Options()))
    assert "7,565 gift portions" in text and "nearly 3 billion dong" in text


@pytest.mark.django_db
def test_collect_reads_the_subtree_in_the_span(world):
    house_a(world)  # A1, handed over 15/06/2024
    tet_gifts_a(world)  # unit A, Tết campaign 2024: 200 portions, 100 million
    gift(world, unit=world.grass_b1, member=world.member_b)  # B's, outside A's subtree
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    data = rs.collect(_ctx(world, world.unit_a, year))
    assert [(c.name, c.portions, c.value) for c in data.campaigns] == [
        ("Tết ALPHA 2024", 200, Decimal(100_000_000))
    ]
    assert (data.houses.built, data.houses.value) == (1, Decimal(80_000_000))
    assert data.houses.donors == ["Ngân hàng Thử Nghiệm"]
    q1 = period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=1)
    assert rs.collect(_ctx(world, world.unit_a, q1)).houses is None  # handed over in Q2
    assert rs.collect(_ctx(world, world.unit_b, year)) is None  # no campaign, no house
    with translation.override("vi"):
        text = _text(rs.write(data, Options()))
    assert "Tết ALPHA 2024: 200 suất quà, 100 triệu đồng" in text
