"""Former members' personal data is erased after the retention period (congdoan
purge_former_members): the dry run changes nothing; the real run erases the record and its
history rows but keeps sex, spells and events, so counts as of past dates stay the same."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from congdoan.members import personal, services
from congdoan.members.models import (
    DuplicateFlag,
    Ethnicity,
    Member,
    MemberEvent,
    Membership,
    Religion,
    TransferRequest,
)

D = dt.date
TODAY = D(2026, 11, 24)
CCCD = "001186654321"  # a woman born 1986, Hà Nội
DAYS = [D(2020, 6, 1), D(2021, 1, 1), D(2021, 3, 1), D(2022, 1, 1), D(2024, 1, 1), TODAY]


def former_member(world):
    """A member with every kind of personal data, who left on 01/02/2021."""
    m = services.member_admit(
        actor=world.officer_a,
        unit=world.grass_a1,
        family_name="Hoàng",
        middle_name="Thị",
        given_name="Mỵ",
        sex="F",
        admitted_on=D(2020, 3, 1),
        date_of_birth=D(1986, 8, 19),
        citizen_id=CCCD,
        ethnicity=Ethnicity.objects.get(code="08"),
        religion=Religion.objects.get(code="cong_giao"),
        phone="0977123456",
        email="my.hoang@example.vn",
        hometown="Bản Giang, Tam Đường",
        address="Tổ 5, phường Tân Phong",
        job_title="Kế toán",
        workplace="Trường Tiểu học Bản Giang",
        card_number="LC99887766",
        salary_base=5_000_000,
        hardship=True,
        note="Con nhỏ, hoàn cảnh khó khăn",
        party_member=True,
        party_joined_on=D(2015, 5, 19),
    )
    services.transfer_request(
        actor=world.officer_a,
        member=m,
        to_unit=world.grass_a2,
        day=D(2020, 9, 1),
        note="Theo nguyện vọng của Mỵ",
    )
    services.member_update(actor=world.officer_a, member=m, phone="0977000111")
    services.member_exit(
        actor=world.officer_a, member=m, day=D(2021, 2, 1), reason="left_job", note="Nghỉ việc"
    )
    # A likely duplicate in B, and a logged read of her data.
    services.member_admit(
        actor=None,
        unit=world.grass_b1,
        family_name="Hoàng",
        middle_name="Thị",
        given_name="Mỵ",
        sex="F",
        admitted_on=D(2021, 5, 1),
        date_of_birth=D(1986, 8, 19),
    )
    personal.log_access(user=world.national, kind="view", purpose="Kiểm tra", members=[m])
    return Member.objects.get(pk=m.pk)


def stocks():
    """Members and women per unit on each day, from the spells (open on the day)."""
    out = {}
    for day in DAYS:
        open_on = Membership.objects.filter(start__lte=day).filter(
            Q(end__isnull=True) | Q(end__gt=day)
        )
        for unit_code in ("A1", "A2", "B1"):
            spells = open_on.filter(unit__code=unit_code)
            out[(day, unit_code)] = (spells.count(), spells.filter(member__sex="F").count())
    return out


def summary_figures(world):
    from congdoan.members import counts

    units = [world.grass_a1.pk, world.grass_a2.pk, world.grass_b1.pk]
    out = {}
    for day in DAYS:
        out[day] = counts.members_per_unit(day, units)
        figures = counts.unit_figures(units, counts.Period(D(2020, 1, 1), day))
        out[(day, "flows")] = {u: f.as_dict() for u, f in figures.items()}
    return out


def snapshot(member):
    history = list(member.history.order_by("history_id").values())
    events = list(MemberEvent.objects.filter(member=member).order_by("id").values())
    return Member.objects.filter(pk=member.pk).values().get(), history, events


def purge(**kw):
    out = StringIO()
    call_command("purge_former_members", stdout=out, **kw)
    return out.getvalue()


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_dry_run_changes_nothing(world, fixed_today, settings):
    m = former_member(world)
    settings.MEMBER_RETENTION_YEARS = 5
    before = snapshot(m)
    text = purge(dry_run=True)
    assert "dry run" in text and "24/11/2021" in text  # the cutoff: 5 years before today
    assert "A2" in text and " 1 " in text
    assert CCCD not in text and "Mỵ" not in text and "0977" not in text
    assert snapshot(m) == before
    assert DuplicateFlag.objects.count() == 1


def test_members_within_the_retention_period_are_kept(world, fixed_today):
    m = former_member(world)
    text = purge(years=10)  # left 2021: still kept
    assert ": 0 erased" in text
    m.refresh_from_db()
    assert m.citizen_id == CCCD and m.given_name == "Mỵ"


def test_purge_erases_personal_data_and_keeps_counts(world, fixed_today):
    m = former_member(world)
    stock_before = stocks()
    figures_before = summary_figures(world)
    spells_before = list(Membership.objects.filter(member=m).values_list("unit_id", "start", "end"))
    events_before = list(
        MemberEvent.objects.filter(member=m).values_list(
            "kind", "date", "from_unit", "to_unit", "reason"
        )
    )
    current_before = list(Member.objects.exclude(pk=m.pk).order_by("pk").values())

    text = purge(years=5)
    assert "erased" in text and "dry run" not in text and str(m.pk) in text

    m.refresh_from_db()
    assert m.full_name == personal.ERASED_NAME and m.family_name == ""
    assert m.citizen_id is None and m.phone == "" and m.email == "" and m.card_number is None
    assert m.ethnicity is None and m.religion is None
    assert not m.party_member and m.party_joined_on is None and m.party_referred_on is None
    assert m.hometown == m.address == m.note == m.job_title == m.workplace == ""
    assert m.salary_base is None and not m.hardship
    assert m.date_of_birth == D(1986, 1, 1)  # the year only
    # Kept: sex, status, dates, unit.
    assert m.sex == "F" and m.status == "exited" and m.exit_reason == "left_job"
    assert m.admitted_on == D(2020, 3, 1) and m.exited_on == D(2021, 2, 1)
    assert m.unit == world.grass_a2
    # Every history row is erased too; the purge itself is recorded.
    rows = list(m.history.all().values())
    assert len(rows) >= 4
    for row in rows:
        text_row = " ".join(str(v) for v in row.values())
        for secret in (CCCD, "0977", "Mỵ", "example.vn", "Bản Giang", "LC99887766", "khó khăn"):
            assert secret not in text_row, secret
        assert row["ethnicity_id"] is None and row["party_member"] is False
    assert m.history.order_by("-history_date", "-history_id").first().history_change_reason == (
        "member_purge"
    )
    # Notes of events and transfer requests (which may name the person) are cleared.
    assert not MemberEvent.objects.filter(member=m).exclude(note="").exists()
    assert not TransferRequest.objects.filter(member=m).exclude(note="").exists()
    assert not TransferRequest.history.filter(member_id=m.pk).exclude(note="").exists()
    assert not DuplicateFlag.objects.exists()
    # Spells, events and counts as of past dates are unchanged; other members untouched.
    assert list(Membership.objects.filter(member=m).values_list("unit_id", "start", "end")) == (
        spells_before
    )
    assert (
        list(
            MemberEvent.objects.filter(member=m).values_list(
                "kind", "date", "from_unit", "to_unit", "reason"
            )
        )
        == events_before
    )
    assert stocks() == stock_before
    assert summary_figures(world) == figures_before
    assert list(Member.objects.exclude(pk=m.pk).order_by("pk").values()) == current_before
    # The log of reads is kept (who read what, when).
    assert m.personal_data_reads.count() == 1
    # Running again finds nothing left to erase.
    assert ": 0 erased" in purge(years=5)


def test_retention_must_be_positive(world):
    with pytest.raises(CommandError):
        purge(years=0)


def test_purge_is_not_reachable_from_the_pages():
    from django.urls import get_resolver

    names = {p.name for p in get_resolver().url_patterns if hasattr(p, "name")}
    assert not any("purge" in (n or "") for n in names)
