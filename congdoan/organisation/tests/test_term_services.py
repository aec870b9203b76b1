"""Rules of the term and committee services: scope, ordered years, dates inside the term."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.core.exceptions import RuleViolation
from congdoan.organisation import services as org
from congdoan.organisation.models import Position, Term

CONGRESS = dt.date(2023, 5, 10)


def pos(code):
    return Position.objects.get(code=code)


@pytest.fixture
def term(world):
    return org.term_create(
        actor=world.officer_a,
        unit=world.grass_a1,
        number=11,
        start_year=2023,
        end_year=2028,
        congress_date=CONGRESS,
    )


def test_term_create_records_who(world, term):
    assert (term.unit, term.number, term.roman) == (world.grass_a1, 11, "XI")
    record = term.history.get()
    assert record.history_user == world.officer_a
    assert record.history_change_reason == "term_create"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"number": 11, "start_year": 2028, "end_year": 2033}, "number"),  # congress XI exists
        ({"number": 12, "start_year": 2028, "end_year": 2023}, "end_year"),
        ({"number": 0, "start_year": 2028, "end_year": 2033}, "number"),
        ({"number": 12, "start_year": 28, "end_year": 2033}, "start_year"),
        (
            {"number": 12, "start_year": 2028, "end_year": 2033, "congress_date": CONGRESS},
            "congress_date",
        ),
    ],
)
def test_term_create_checks_values(world, term, values, field):
    with pytest.raises(RuleViolation) as exc:
        org.term_create(actor=world.officer_a, unit=world.grass_a1, **values)
    assert exc.value.field == field


def test_term_create_needs_scope_and_an_active_unit(world):
    with pytest.raises(RuleViolation):
        org.term_create(
            actor=world.officer_b, unit=world.grass_a1, number=1, start_year=2023, end_year=2028
        )
    org.unit_dissolve(actor=None, unit=world.group_a1, day=dt.date(2024, 1, 1))
    with pytest.raises(RuleViolation):
        org.term_create(actor=None, unit=world.group_a1, number=1, start_year=2023, end_year=2028)
    assert not Term.objects.exists()


def test_seat_add(world, term):
    seat = org.seat_add(
        actor=world.officer_a,
        term=term,
        committee="bch",
        position=pos("chu_tich"),
        full_name="  le   thi HỒNG ",
        start_date=CONGRESS,
        job_title="Kỹ sư",
    )
    assert (seat.full_name, seat.committee, seat.end_date) == ("le thi HỒNG", "bch", None)
    assert seat.history.get().history_change_reason == "seat_add"


def test_seat_add_takes_the_members_name(world, term):
    seat = org.seat_add(
        actor=None,
        term=term,
        committee="bch",
        position=pos("uv_bch"),
        full_name="",
        member=world.member_a,
        start_date=dt.date(2024, 1, 1),
    )
    assert seat.full_name == world.member_a.full_name
    assert seat.member == world.member_a


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"committee": "btv", "position": "chu_tich"}, "position"),  # a BCH position
        ({"committee": "ubkt", "position": "uv_bch"}, "position"),
        ({"committee": "xyz", "position": "uv_bch"}, "committee"),
        ({"start_date": dt.date(2023, 5, 9)}, "start_date"),  # before the congress
        ({"start_date": dt.date(2029, 1, 1)}, "start_date"),  # after the last year
        ({"full_name": " "}, "full_name"),
    ],
)
def test_seat_add_checks_values(world, term, values, field):
    kwargs = {
        "committee": "bch",
        "position": "uv_bch",
        "full_name": "Nguyễn Văn An",
        "start_date": CONGRESS,
        **values,
    }
    kwargs["position"] = pos(kwargs["position"])
    with pytest.raises(RuleViolation) as exc:
        org.seat_add(actor=world.officer_a, term=term, **kwargs)
    assert exc.value.field == field
    assert not term.seats.exists()


def test_seat_add_scope_and_member_outside_the_unit(world, term):
    with pytest.raises(RuleViolation):
        org.seat_add(
            actor=world.officer_b,
            term=term,
            committee="bch",
            position=pos("uv_bch"),
            full_name="Người ngoài",
            start_date=CONGRESS,
        )
    with pytest.raises(RuleViolation) as exc:
        org.seat_add(
            actor=None,
            term=term,
            committee="bch",
            position=pos("uv_bch"),
            full_name="",
            member=world.member_b,
            start_date=CONGRESS,
        )
    assert exc.value.field == "member"


def test_seat_end(world, term):
    seat = org.seat_add(
        actor=None,
        term=term,
        committee="ubkt",
        position=pos("chu_nhiem_ubkt"),
        full_name="Phạm Văn Kiểm",
        start_date=CONGRESS,
    )
    with pytest.raises(RuleViolation) as exc:
        org.seat_end(actor=world.officer_a, seat=seat, end_date=CONGRESS)
    assert exc.value.field == "end_date"
    with pytest.raises(RuleViolation) as exc:
        org.seat_end(actor=world.officer_a, seat=seat, end_date=dt.date(2029, 1, 1))
    assert exc.value.field == "end_date"
    with pytest.raises(RuleViolation):
        org.seat_end(actor=world.officer_b, seat=seat, end_date=dt.date(2024, 1, 1))

    ended = org.seat_end(
        actor=world.officer_a, seat=seat, end_date=dt.date(2024, 3, 1), reason="Nghỉ hưu"
    )
    assert (ended.end_date, ended.end_reason) == (dt.date(2024, 3, 1), "Nghỉ hưu")
    assert ended.history.first().history_user == world.officer_a
    with pytest.raises(RuleViolation):  # already ended
        org.seat_end(actor=world.officer_a, seat=seat, end_date=dt.date(2024, 4, 1))
