"""Rules of the member lifecycle services (members/services.py): admission, corrections,
transfers seen from both sides, suspension, exit, discipline, Party, re-admission, duplicates.

Every service is dated (past dates allowed, future dates refused), checks the actor's scope,
records a MemberEvent and the audit trail.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.tests.support import make_user
from congdoan.members import services
from congdoan.members.models import (
    DuplicateFlag,
    DuplicateStatus,
    EventKind,
    ExitReason,
    Member,
    MemberEvent,
    Membership,
    MemberStatus,
    TransferRequest,
    TransferStatus,
)
from congdoan.members.tests.url_cases_registry import CCCD_A, cccd_a

D = dt.date
SAME_PERSON = {"sex": "F", "date_of_birth": dt.date(1990, 5, 17), "given_name": "Hoa"}


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def admit(unit, actor=None, **kw):
    values = {
        "family_name": "Lò",
        "middle_name": "Văn",
        "given_name": "Pấn",
        "sex": "M",
        "admitted_on": D(2022, 3, 1),
        "date_of_birth": D(1991, 4, 2),
    }
    values.update(kw)
    return services.member_admit(actor=actor, unit=unit, **values)


def spells(member):
    return list(
        Membership.objects.filter(member=member)
        .order_by("start", "id")
        .values_list("unit__code", "start", "end")
    )


def events(member):
    return list(
        MemberEvent.objects.filter(member=member)
        .order_by("date", "id")
        .values_list("kind", "date", "from_unit__code", "to_unit__code", "reason")
    )


def last_history(member):
    return member.history.order_by("-history_date", "-history_id").first()


# ---------------------------------------------------------------------------------------------
# Admission


def test_admit_records_spell_event_and_audit(world):
    m = admit(world.grass_a1, actor=world.officer_a, citizen_id="001091123456")
    assert m.status == MemberStatus.ACTIVE and m.unit == world.grass_a1
    assert spells(m) == [("A1", D(2022, 3, 1), None)]
    assert events(m) == [("admit", D(2022, 3, 1), None, "A1", "")]
    h = last_history(m)
    assert h.history_user == world.officer_a and h.history_change_reason == "member_admit"
    assert MemberEvent.objects.get(member=m).actor == world.officer_a


def test_admit_dates(world):
    admit(world.grass_a1, admitted_on=D(2020, 1, 1), date_of_birth=D(1980, 1, 1))  # past
    admit(world.grass_a1, admitted_on=timezone.localdate(), date_of_birth=D(1980, 1, 2))  # today
    with pytest.raises(RuleViolation) as exc:
        admit(world.grass_a1, admitted_on=tomorrow())
    assert exc.value.field == "admitted_on" and tomorrow().strftime("%d/%m/%Y") in str(exc.value)
    with pytest.raises(RuleViolation) as exc:
        admit(world.grass_a1, admitted_on=D(2022, 1, 1), date_of_birth=D(2022, 1, 1))
    assert exc.value.field == "date_of_birth"
    with pytest.raises(RuleViolation):  # before the unit was founded (01/01/2020)
        admit(world.grass_a1, admitted_on=D(2019, 12, 31))


def test_admit_scope_and_unit_level(world):
    with pytest.raises(RuleViolation) as exc:
        admit(world.grass_b1, actor=world.officer_a)
    # The refusal names nothing outside the actor's scope (issue 11).
    assert "B1" not in str(exc.value) and "BETA" not in str(exc.value)
    assert exc.value.field == "unit"
    with pytest.raises(RuleViolation):  # a provincial federation holds no members
        admit(world.province, actor=world.national)
    admit(world.unit_a, actor=world.officer_a)  # the unit directly above grassroots may


def test_admit_refuses_a_dissolved_unit(world):
    from congdoan.organisation import services as org

    org.unit_dissolve(actor=None, unit=world.grass_a2, day=D(2024, 1, 1), reason="Giải thể")
    world.grass_a2.refresh_from_db()
    admit(world.grass_a2, admitted_on=D(2023, 6, 1))  # it was active then
    with pytest.raises(RuleViolation):
        admit(world.grass_a2, admitted_on=D(2024, 6, 1), date_of_birth=D(1990, 1, 1))


def test_admit_checks_the_citizen_id(world):
    with pytest.raises(RuleViolation) as exc:  # a woman's number for a man
        admit(world.grass_a1, citizen_id="001191123456")
    assert exc.value.field == "citizen_id"
    with pytest.raises(RuleViolation) as exc:  # lost leading zero: detected, not guessed
        admit(world.grass_a1, citizen_id="1091123456")
    assert exc.value.field == "citizen_id"
    with pytest.raises(RuleViolation) as exc:
        admit(world.grass_a1, citizen_id=1091123456.0)  # as Excel gives it
    assert "001091123456" in str(exc.value)
    assert not Member.objects.filter(given_name="Pấn").exists()
    m = admit(world.grass_a1, citizen_id="001 091 123 456")
    assert m.citizen_id == "001091123456"
    legacy = admit(world.grass_a1, citizen_id="012345678", given_name="Khoa")
    assert legacy.citizen_id == "012345678"


def test_duplicate_citizen_id_is_refused_with_the_existing_unit(world):
    """The unit is named to an actor who may see members there (here the national officer)."""
    cccd_a(world)
    with pytest.raises(services.DuplicateCitizenId) as exc:
        admit(world.grass_b1, actor=world.national, citizen_id=CCCD_A, **SAME_PERSON)
    assert exc.value.existing == world.member_a
    assert exc.value.field == "citizen_id"
    assert "CĐCS ALPHA Một" in str(exc.value)
    assert CCCD_A not in str(exc.value)
    # A former member: re-admit instead.
    services.member_exit(actor=None, member=world.member_a, day=D(2024, 1, 1), reason="retired")
    with pytest.raises(services.DuplicateCitizenId) as exc:
        admit(world.grass_b1, actor=world.national, citizen_id=CCCD_A, **SAME_PERSON)
    assert "01/01/2024" in str(exc.value) and "CĐCS ALPHA Một" in str(exc.value)


def test_duplicate_citizen_id_outside_the_scope_names_nothing_and_is_logged(world):
    """Issue 11: officer B learns that the person is a member, not where; the look-up is in the
    access log (and survives the refusal's rollback)."""
    from congdoan.members.models import PersonalDataAccess

    cccd_a(world)
    with pytest.raises(services.DuplicateCitizenId) as exc:
        admit(world.grass_b1, actor=world.officer_b, citizen_id=CCCD_A, **SAME_PERSON)
    message = str(exc.value)
    assert "ALPHA" not in message and "A1" not in message and "ngoài phạm vi" in message
    assert not exc.value.visible
    [access] = PersonalDataAccess.objects.filter(user=world.officer_b)
    assert access.kind == "duplicate" and access.sought == CCCD_A
    assert list(access.members.all()) == [world.member_a]
    services.member_exit(actor=None, member=world.member_a, day=D(2024, 1, 1), reason="retired")
    with pytest.raises(services.DuplicateCitizenId) as exc:
        admit(world.grass_b1, actor=world.officer_b, citizen_id=CCCD_A, **SAME_PERSON)
    assert "ALPHA" not in str(exc.value) and "01/01/2024" not in str(exc.value)


def test_card_numbers(world, settings):
    with pytest.raises(RuleViolation) as exc:
        admit(world.grass_a1, card_number="cda0001")  # member_a's, any case
    assert exc.value.field == "card_number"
    settings.MEMBER_CARD_FORMAT = "{province:02d}{year:02d}{seq:07d}"
    m1 = admit(world.grass_a1, allocate_card=True, given_name="Một")
    m2 = admit(world.grass_a1, allocate_card=True, given_name="Hai")
    assert m1.card_number and m2.card_number and m1.card_number != m2.card_number
    assert m1.card_issued_on == D(2022, 3, 1)


def test_likely_duplicates_are_flagged_once_per_pair(world):
    a = admit(world.grass_a1, given_name="Hoà", family_name="Nguyễn", middle_name="Thị", sex="F")
    # The other tone placement, upper case, NFD, in another unit.
    import unicodedata

    b = admit(
        world.grass_b1,
        family_name=unicodedata.normalize("NFD", "NGUYỄN"),
        middle_name="THỊ",
        given_name="HÒA",
        sex="F",
    )
    assert DuplicateFlag.objects.filter(member=b, other=a).exists()
    # Correcting the first record does not flag the same pair the other way round.
    services.member_update(actor=None, member=a, phone="0912345678", date_of_birth=D(1991, 4, 2))
    services.member_update(actor=None, member=a, middle_name="Thị ")
    a.refresh_from_db()
    services.flag_duplicates(a)
    assert DuplicateFlag.objects.count() == 1
    # A different birth date is not a likely duplicate.
    admit(
        world.grass_b1,
        given_name="Hoà",
        family_name="Nguyễn",
        middle_name="Thị",
        sex="F",
        date_of_birth=D(1991, 4, 3),
    )
    assert DuplicateFlag.objects.count() == 1


def test_duplicate_resolve(world):
    a = admit(world.grass_a1)
    b = admit(world.grass_b1)
    flag = DuplicateFlag.objects.get(member=b, other=a)
    # Either side may decide; an unrelated officer may not.
    outsider = make_user("outsider", "federation_admin", world.grass_a2)
    with pytest.raises(RuleViolation):
        services.duplicate_resolve(actor=outsider, flag=flag, status="distinct")
    with pytest.raises(RuleViolation):
        services.duplicate_resolve(actor=world.officer_a, flag=flag, status="open")
    services.duplicate_resolve(actor=world.officer_a, flag=flag, status="distinct")
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.DISTINCT and flag.reviewed_by == world.officer_a
    assert flag.reviewed_at is not None
    with pytest.raises(RuleViolation):
        services.duplicate_resolve(actor=world.officer_b, flag=flag, status="resolved")


# ---------------------------------------------------------------------------------------------
# Corrections


def test_update_records_history_and_checks(world):
    m = services.member_update(
        actor=world.officer_a, member=world.member_a, phone="+84 912 345 678", hometown="Lai Châu"
    )
    assert m.phone == "0912345678"
    h = last_history(m)
    assert h.history_change_reason == "member_update" and h.history_user == world.officer_a
    assert services.member_update(actor=world.officer_a, member=m, phone="0912345678") == m
    assert m.history.count() == 2  # nothing changed: no new history row
    with pytest.raises(RuleViolation):
        services.member_update(actor=world.officer_b, member=m, phone="0987654321")
    with pytest.raises(RuleViolation) as exc:
        services.member_update(actor=None, member=m, date_of_birth=D(2020, 6, 1))
    assert exc.value.field == "date_of_birth"
    # Changing the sex re-checks the citizen ID on record.
    cccd_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.member_update(actor=None, member=world.member_a, sex="M")
    assert exc.value.field == "citizen_id"


def test_update_citizen_id_conflict_and_empty_card(world):
    cccd_a(world)
    other = admit(world.grass_b1, **SAME_PERSON)
    with pytest.raises(services.DuplicateCitizenId) as exc:
        services.member_update(actor=None, member=other, citizen_id=CCCD_A)
    assert exc.value.existing == world.member_a
    # Emptied card numbers are NULL, so several members may have none.
    services.member_update(actor=None, member=world.member_a, card_number="")
    services.member_update(actor=None, member=world.member_b, card_number="  ")
    assert Member.objects.filter(card_number__isnull=True).count() == 3  # with `other`


# ---------------------------------------------------------------------------------------------
# Transfers


def test_transfer_is_immediate_when_the_scope_covers_both_units(world):
    t = services.transfer_request(
        actor=world.officer_a, member=world.member_a, to_unit=world.grass_a2, day=D(2023, 5, 1)
    )
    assert t.status == TransferStatus.CONFIRMED and t.decided_by == world.officer_a
    m = Member.objects.get(pk=world.member_a.pk)
    assert m.unit == world.grass_a2
    assert spells(m) == [("A1", D(2020, 1, 1), D(2023, 5, 1)), ("A2", D(2023, 5, 1), None)]
    assert events(m)[-1] == ("transfer", D(2023, 5, 1), "A1", "A2", "")
    assert last_history(m).history_change_reason == "member_transfer"


def test_transfer_between_unrelated_units_is_confirmed_by_the_receiving_unit(world):
    t = services.transfer_request(
        actor=world.officer_a,
        member=world.member_a,
        to_unit=world.grass_b1,
        day=D(2024, 2, 1),
        note="Chuyển công tác",
    )
    assert t.status == TransferStatus.PENDING
    assert Member.objects.get(pk=world.member_a.pk).unit == world.grass_a1
    # Both sides see it.
    assert TransferRequest.objects.visible_to(world.officer_a).filter(pk=t.pk).exists()
    assert TransferRequest.objects.visible_to(world.officer_b).filter(pk=t.pk).exists()
    # The sending side cannot confirm its own request; the receiving side cannot withdraw it.
    with pytest.raises(RuleViolation):
        services.transfer_confirm(actor=world.officer_a, request=t)
    with pytest.raises(RuleViolation):
        services.transfer_cancel(actor=world.officer_b, request=t)
    # A second request for the same member waits for the first.
    with pytest.raises(RuleViolation):
        services.transfer_request(
            actor=world.officer_a, member=world.member_a, to_unit=world.grass_a2, day=D(2024, 2, 1)
        )
    services.transfer_confirm(actor=world.officer_b, request=t)
    t.refresh_from_db()
    assert t.status == TransferStatus.CONFIRMED and t.decided_by == world.officer_b
    m = Member.objects.get(pk=world.member_a.pk)
    assert m.unit == world.grass_b1
    assert spells(m)[-1] == ("B1", D(2024, 2, 1), None)
    assert events(m)[-1] == ("transfer", D(2024, 2, 1), "A1", "B1", "")
    # Now officer B sees the member and officer A no longer does; the history followed.
    assert Member.objects.visible_to(world.officer_b, Action.MEMBERS_VIEW).filter(pk=m.pk).exists()
    assert (
        not Member.objects.visible_to(world.officer_a, Action.MEMBERS_VIEW).filter(pk=m.pk).exists()
    )
    with pytest.raises(RuleViolation):  # decided already
        services.transfer_reject(actor=world.officer_b, request=t)


def test_receiving_unit_may_request_and_the_sending_unit_confirms(world):
    t = services.transfer_request(
        actor=world.officer_b, member=world.member_a, to_unit=world.grass_b1, day=D(2024, 2, 1)
    )
    assert t.status == TransferStatus.PENDING
    with pytest.raises(RuleViolation):
        services.transfer_confirm(actor=world.officer_b, request=t)
    services.transfer_confirm(actor=world.officer_a, request=t)
    assert Member.objects.get(pk=world.member_a.pk).unit == world.grass_b1


def test_transfer_reject_and_cancel(world):
    t = services.transfer_request(
        actor=world.officer_a, member=world.member_a, to_unit=world.grass_b1, day=D(2024, 2, 1)
    )
    with pytest.raises(RuleViolation):  # the requesting side does not reject
        services.transfer_reject(actor=world.officer_a, request=t, reason="x")
    services.transfer_reject(actor=world.officer_b, request=t, reason="Không đúng đơn vị")
    t.refresh_from_db()
    assert t.status == TransferStatus.REJECTED and t.decision_note == "Không đúng đơn vị"
    assert t.history.first().history_change_reason == "transfer_reject"
    assert Member.objects.get(pk=world.member_a.pk).unit == world.grass_a1
    t2 = services.transfer_request(
        actor=world.officer_a, member=world.member_a, to_unit=world.grass_b1, day=D(2024, 2, 1)
    )
    services.transfer_cancel(actor=world.officer_a, request=t2)
    t2.refresh_from_db()
    assert t2.status == TransferStatus.CANCELLED
    with pytest.raises(RuleViolation):
        services.transfer_confirm(actor=world.officer_b, request=t2)


def test_transfer_rules(world):
    member = world.member_a
    with pytest.raises(RuleViolation):  # future
        services.transfer_request(actor=None, member=member, to_unit=world.grass_b1, day=tomorrow())
    with pytest.raises(RuleViolation) as exc:  # same unit
        services.transfer_request(
            actor=None, member=member, to_unit=world.grass_a1, day=D(2024, 1, 1)
        )
    assert exc.value.field == "to_unit"
    with pytest.raises(RuleViolation):  # before the member joined A1
        services.transfer_request(
            actor=None, member=member, to_unit=world.grass_b1, day=D(2019, 6, 1)
        )
    with pytest.raises(RuleViolation):  # a provincial federation holds no members
        services.transfer_request(
            actor=None, member=member, to_unit=world.province, day=D(2024, 1, 1)
        )
    with pytest.raises(RuleViolation):  # neither side in scope
        services.transfer_request(
            actor=make_user("x", "federation_admin", world.grass_a2),
            member=world.member_b,
            to_unit=world.root,
            day=D(2024, 1, 1),
        )
    services.member_exit(actor=None, member=member, day=D(2024, 1, 1), reason="retired")
    with pytest.raises(RuleViolation):  # former members are not transferred
        services.transfer_request(
            actor=None, member=member, to_unit=world.grass_b1, day=D(2024, 2, 1)
        )


def test_confirm_refused_when_the_receiving_unit_was_dissolved_since(world):
    from congdoan.organisation import services as org

    t = services.transfer_request(
        actor=world.officer_a, member=world.member_a, to_unit=world.grass_b1, day=D(2024, 2, 1)
    )
    org.unit_dissolve(actor=None, unit=world.grass_b1, day=D(2024, 1, 15), reason="Giải thể")
    with pytest.raises(RuleViolation):
        services.transfer_confirm(actor=world.national, request=t)
    assert Member.objects.get(pk=world.member_a.pk).unit == world.grass_a1


def test_exit_cancels_a_pending_transfer(world):
    t = services.transfer_request(
        actor=world.officer_a, member=world.member_a, to_unit=world.grass_b1, day=D(2024, 2, 1)
    )
    services.member_exit(actor=None, member=world.member_a, day=D(2024, 3, 1), reason="left_job")
    t.refresh_from_db()
    assert t.status == TransferStatus.CANCELLED


# ---------------------------------------------------------------------------------------------
# Suspension, exit, discipline, Party, re-admission


def test_suspend_and_resume(world):
    m = services.member_suspend(actor=world.officer_a, member=world.member_a, day=D(2024, 1, 10))
    assert m.status == MemberStatus.SUSPENDED and m.suspended_on == D(2024, 1, 10)
    assert m.is_current  # still a member, counted as such
    with pytest.raises(RuleViolation):
        services.member_suspend(actor=None, member=m, day=D(2024, 2, 1))
    with pytest.raises(RuleViolation) as exc:  # before the suspension
        services.member_resume(actor=None, member=m, day=D(2024, 1, 9))
    assert exc.value.field == "day"
    with pytest.raises(RuleViolation):
        services.member_resume(actor=None, member=m, day=tomorrow())
    m = services.member_resume(actor=world.officer_a, member=m, day=D(2024, 6, 1), note="Có việc")
    assert m.status == MemberStatus.ACTIVE and m.suspended_on is None
    with pytest.raises(RuleViolation):
        services.member_resume(actor=None, member=m, day=D(2024, 7, 1))
    assert [e[0] for e in events(m)] == ["admit", "suspend", "resume"]
    assert spells(m) == [("A1", D(2020, 1, 1), None)]  # suspension keeps the spell
    with pytest.raises(RuleViolation):
        services.member_suspend(actor=world.officer_b, member=m, day=D(2024, 8, 1))


def test_exit(world):
    with pytest.raises(RuleViolation) as exc:
        services.member_exit(actor=None, member=world.member_a, day=D(2024, 1, 1), reason="bored")
    assert exc.value.field == "reason"
    with pytest.raises(RuleViolation):  # before admission
        services.member_exit(actor=None, member=world.member_a, day=D(2019, 1, 1), reason="retired")
    with pytest.raises(RuleViolation):
        services.member_exit(
            actor=world.officer_b, member=world.member_a, day=D(2024, 1, 1), reason="retired"
        )
    m = services.member_exit(
        actor=world.officer_a, member=world.member_a, day=D(2024, 1, 1), reason="retired"
    )
    assert m.status == MemberStatus.EXITED and m.exited_on == D(2024, 1, 1)
    assert m.exit_reason == ExitReason.RETIRED and not m.is_current
    assert spells(m) == [("A1", D(2020, 1, 1), D(2024, 1, 1))]
    assert events(m)[-1] == ("exit", D(2024, 1, 1), "A1", None, "retired")
    assert last_history(m).history_change_reason == "member_exit"
    with pytest.raises(RuleViolation):
        services.member_exit(actor=None, member=m, day=D(2024, 2, 1), reason="retired")
    with pytest.raises(RuleViolation):
        services.member_suspend(actor=None, member=m, day=D(2024, 2, 1))


def test_suspended_member_may_leave_and_then_carries_no_suspension(world):
    services.member_suspend(actor=None, member=world.member_a, day=D(2024, 1, 1))
    m = services.member_exit(
        actor=None, member=world.member_a, day=D(2024, 5, 1), reason="left_job"
    )
    assert m.suspended_on is None and m.status == MemberStatus.EXITED


@pytest.mark.parametrize("level", ["reprimand", "warning"])
def test_reprimand_and_warning_keep_the_membership(world, level):
    m = services.member_discipline(
        actor=world.officer_a,
        member=world.member_a,
        day=D(2024, 4, 1),
        level=level,
        decision_ref="12/QĐ-CĐCS",
    )
    assert m.status == MemberStatus.ACTIVE
    assert events(m)[-1] == ("discipline", D(2024, 4, 1), "A1", None, level)
    assert (
        MemberEvent.objects.filter(member=m, kind="discipline").get().decision_ref == "12/QĐ-CĐCS"
    )


def test_expulsion_ends_the_membership(world):
    m = services.member_discipline(
        actor=world.officer_a,
        member=world.member_a,
        day=D(2024, 4, 1),
        level="expulsion",
        decision_ref="15/QĐ",
    )
    assert m.status == MemberStatus.EXITED and m.exit_reason == ExitReason.EXPELLED
    assert m.exited_on == D(2024, 4, 1)
    assert [e[0] for e in events(m)] == ["admit", "discipline", "exit"]
    assert spells(m)[-1][2] == D(2024, 4, 1)
    with pytest.raises(RuleViolation):
        services.member_discipline(actor=None, member=m, day=D(2024, 5, 1), level="warning")
    with pytest.raises(RuleViolation) as exc:
        services.member_discipline(actor=None, member=world.member_b, day=D(2024, 5, 1), level="x")
    assert exc.value.field == "level"


def test_party_referral_and_admission(world):
    m = services.member_party_referral(
        actor=world.officer_a, member=world.member_a, day=D(2023, 3, 1)
    )
    assert m.party_referred_on == D(2023, 3, 1) and not m.party_member
    m = services.member_party_admission(actor=world.officer_a, member=m, day=D(2023, 12, 1))
    assert m.party_member and m.party_joined_on == D(2023, 12, 1)
    assert [e[0] for e in events(m)] == ["admit", "party_referral", "party_admission"]
    with pytest.raises(RuleViolation):
        services.member_party_referral(actor=None, member=m, day=D(2024, 1, 1))
    with pytest.raises(RuleViolation):
        services.member_party_admission(actor=None, member=m, day=D(2024, 1, 1))
    assert last_history(m).history_change_reason == "member_party_admission"


def test_former_members_are_not_referred_to_the_party(world):
    services.member_exit(actor=None, member=world.member_b, day=D(2024, 1, 1), reason="retired")
    with pytest.raises(RuleViolation):
        services.member_party_referral(actor=None, member=world.member_b, day=D(2024, 6, 1))
    with pytest.raises(RuleViolation):
        services.member_party_admission(actor=None, member=world.member_b, day=D(2024, 6, 1))


def test_readmission(world):
    m = services.member_exit(
        actor=None, member=world.member_a, day=D(2023, 1, 1), reason="left_job"
    )
    with pytest.raises(RuleViolation) as exc:  # before leaving
        services.member_readmit(actor=None, member=m, unit=world.grass_a2, day=D(2022, 12, 1))
    assert exc.value.field == "day"
    with pytest.raises(RuleViolation):
        services.member_readmit(
            actor=world.officer_a, member=m, unit=world.grass_b1, day=D(2024, 1, 1)
        )
    m = services.member_readmit(
        actor=world.officer_a, member=m, unit=world.grass_a2, day=D(2024, 1, 1)
    )
    assert m.status == MemberStatus.ACTIVE and m.unit == world.grass_a2
    assert m.admitted_on == D(2024, 1, 1) and m.exited_on is None and m.exit_reason == ""
    assert spells(m) == [("A1", D(2020, 1, 1), D(2023, 1, 1)), ("A2", D(2024, 1, 1), None)]
    assert [e[0] for e in events(m)] == ["admit", "exit", "admit"]
    with pytest.raises(RuleViolation):  # a current member is not re-admitted
        services.member_readmit(actor=None, member=m, unit=world.grass_a1, day=D(2024, 2, 1))
    # The same record, so the citizen ID stays unique and the history is in one place.
    assert Member.objects.filter(given_name=m.given_name).count() == 1


def test_dated_changes_precede_no_admission(world):
    for service in (services.member_suspend, services.member_party_referral):
        with pytest.raises(RuleViolation) as exc:
            service(actor=None, member=world.member_a, day=D(2019, 12, 31))
        assert exc.value.field == "day"
    for service in (services.member_suspend, services.member_party_referral):
        with pytest.raises(RuleViolation):
            service(actor=None, member=world.member_a, day=tomorrow())


# ---------------------------------------------------------------------------------------------
# Reorganisations move members through the same services


def test_merge_moves_members_and_keeps_their_history(world):
    from congdoan.organisation import services as org

    extra = admit(world.grass_a2, given_name="Sơn")
    before = Member.objects.filter(status__in=["active", "suspended"]).count()
    org.units_merge(actor=None, sources=[world.grass_a2], target=world.grass_a1, day=D(2024, 7, 1))
    extra.refresh_from_db()
    assert extra.unit == world.grass_a1
    assert spells(extra) == [("A2", D(2022, 3, 1), D(2024, 7, 1)), ("A1", D(2024, 7, 1), None)]
    e = MemberEvent.objects.filter(member=extra, kind=EventKind.TRANSFER).get()
    assert e.reorg_event is not None
    assert Member.objects.filter(status__in=["active", "suspended"]).count() == before


def test_dissolution_without_receiver_ends_membership(world):
    from congdoan.organisation import services as org

    org.unit_dissolve(actor=None, unit=world.grass_b1, day=D(2025, 7, 1), reason="Giải thể")
    m = Member.objects.get(pk=world.member_b.pk)
    assert m.status == MemberStatus.EXITED and m.exit_reason == ExitReason.UNIT_DISSOLVED
    assert m.exited_on == D(2025, 7, 1)
