"""The welfare section of the periodic report: partners and what they give."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from congdoan.activities.services import keeping_start
from congdoan.core.tests.support import MARKER_A
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.reports import sections
from congdoan.reports.facts import Options
from congdoan.welfare import report_sections, services
from congdoan.welfare.models import REGISTER
from congdoan.welfare.tests.helpers import agreement_a, new_agreement

pytestmark = pytest.mark.django_db


def _context(world, unit):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    return sections.ReportContext(None, unit, None, [year], timezone.now())


def test_silent_without_kept_records(world):
    agreement_a(world)  # unit A does not keep the register
    assert report_sections.collect(_context(world, world.province)) is None


def test_partners_by_kind_most_used_and_new(world):
    keeping_start(actor=None, unit=world.unit_a, register=REGISTER, from_year=2024)
    keeping_start(actor=None, unit=world.grass_a2, register=REGISTER, from_year=2024)
    agreement_a(world)
    shop = new_agreement(world, partner_name="Siêu thị Hà & Nội", benefits="Giảm 5% hóa đơn")
    services.benefit_use_create(
        actor=None, agreement=shop, used_on=dt.date(2024, 2, 1), count=3, value=90_000
    )
    new_agreement(
        world, partner_name="Phòng khám An Bình", partner_kind="health", benefits="Khám miễn phí"
    )
    data = report_sections.collect(_context(world, world.province))
    assert data is not None
    assert data.partners == [("bank", 1), ("retail", 1), ("health", 1)]
    assert [p.uses for p in data.most_used] == [121, 3]
    with translation.override("vi"):
        section = sections.spec("welfare").write(data, Options())
    text = section.blocks[0].text
    assert section.heading == "Chương trình phúc lợi cho đoàn viên"
    assert "1 ngân hàng, 1 cơ sở thương mại và 1 cơ sở y tế" in text
    assert f"Ngân hàng {MARKER_A} – Chi nhánh Lai Châu – Giảm 0,5% lãi suất vay" in text
    assert "(121 lượt, 6,5 triệu đồng)" in text
    assert "Siêu thị Hà & Nội – Giảm 5% hóa đơn (3 lượt, 90 nghìn đồng)" in text
    assert "miễn phí thẻ <ATM>" in text  # "&" and "<" kept as they are; renderers escape
    assert "Phòng khám An Bình – Khám miễn phí" in text  # a new agreement, not used yet


def test_only_the_subjects_subtree(world):
    keeping_start(actor=None, unit=world.unit_a, register=REGISTER, from_year=2024)
    agreement_a(world)
    assert report_sections.collect(_context(world, world.unit_b)) is None
