"""The demo emulation cycle, on the standard world standing in for the demo province."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.emulation import demo, selectors
from congdoan.emulation.models import Movement, Registration, Scorecard
from congdoan.meetings.models import Pledge
from congdoan.organisation import services as org

pytestmark = pytest.mark.django_db


def test_load_runs_the_whole_cycle_once(world):
    cluster = org.cluster_create(actor=None, organiser=world.province, code="cum-3", name="Cụm 3")
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.unit_a, year=2024, is_head=True)
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.unit_b, year=2024)

    created = demo.load(today=dt.date(2025, 3, 1), province_code="TN")

    assert created > 0
    assert Movement.objects.filter(organiser=world.province).count() == 2
    programme = Movement.objects.get(kind="programme")
    assert programme.phases.count() == 2
    # Units directly under the province and grassroots unions, all but every seventh.
    registered = set(Registration.objects.filter(movement=programme).values_list("unit", flat=True))
    assert world.unit_a.pk in registered and len(registered) >= 4
    pledge = Pledge.objects.get(cluster=cluster, year=2024)
    assert pledge.meeting is not None and pledge.signatories.count() == 2
    cards = Scorecard.objects.filter(cluster=cluster, year=2024)
    assert cards.count() == 2 and all(c.final_total is not None for c in cards)
    ranking = selectors.cluster_ranking(cluster, 2024)
    assert [r.rank for r in ranking] in ([1, 2], [1, 1])
    proposal = selectors.submitted_proposals(year=2024).get()
    assert [e.unit for e in proposal.entries.all()] == [r.unit for r in ranking]
    assert demo.load(today=dt.date(2025, 3, 1), province_code="TN") == 0
