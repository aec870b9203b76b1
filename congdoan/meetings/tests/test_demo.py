"""The demo meetings, on the standard world standing in for the demo province."""

import datetime as dt

import pytest
from django.utils import translation

from congdoan.meetings import demo
from congdoan.meetings.models import Meeting
from congdoan.organisation import services as org
from congdoan.organisation.models import Position

pytestmark = pytest.mark.django_db


def test_load_builds_congress_bch_conferences_and_a_cluster_pledge(world):
    term = org.term_create(
        actor=None, unit=world.province, number=13, start_year=2023, end_year=2028,
        congress_date=dt.date(2023, 7, 20),
    )  # fmt: skip
    org.seat_add(
        actor=None, term=term, committee="bch", position=Position.objects.get(code="chu_tich"),
        full_name="Tẩn Văn Chủ", job_title="Chủ tịch LĐLĐ tỉnh", start_date=dt.date(2023, 7, 20),
    )  # fmt: skip
    cluster = org.cluster_create(actor=None, organiser=world.province, code="cum-3", name="Cụm 3")
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.unit_a, year=2024, is_head=True)
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.unit_b, year=2024)

    created = demo.load(
        today=dt.date(2025, 1, 10), province_code="TN", cluster_code="cum-3", cluster_year=2024
    )
    # Congress, BCH 1 (20/07/2023), 2 (18/12/2023), 3 (15/07/2024), 4 (18/12/2024); cluster.
    assert created == 6
    bch = Meeting.objects.filter(kind="bch").order_by("number")
    assert [m.number for m in bch] == [1, 2, 3, 4]
    with translation.override("vi"):
        assert bch.last().display_title == (
            "Hội nghị Ban Chấp hành lần thứ IV (mở rộng), khoá XIII, nhiệm kỳ 2023 – 2028"
        )
    pledge = Meeting.objects.get(kind="cluster").pledges.get()
    assert set(pledge.signatories.all()) == {world.unit_a, world.unit_b}
    assert demo.load(today=dt.date(2025, 1, 10), province_code="TN") == 0
