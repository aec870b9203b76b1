"""Two rules of targets (issue 12):

- Targets close once the period is over (it has ended and its due day has passed) and, for a
  unit, once its figures of the period are locked: every target write refuses with a message
  saying why, changes nothing, and the page no longer offers the forms.
- Allocating "by members" weighs the members of each unit below at the period's end (or today,
  while the period runs), not today's members.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from congdoan.core.exceptions import RuleViolation
from congdoan.indicators import selectors, services
from congdoan.indicators.models import PeriodKind, Target
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.clock import on
from congdoan.indicators.tests.figures_world import enter, ind
from congdoan.members.services import member_admit

D = Decimal


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def set_target(world, unit, period, value, actor=None):
    return services.target_set(
        actor=actor or world.officer_a,
        unit=unit,
        indicator=ind("phat_trien_dv"),
        period=period,
        value=value,
    )


def allocate(world, period, total=None, method="even"):
    return services.targets_allocate(
        actor=world.officer_a,
        parent=world.unit_a,
        indicator=ind("phat_trien_dv"),
        period=period,
        total=total,
        method=method,
    )


def targets(world) -> dict[str, Decimal]:
    return {
        t.unit.code: t.value
        for t in Target.objects.filter(unit__parent=world.unit_a).select_related("unit")
    }


# --- closed once the period is over -----------------------------------------------------------


def test_targets_change_until_the_due_day_and_not_after(world, year):
    due = year.due_on
    assert due is not None and due > year.end
    with on(year.end + dt.timedelta(days=1)):  # ended, figures not yet due: still open
        set_target(world, world.grass_a1, year, 4)
    with on(due):
        allocate(world, year, total=10)
    assert targets(world) == {"A1": 5, "A2": 5}
    with on(due + dt.timedelta(days=1)):
        assert selectors.targets_past(year)
        with pytest.raises(RuleViolation) as refused:
            set_target(world, world.grass_a1, year, 9)
        message = str(refused.value)
        assert "Năm 2024" in message and "31/12/2024" in message
        assert due.strftime("%d/%m/%Y") in message
        for call in (
            lambda: allocate(world, year, total=20),
            lambda: set_target(world, world.grass_a2, year, ""),  # removing is a change too
            lambda: services.targets_set_many(
                actor=world.officer_a,
                indicator=ind("phat_trien_dv"),
                period=year,
                values={world.grass_a1: 1},
            ),
        ):
            with pytest.raises(RuleViolation, match="Năm 2024"):
                call()
    assert targets(world) == {"A1": 5, "A2": 5}


def test_a_period_without_a_due_day_closes_after_its_last_day(world):
    from congdoan.indicators.periods import period_create

    phase = period_create(
        actor=None,
        kind=PeriodKind.CUSTOM,
        name="Đợt thi đua",
        start=dt.date(2024, 3, 1),
        end=dt.date(2024, 4, 30),
    )
    assert phase.due_on is None
    with on(dt.date(2024, 4, 30)):
        set_target(world, world.grass_a1, phase, 3)
    with on(dt.date(2024, 5, 1)), pytest.raises(RuleViolation, match="Đợt thi đua"):
        set_target(world, world.grass_a1, phase, 4)


def test_scope_is_checked_before_the_rule(world, year):
    """Officer B learns nothing about A's period: the refusal of scope, as for an open one."""
    with on(dt.date(2026, 1, 1)), pytest.raises(RuleViolation) as refused:
        services.targets_allocate(
            actor=world.officer_b,
            parent=world.unit_a,
            indicator=ind("phat_trien_dv"),
            period=year,
            total=10,
        )
    assert "Năm 2024" not in str(refused.value)


# --- closed for a unit whose figures are locked --------------------------------------------------


def lock(world, unit, period):
    sheet = enter(world, unit, period, suat_qua=1)
    sheet = services.sheet_submit(actor=world.officer_a, sheet=sheet)
    sheet = services.sheet_approve(actor=world.officer_a, sheet=sheet)
    return services.sheet_lock(actor=world.officer_a, sheet=sheet)


def test_locked_figures_close_the_units_targets(world, year):
    with on(dt.date(2024, 6, 1)):
        set_target(world, world.grass_a1, year, 4)
        sheet = lock(world, world.grass_a1, year)
        assert selectors.targets_locked(year, [world.grass_a1.pk, world.grass_a2.pk]) == [
            world.grass_a1.pk
        ]
        with pytest.raises(RuleViolation) as refused:
            set_target(world, world.grass_a1, year, 6)
        assert world.grass_a1.name in str(refused.value) and "khóa" in str(refused.value)
        set_target(world, world.grass_a2, year, 6)  # its sibling's are open
        # An allocation among A's units changes A1's too: refused as a whole.
        with pytest.raises(RuleViolation, match=world.grass_a1.name):
            allocate(world, year, total=20)
        assert targets(world) == {"A1": 4, "A2": 6}
        # Reopening the figures opens the targets again.
        services.sheet_reopen(actor=world.officer_a, sheet=sheet, reason="Điều chỉnh chỉ tiêu")
        allocate(world, year, total=20)
    assert targets(world) == {"A1": 10, "A2": 10}


# --- the pages and the API ----------------------------------------------------------------------


def targets_url(name, world, period):
    return reverse(f"indicators:{name}", kwargs={"unit": world.unit_a.pk, "period": period.pk})


def test_the_page_offers_no_form_once_closed(world, year, client_of):
    client = client_of("officer_a")
    with on(dt.date(2024, 6, 1)):
        page = client.get(targets_url("targets", world, year)).content.decode()
        assert targets_url("target_set", world, year) in page
        assert "alloc-indicator" in page
        lock(world, world.grass_a2, year)
        page = client.get(targets_url("targets", world, year)).content.decode()
        # One unit's figures locked: its targets are closed, so no allocation among them all.
        assert targets_url("target_set", world, year) in page and "alloc-indicator" not in page
        assert f"Số liệu đã khóa: {world.grass_a2.name}" in page
    with on(dt.date(2026, 1, 1)):
        response = client.get(targets_url("targets", world, year))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Chỉ tiêu kỳ Năm 2024 đã khóa" in page
        assert targets_url("target_set", world, year) not in page
        assert "alloc-indicator" not in page
        response = client.post(
            targets_url("target_set", world, year),
            {"unit": world.grass_a1.pk, "indicator": "phat_trien_dv", "value": "7"},
        )
        assert response.status_code == 400 and "đã khóa" in response.content.decode()
        response = client.post(
            targets_url("targets_allocate", world, year),
            {"alloc-indicator": "phat_trien_dv", "alloc-total": "8", "alloc-method": "even"},
        )
        assert response.status_code == 400 and "đã khóa" in response.content.decode()
    assert not Target.objects.exists()


def test_the_api_refuses_closed_targets(world, year, client_of):
    client = client_of("officer_a")
    body = {"unit": "A1", "indicator": "phat_trien_dv", "period": year.pk, "value": "3"}
    with on(dt.date(2024, 6, 1)):
        created = client.post("/api/v1/targets/", json.dumps(body), content_type="application/json")
        assert created.status_code == 201
    with on(dt.date(2026, 1, 1)):
        response = client.post(
            "/api/v1/targets/", json.dumps({**body, "unit": "A2"}), content_type="application/json"
        )
        assert response.status_code == 400 and "đã khóa" in response.json()["detail"]
        url = f"/api/v1/targets/{created.json()['id']}/"
        assert client.delete(url).status_code == 400
        response = client.post(
            "/api/v1/targets/allocate/",
            json.dumps({"unit": "HA", "indicator": "phat_trien_dv", "period": year.pk}),
            content_type="application/json",
        )
        assert response.status_code == 400
    assert list(Target.objects.values_list("unit__code", "value")) == [("A1", D(3))]


# --- allocation by members ----------------------------------------------------------------------


def admit(unit, day, card):
    return member_admit(
        actor=None,
        unit=unit,
        family_name="Lê",
        middle_name="Văn",
        given_name="Mới",
        sex="M",
        admitted_on=day,
        date_of_birth=dt.date(1995, 1, 1),
        card_number=card,
    )


def test_members_at_the_period_end_weigh_an_allocation(world, year):
    """A1 has one member since 2020; A2 gets one on 2/1/2025, after the period ended."""
    admit(world.grass_a2, dt.date(2025, 1, 2), "CDA0002")
    with on(dt.date(2025, 1, 5)):  # 2024 is over, its figures not yet due
        assert services.members_day(year) == year.end
        plan = services.allocation_preview(
            parent=world.unit_a,
            indicator=ind("phat_trien_dv"),
            period=year,
            total=10,
            method="members",
        )
        assert {a.unit.code: (a.weight, a.value) for a in plan} == {
            "A1": (1, 10),
            "A2": (0, 0),
        }
        allocate(world, year, total=10, method="members")
    assert targets(world) == {"A1": 10, "A2": 0}


def test_members_of_today_weigh_an_allocation_while_the_period_runs(world, year):
    """On 30/6/2024 A2 has the member admitted on 1/6/2024, not the one of 1/9/2024."""
    admit(world.grass_a2, dt.date(2024, 6, 1), "CDA0002")
    admit(world.grass_a2, dt.date(2024, 9, 1), "CDA0003")
    with on(dt.date(2024, 6, 30)):
        assert services.members_day(year) == dt.date(2024, 6, 30)
        allocate(world, year, total=10, method="members")
    assert targets(world) == {"A1": 5, "A2": 5}
