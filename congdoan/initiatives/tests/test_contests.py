"""Services of contests, entries and participants: rules, scope, audit rows."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.initiatives import services
from congdoan.initiatives.models import Contest, Entry, Participant
from congdoan.initiatives.tests.helpers import contest_a, initiative_a, quiz_a

pytestmark = pytest.mark.django_db


def test_a_contest_with_entries_and_prizes(world):
    contest = contest_a(world)
    assert sorted(contest.entries.values_list("prize", flat=True)) == ["consolation", "second"]
    assert contest.history.get().history_change_reason == "contest_create"


def test_dates_in_order(world):
    with pytest.raises(RuleViolation) as exc:
        services.contest_create(
            actor=world.officer_a, unit=world.unit_a, kind="quiz", title="Thi",
            starts_on=dt.date(2024, 5, 1), ends_on=dt.date(2024, 4, 1),
        )  # fmt: skip
    assert exc.value.field == "ends_on"


def test_an_entrant_outside_the_organisers_subtree(world):
    contest = contest_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.entry_add(actor=world.officer_a, contest=contest, unit=world.grass_b1, title="X")
    # Officer A cannot see unit B's union: it is not named.
    assert "BETA" not in str(exc.value) and exc.value.field == "unit"
    with pytest.raises(RuleViolation) as exc:
        services.entry_add(actor=world.national, contest=contest, unit=world.grass_b1, title="X")
    assert "BETA" in str(exc.value)


def test_officer_b_cannot_add_entries_to_a_contest_of_a(world):
    contest = contest_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.entry_add(actor=world.officer_b, contest=contest, unit=world.grass_b1, title="X")
    assert MARKER_A not in str(exc.value)


def test_prize_update_is_audited(world):
    contest_a(world)
    entry = world.extra["initiatives_entry_a"]
    services.entry_update(actor=world.officer_a, entry=entry, prize="first")
    entry.refresh_from_db()
    assert entry.prize == "first"
    last = entry.history.first()
    assert (last.history_change_reason, last.history_user) == ("entry_update", world.officer_a)
    with pytest.raises(RuleViolation):
        services.entry_update(actor=world.officer_a, entry=entry, prize="gold")


def test_an_entry_may_name_an_initiative_of_the_subtree(world):
    contest = contest_a(world)
    entry = services.entry_add(
        actor=world.officer_a, contest=contest, unit=world.grass_a1, title="Băng chuyền",
        initiative=initiative_a(world),
    )  # fmt: skip
    assert entry.initiative.entries.get() == entry


def test_participants_only_in_a_quiz(world):
    with pytest.raises(RuleViolation):
        services.participant_add(
            actor=world.officer_a, contest=contest_a(world), unit=world.grass_a1
        )
    quiz = quiz_a(world)
    named = world.extra["initiatives_participant_a"]
    assert (named.unit, named.count, named.member) == (world.grass_a1, 1, world.member_a)
    assert sum(quiz.participants.values_list("count", flat=True)) == 121
    with pytest.raises(RuleViolation) as exc:
        services.participant_add(actor=world.officer_a, contest=quiz, unit=world.grass_a1, count=0)
    assert exc.value.field == "count"


def test_a_quiz_with_participants_keeps_its_kind(world):
    quiz = quiz_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.contest_update(actor=world.officer_a, contest=quiz, kind="innovation")
    assert exc.value.field == "kind"


def test_a_member_participant_outside_scope_is_not_found(world):
    quiz = services.contest_create(
        actor=None, unit=world.province, kind="quiz", title="Thi tỉnh",
        starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 2, 1),
    )  # fmt: skip
    with pytest.raises(RuleViolation) as exc:
        services.participant_add(actor=world.officer_b, contest=quiz, member=world.member_a)
    assert MARKER_A not in str(exc.value)


def test_delete_a_contest_removes_its_rows_with_history(world):
    contest = contest_a(world)
    quiz = quiz_a(world)
    services.contest_delete(actor=world.officer_a, contest=contest)
    services.contest_delete(actor=world.officer_a, contest=quiz)
    assert not Contest.objects.exists() and not Entry.objects.exists()
    assert not Participant.objects.exists()
    assert Entry.history.filter(history_type="-").count() == 2
    assert Participant.history.filter(history_type="-", history_user=world.officer_a).count() == 2
