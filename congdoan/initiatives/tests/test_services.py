"""Services of initiatives and programmes: rules, scope, audit rows."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.indicators.models import Period, PeriodKind
from congdoan.initiatives import services
from congdoan.initiatives.models import Author, Initiative, Programme
from congdoan.initiatives.tests.helpers import (
    PROGRAMME,
    initiative,
    initiative_a,
    phases,
    programme,
)

pytestmark = pytest.mark.django_db


def test_a_programme_creates_its_period_and_phases(world):
    prog = programme(world)
    assert prog.period.kind == PeriodKind.PROGRAMME and prog.name == PROGRAMME
    one, two = phases(prog)
    assert (one.kind, one.number, one.programme) == (PeriodKind.PHASE, 1, PROGRAMME)
    assert two.start == dt.date(2025, 1, 1)
    assert [i.code for i in prog.indicators.all()] == [
        "sang_kien",
        "sang_kien_hop_le",
        "gia_tri_lam_loi",
    ]
    assert set(prog.history.values_list("history_change_reason", flat=True)) == {"programme_create"}


def test_only_the_national_level_adds_programme_periods(world):
    with pytest.raises(RuleViolation) as exc:
        services.programme_create(
            actor=world.officer_a, unit=world.unit_a, name="Chương trình huyện",
            start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
        )  # fmt: skip
    assert exc.value.field == "kind"
    # On a period the national level created, the district records its programme.
    period = Period.objects.create(
        kind=PeriodKind.PROGRAMME, year=2024, name="Chương trình huyện", programme="huyện",
        start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
    )  # fmt: skip
    prog = services.programme_create(actor=world.officer_a, unit=world.unit_a, period=period)
    assert prog.history.first().history_user == world.officer_a


def test_phases_must_not_overlap(world):
    with pytest.raises(RuleViolation) as exc:
        services.programme_create(
            actor=None, unit=world.province, name="Chồng lấn",
            start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31),
            phases=[("Một", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
                    ("Hai", dt.date(2024, 12, 1), dt.date(2025, 12, 31))],
        )  # fmt: skip
    assert exc.value.field == "phases"
    assert not Period.objects.filter(programme="Chồng lấn").exists()


def test_an_initiative_takes_the_phase_of_its_submission(world):
    row = initiative_a(world)
    assert row.phase == phases(row.programme)[0]
    later = initiative(world, submitted_on=dt.date(2025, 2, 1), status="submitted", decided_on=None)
    assert later.phase == phases(row.programme)[1]
    author = row.authors.get()
    assert author.member == world.member_a and author.full_name == world.member_a.full_name


def test_submission_outside_the_programme_is_refused(world):
    with pytest.raises(RuleViolation) as exc:
        initiative(world, submitted_on=dt.date(2023, 12, 31))
    assert exc.value.field == "submitted_on"


def test_a_unit_outside_the_organisers_subtree_is_refused(world):
    with pytest.raises(RuleViolation) as exc:
        initiative(world, unit=world.grass_b1, authors=[services.AuthorIn(full_name="Người B")])
    assert exc.value.field == "unit" and "CĐCS BETA" in str(exc.value).upper()


def test_an_officer_cannot_record_for_a_unit_outside_scope(world):
    prog = programme(world, organiser=world.province)
    with pytest.raises(RuleViolation) as exc:
        services.initiative_create(
            actor=world.officer_b, unit=world.grass_a1, programme=prog, title="X",
            submitted_on=dt.date(2024, 2, 1), authors=[services.AuthorIn(full_name="Ai đó")],
        )  # fmt: skip
    assert MARKER_A not in str(exc.value)
    assert not Initiative.objects.exists()


def test_an_author_member_outside_scope_is_not_found(world):
    prog = programme(world, organiser=world.province)
    with pytest.raises(RuleViolation) as exc:
        services.initiative_create(
            actor=world.officer_b, unit=world.grass_b1, programme=prog, title="X",
            submitted_on=dt.date(2024, 2, 1), authors=[services.AuthorIn(member=world.member_a)],
        )  # fmt: skip
    assert MARKER_A not in str(exc.value) and exc.value.field == "authors"


def test_an_author_member_of_another_union_is_refused(world):
    with pytest.raises(RuleViolation) as exc:
        initiative(world, unit=world.grass_a2)
    assert "CĐCS ALPHA Hai" in str(exc.value)


def test_a_rejection_needs_a_reason_and_a_date(world):
    row = initiative(world, status="submitted", decided_on=None)
    with pytest.raises(RuleViolation) as exc:
        services.initiative_decide(
            actor=world.officer_a, initiative=row, status="rejected", decided_on=dt.date(2024, 6, 1)
        )
    assert exc.value.field == "decision_note"
    with pytest.raises(RuleViolation):
        services.initiative_decide(
            actor=world.officer_a, initiative=row, status="valid", decided_on=dt.date(2024, 1, 1)
        )
    row = services.initiative_decide(
        actor=world.officer_a, initiative=row, status="rejected", decided_on=dt.date(2024, 6, 1),
        note="Trùng với sáng kiến đã công nhận năm 2023",
    )  # fmt: skip
    assert row.status == "rejected"
    last = row.history.first()
    assert (last.history_change_reason, last.history_user) == ("initiative_decide", world.officer_a)


def test_the_certificate_only_for_a_valid_initiative(world):
    with pytest.raises(RuleViolation) as exc:
        initiative(
            world, status="submitted", decided_on=None, creative_labour_on=dt.date(2024, 8, 1)
        )
    assert exc.value.field == "creative_labour_on"


def test_update_replaces_authors_and_recomputes_the_phase(world):
    row = initiative_a(world)
    row = services.initiative_update(
        actor=world.officer_a,
        initiative=row,
        submitted_on=dt.date(2024, 4, 1),
        authors=[services.AuthorIn(full_name="Lò Văn Khách", workplace="Công ty X")],
    )
    assert [a.full_name for a in row.authors.all()] == ["Lò Văn Khách"]
    reasons = set(Author.history.values_list("history_change_reason", flat=True))
    assert reasons == {"initiative_create", "initiative_update"}


def test_a_decision_cannot_precede_a_moved_submission(world):
    row = initiative_a(world)  # decided on 02/05/2024
    with pytest.raises(RuleViolation) as exc:
        services.initiative_update(
            actor=world.officer_a, initiative=row, submitted_on=dt.date(2025, 3, 1)
        )
    assert exc.value.field == "decided_on"


def test_delete_keeps_history_and_programme_delete_is_refused_while_used(world):
    row = initiative_a(world)
    with pytest.raises(RuleViolation):
        services.programme_delete(actor=world.officer_a, programme=row.programme)
    services.initiative_delete(actor=world.officer_a, initiative=row)
    assert Initiative.history.filter(history_type="-").get().history_user == world.officer_a
    services.programme_delete(actor=world.officer_a, programme=row.programme)
    assert not Programme.objects.exists()


def test_programme_update_changes_the_indicators(world):
    prog = programme(world)
    services.programme_update(actor=world.officer_a, programme=prog, indicators=["sang_kien"])
    assert [i.code for i in prog.indicators.all()] == ["sang_kien"]
    with pytest.raises(RuleViolation):
        services.programme_update(actor=world.officer_a, programme=prog, indicators=["khong_co"])
    with pytest.raises(RuleViolation):
        services.programme_update(actor=world.officer_b, programme=prog, description="x")


def test_text_is_stored_nfc(world):
    import unicodedata

    row = initiative(world, title=unicodedata.normalize("NFD", "Sáng kiến Hòa"))
    assert row.title == unicodedata.normalize("NFC", "Sáng kiến Hòa")
