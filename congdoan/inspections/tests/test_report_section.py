"""The inspections section of the periodic report: collected from the registers, written in
Vietnamese without repeating the indicator paragraphs."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from congdoan.inspections import report_sections as section
from congdoan.inspections import services
from congdoan.inspections.tests.helpers import complaint_a, inspection_a
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext

pytestmark = pytest.mark.django_db
YEAR = SimpleNamespace(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))


def _ctx(unit, periods=(YEAR,)):
    return ReportContext(None, unit, None, list(periods), timezone.now())


def test_collect_counts_by_body_with_distinct_units(world):
    inspection_a(world)  # A's UBKT: Charter at A1, A2 and an enterprise; 1/2 carried out
    services.inspection_create(
        actor=None, unit=world.unit_a, kind="finance", body="ubkt",
        started_on=dt.date(2025, 6, 1), units=[world.grass_a1],
    )  # fmt: skip
    services.inspection_create(
        actor=None, unit=world.grass_b1, kind="policy", body="bch",
        started_on=dt.date(2025, 6, 1), units=[world.grass_b1], partners="Sở Nội vụ",
    )  # fmt: skip
    services.inspection_create(  # the year after: not counted
        actor=None, unit=world.unit_b, kind="policy", body="bch", started_on=dt.date(2026, 1, 1)
    )
    complaint_a(world)
    data = section.collect(_ctx(world.province))
    assert [(b.body, b.several, b.inspections, b.inspected_units) for b in data.bodies] == [
        ("ubkt", False, 2, 3), ("bch", False, 0, 0),
    ]  # fmt: skip
    assert (data.bodies[1].supervisions, data.bodies[1].supervised_units) == (1, 1)
    assert (data.joint, data.outside) == (1, 1)
    assert (data.carried_out, data.recommendations) == (1, 2)
    assert (data.received, data.still_open) == (1, 0)
    assert section.collect(_ctx(world.unit_b)).bodies[0].body == "bch"
    assert section.collect(_ctx(world.grass_a2)) is None


def test_write_in_vietnamese():
    data = section.InspectionsDone(
        start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
        bodies=[section.ByBody("ubkt", True, 22, 119, 15, 40), section.ByBody("bch", False, 3, 3, 0, 0)],
        joint=4, outside=12, recommendations=45, carried_out=40, received=6, still_open=1,
    )  # fmt: skip
    with translation.override("vi"):
        text = section.write(data, Options()).blocks[0].text
    assert text == (
        "Theo sổ theo dõi kiểm tra, giám sát, từ 01/01/2025 đến 31/12/2025, Ủy ban Kiểm tra các "
        "cấp đã kiểm tra 22 cuộc tại 119 đơn vị, giám sát 15 cuộc tại 40 đơn vị; Ban Chấp hành "
        "đã kiểm tra 3 cuộc tại 3 đơn vị; 4 cuộc phối hợp với các cơ quan khác; đã kiểm tra, giám "
        "sát 12 doanh nghiệp, cơ quan ngoài tổ chức công đoàn; các kiến nghị đã thực hiện 40/45; "
        "tiếp nhận 6 đơn thư khiếu nại, tố cáo, còn 1 vụ việc chưa giải quyết."
    )


def test_a_cluster_report_has_no_section(world):
    ctx = ReportContext(None, world.unit_a, object(), [YEAR], timezone.now())
    assert section.collect(ctx) is None
