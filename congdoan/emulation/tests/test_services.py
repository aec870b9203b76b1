"""The emulation services: movements, registrations, scoring stages, proposals, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from congdoan.core.exceptions import RuleViolation
from congdoan.emulation import selectors, services
from congdoan.emulation.models import ProposalStatus, Registration, Stage
from congdoan.emulation.tests.helpers import (
    YEAR,
    card,
    criteria,
    movement_a,
    officer_of,
    points,
    registration_a,
    scheme_a,
)
from congdoan.organisation.tests.url_cases import cluster_a

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the pages' tests check the Vietnamese)."""
    with translation.override("en"):
        yield


FULL = (20, 30, 50)


# Movements and registrations


def test_a_yearly_movement_runs_one_year(world):
    with pytest.raises(RuleViolation, match="one year") as exc:
        services.movement_create(
            actor=world.officer_a, organiser=world.unit_a, name="X", kind="yearly",
            start_year=2024, end_year=2025,
        )  # fmt: skip
    assert exc.value.field == "end_year"


def test_a_programme_with_phases(world):
    programme = services.movement_create(
        actor=world.officer_a, organiser=world.unit_a, name="LĐG-LĐST", kind="programme",
        start_year=2021, end_year=2025,
    )  # fmt: skip
    services.phase_add(
        actor=world.officer_a, movement=programme, name="Giai đoạn 1",
        starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2023, 6, 30),
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="overlaps Giai đoạn 1"):
        services.phase_add(
            actor=world.officer_a, movement=programme, name="Giai đoạn 2",
            starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2025, 12, 31),
        )  # fmt: skip
    assert [p.name for p in programme.phases.all()] == ["Giai đoạn 1"]


def test_officer_b_cannot_launch_a_movement_for_unit_a(world):
    with pytest.raises(RuleViolation, match="not found within your scope"):
        services.movement_create(
            actor=world.officer_b, organiser=world.unit_a, name="X", kind="thematic",
            start_year=2024,
        )  # fmt: skip


def test_one_registration_per_unit_movement_and_year(world):
    registration_a(world)
    with pytest.raises(RuleViolation, match="already registered"):
        services.registration_create(
            actor=world.officer_a, movement=movement_a(world), unit=world.grass_a1, year=YEAR,
            registered_on=dt.date(2024, 3, 1),
        )  # fmt: skip


def test_withdrawn_then_registered_again(world):
    reg = registration_a(world)
    services.registration_withdraw(
        actor=world.officer_a, registration=reg, withdrawn_on=dt.date(2024, 5, 1), reason="Giải thể"
    )
    again = services.registration_create(
        actor=world.officer_a, movement=movement_a(world), unit=world.grass_a1, year=YEAR,
        registered_on=dt.date(2024, 6, 1),
    )  # fmt: skip
    assert Registration.objects.filter(unit=world.grass_a1).count() == 2
    assert again.active and not Registration.objects.get(pk=reg.pk).active
    with pytest.raises(RuleViolation, match="was withdrawn on"):
        services.registration_withdraw(
            actor=world.officer_a, registration=reg, withdrawn_on=dt.date(2024, 7, 1)
        )


def test_registration_only_in_the_organisers_subtree_and_years(world):
    movement = movement_a(world)
    with pytest.raises(RuleViolation, match="is not within"):
        services.registration_create(
            actor=world.national, movement=movement, unit=world.grass_b1, year=YEAR,
            registered_on=dt.date(2024, 3, 1),
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="runs in 2024") as exc:
        services.registration_create(
            actor=world.officer_a, movement=movement, unit=world.grass_a2, year=2025,
            registered_on=dt.date(2025, 3, 1),
        )  # fmt: skip
    assert exc.value.field == "year"


def test_officer_b_registering_a_unit_of_a_learns_nothing(world):
    with pytest.raises(RuleViolation) as exc:
        services.registration_create(
            actor=world.officer_b, movement=movement_a(world), unit=world.grass_a1, year=YEAR,
            registered_on=dt.date(2024, 3, 1),
        )  # fmt: skip
    assert "ALPHA" not in str(exc.value)
    assert "not found within your scope" in str(exc.value)


# Scoring


def test_scheme_in_force_is_the_latest_not_after_the_year(world):
    first = scheme_a(world)
    later = services.scheme_create(
        actor=world.officer_a, organiser=world.unit_a, name="Bảng 2026", from_year=2026,
        groups=[("Nhóm", [{"name": "Tiêu chí", "max_points": 10}])],
    )  # fmt: skip
    cluster = cluster_a(world)
    assert selectors.scheme_for(cluster, 2025) == first
    assert selectors.scheme_for(cluster, 2026) == later
    assert selectors.scheme_for(cluster, 2023) is None


def test_a_national_scheme_needs_the_whole_federation(world):
    groups = [("Nhóm", [{"name": "Tiêu chí", "max_points": 10}])]
    with pytest.raises(RuleViolation, match="whole federation"):
        services.scheme_create(
            actor=world.officer_a, name="Quốc gia", from_year=2024, groups=groups
        )
    scheme = services.scheme_create(
        actor=world.national, name="Quốc gia", from_year=2024, groups=groups
    )
    assert scheme.organiser is None


def test_no_scheme_no_scorecard(world):
    with pytest.raises(RuleViolation, match="No scoring scheme is in force"):
        services.scorecard_open(
            actor=None, unit=world.grass_a1, cluster=cluster_a(world), year=YEAR
        )


def test_only_members_of_the_cluster_that_year_are_scored(world):
    scheme_a(world)
    with pytest.raises(RuleViolation, match="is not a member of"):
        services.scorecard_open(
            actor=None, unit=world.grass_a1, cluster=cluster_a(world), year=2025
        )


def test_points_lie_between_zero_and_the_maximum(world):
    sc = card(world)
    for bad in ("21", "-1", "abc", "1.234"):
        with pytest.raises(RuleViolation) as exc:
            services.scorecard_score(
                actor=world.officer_a, scorecard=sc, stage=Stage.SELF,
                points=points(world, (bad, 30, 50)), notes={criteria(world)[0].pk: "x"},
            )  # fmt: skip
        assert exc.value.field == f"c{criteria(world)[0].pk}"
        assert "Phát triển đoàn viên" in str(exc.value)
    with pytest.raises(RuleViolation, match="points are missing"):
        services.scorecard_score(
            actor=world.officer_a, scorecard=sc, stage=Stage.SELF,
            points={criteria(world)[0].pk: 1},
        )  # fmt: skip


def test_stages_in_order(world):
    sc = card(world)
    with pytest.raises(RuleViolation, match="needs the self-score first"):
        services.scorecard_score(
            actor=world.officer_a, scorecard=sc, stage=Stage.CLUSTER, points=points(world, FULL)
        )
    services.scorecard_score(
        actor=world.officer_a, scorecard=sc, stage=Stage.SELF, points=points(world, (10, 20, 40))
    )
    with pytest.raises(RuleViolation, match="needs the cluster score first"):
        services.scorecard_score(
            actor=world.officer_a, scorecard=sc, stage=Stage.FINAL, points=points(world, FULL)
        )
    services.scorecard_score(
        actor=world.officer_a, scorecard=sc, stage=Stage.CLUSTER, points=points(world, (10, 20, 35))
    )
    with pytest.raises(RuleViolation, match="no longer changes"):
        services.scorecard_score(
            actor=world.officer_a, scorecard=sc, stage=Stage.SELF, points=points(world, FULL)
        )
    sc = services.scorecard_score(
        actor=world.officer_a, scorecard=sc, stage=Stage.FINAL, points=points(world, (10, 20, 30))
    )
    assert (sc.self_total, sc.cluster_total, sc.final_total) == (70, 65, 60)
    assert sc.best_total == 60 and sc.final_by == world.officer_a


def test_who_may_score_each_stage(world):
    a1 = officer_of(world, world.grass_a1, "can_bo_a1")  # the head unit's officer
    a2 = officer_of(world, world.grass_a2, "can_bo_a2")
    sc2 = card(world, world.grass_a2)
    with pytest.raises(RuleViolation, match="Only CĐCS ALPHA Hai"):
        services.scorecard_score(
            actor=a1, scorecard=sc2, stage=Stage.SELF, points=points(world, FULL)
        )
    services.scorecard_score(actor=a2, scorecard=sc2, stage=Stage.SELF, points=points(world, FULL))
    with pytest.raises(RuleViolation, match="Only the head unit of"):
        services.scorecard_score(
            actor=a2, scorecard=sc2, stage=Stage.CLUSTER, points=points(world, FULL)
        )
    services.scorecard_score(
        actor=a1, scorecard=sc2, stage=Stage.CLUSTER, points=points(world, FULL)
    )
    with pytest.raises(RuleViolation, match="gives the final score"):
        services.scorecard_score(
            actor=a1, scorecard=sc2, stage=Stage.FINAL, points=points(world, FULL)
        )
    done = services.scorecard_score(
        actor=world.officer_a, scorecard=sc2, stage=Stage.FINAL, points=points(world, FULL)
    )
    assert done.final_total == 100


def test_officer_b_cannot_score_and_learns_nothing(world):
    sc = card(world)
    with pytest.raises(RuleViolation) as exc:
        services.scorecard_score(
            actor=world.officer_b, scorecard=sc, stage=Stage.SELF, points=points(world, FULL)
        )
    assert "ALPHA" not in str(exc.value)


# Proposals


def test_proposal_of_members_then_submitted_and_frozen(world):
    cluster = cluster_a(world)
    with pytest.raises(RuleViolation, match="is not a member of"):
        services.proposal_save(
            actor=world.officer_a, cluster=cluster, year=YEAR,
            entries=[(world.grass_b1, "Bằng khen")], proposed_on=dt.date(2024, 12, 1),
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="say which award"):
        services.proposal_save(
            actor=world.officer_a, cluster=cluster, year=YEAR,
            entries=[(world.grass_a1, " ")], proposed_on=dt.date(2024, 12, 1),
        )  # fmt: skip
    proposal = services.proposal_save(
        actor=world.officer_a, cluster=cluster, year=YEAR,
        entries=[(world.grass_a2, "Cờ thi đua"), (world.grass_a1, "Bằng khen")],
        proposed_on=dt.date(2024, 12, 1),
    )  # fmt: skip
    assert [e.unit for e in proposal.entries.all()] == [world.grass_a2, world.grass_a1]
    assert list(selectors.submitted_proposals(year=YEAR)) == []
    services.proposal_submit(actor=world.officer_a, proposal=proposal)
    found = list(selectors.submitted_proposals(world.officer_a, year=YEAR))
    assert found == [proposal] and found[0].status == ProposalStatus.SUBMITTED
    assert list(selectors.submitted_proposals(world.officer_b, year=YEAR)) == []
    with pytest.raises(RuleViolation, match="has been submitted"):
        services.proposal_save(
            actor=world.officer_a, cluster=cluster, year=YEAR,
            entries=[(world.grass_a1, "Bằng khen")], proposed_on=dt.date(2024, 12, 2),
        )  # fmt: skip


def test_only_head_or_organiser_proposes(world):
    a2 = officer_of(world, world.grass_a2, "can_bo_a2")
    with pytest.raises(RuleViolation, match="Only the head unit of"):
        services.proposal_save(
            actor=a2, cluster=cluster_a(world), year=YEAR,
            entries=[(world.grass_a2, "Bằng khen")], proposed_on=dt.date(2024, 12, 1),
        )  # fmt: skip
    a1 = officer_of(world, world.grass_a1, "can_bo_a1")
    proposal = services.proposal_save(
        actor=a1, cluster=cluster_a(world), year=YEAR,
        entries=[(world.grass_a1, "Bằng khen")], proposed_on=dt.date(2024, 12, 1),
    )  # fmt: skip
    assert proposal.proposed_by_unit == world.grass_a1


def test_rank_in_cluster_says_where_the_unit_stands(world):
    from congdoan.emulation.tests.helpers import scored

    scored(world, world.grass_a1, (10, 10, 10), ("self",))
    scored(world, world.grass_a2, (20, 30, 40), ("self", "cluster"))
    placed = selectors.rank_in_cluster(world.grass_a1, YEAR)
    assert [(p.rank, p.of, p.total) for p in placed] == [(2, 2, Decimal(30))]
    assert "2" in placed[0].text and cluster_a(world).name in placed[0].text
    assert selectors.rank_in_cluster(world.grass_a2, YEAR)[0].stage == "cluster"
