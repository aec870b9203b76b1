"""Member import: duplicates, matching (create / update / unchanged), units, dates, and what a
commit writes (members, history rows, spells, admission events, summaries, duplicate flags)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.core.tests.support import make_user
from congdoan.members import services
from congdoan.members.imports import check_file, commit_file
from congdoan.members.imports.bulk import DERIVED_ORDER
from congdoan.members.imports.keys import derived
from congdoan.members.models import (
    DuplicateFlag,
    EventKind,
    Member,
    MemberEvent,
    Membership,
)
from congdoan.members.tests.files import csv_bytes, member_rows, xlsx_bytes

D = dt.date
START = D(2020, 6, 1)


def rows(n=3, **kw):
    return member_rows(n, seed=kw.pop("seed", 5), earliest_admission=START, **kw)


def errors_of(result):
    return [(e["row"], e["column"], e["message"]) for e in result.errors]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- within the file ---------------------------------------------------------------------------


def test_repeated_citizen_id_and_card_name_both_rows(world):
    data = rows(4)
    data[2]["citizen_id"] = data[0]["citizen_id"]
    data[2]["sex"], data[2]["date_of_birth"] = data[0]["sex"], data[0]["date_of_birth"]
    data[3]["card_number"] = data[1]["card_number"]
    result = check_file("a.xlsx", xlsx_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    found = errors_of(result)
    assert (4, "Số CCCD") in [(r, c) for r, c, _m in found]
    assert (5, "Số thẻ đoàn viên") in [(r, c) for r, c, _m in found]
    cid_message = next(m for r, c, m in found if r == 4)
    assert "2" in cid_message and "4" in cid_message
    card_message = next(m for r, c, m in found if r == 5)
    assert "3" in card_message and "5" in card_message


def test_rows_without_any_identifier_are_refused(world):
    data = rows(2)
    for r in data:
        r.update(citizen_id="", card_number="", date_of_birth="")
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert result.error_rows == 2
    assert {c for _r, c, _m in errors_of(result)} == {"Ngày sinh"}


def test_same_name_and_birth_date_without_ids_is_ambiguous(world):
    data = rows(2)
    for r in data:
        r.update(citizen_id="", card_number="")
    data[1].update({k: data[0][k] for k in ("family_name", "middle_name", "given_name")})
    data[1]["date_of_birth"] = data[0]["date_of_birth"]
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert [r for r, _c, _m in errors_of(result)] == [3]


# --- against the federation -------------------------------------------------------------------


def test_citizen_id_of_a_member_of_another_unit_names_the_unit_and_suggests_a_transfer(world):
    data = rows(1)
    first = commit_file("a.csv", csv_bytes(data), unit=world.grass_b1, actor=world.officer_b)
    assert first.committed
    data[0]["card_number"] = "OTHER-1"
    # The national officer sees both units: the answer names B1 and links the record.
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.national)
    [(row, column, message)] = errors_of(result)
    assert (row, column) == (2, "Số CCCD")
    assert "B1" in message and "chuyển" in message.lower()
    assert result.errors[0]["member_id"] == first.member_ids[0]


def test_citizen_id_held_outside_the_scope_names_nothing_and_is_logged(world):
    """Officer A learns that the person is a member elsewhere, not where (issue 11)."""
    from congdoan.members.models import PersonalDataAccess

    data = rows(1)
    first = commit_file("a.csv", csv_bytes(data), unit=world.grass_b1, actor=world.officer_b)
    data[0]["card_number"] = "OTHER-1"
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    [(row, column, message)] = errors_of(result)
    assert (row, column) == (2, "Số CCCD")
    assert "B1" not in message and "BETA" not in message and "ngoài phạm vi" in message
    assert "chuyển" in message.lower()
    assert "member_id" not in result.errors[0]
    [access] = PersonalDataAccess.objects.filter(user=world.officer_a)
    assert access.kind == "duplicate" and access.lookups == 1
    assert list(access.members.values_list("pk", flat=True)) == first.member_ids


def test_card_number_of_another_unit_is_refused(world):
    data = rows(1)
    data[0].update(card_number="CDB0001", citizen_id="")  # member_b's card
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.national)
    [(_row, column, message)] = errors_of(result)
    assert column == "Số thẻ đoàn viên" and "B1" in message
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    [(_row, column, message)] = errors_of(result)
    assert column == "Số thẻ đoàn viên" and "B1" not in message and "BETA" not in message


def test_former_member_is_re_admitted_not_imported(world):
    data = rows(1)
    result = commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    member = Member.objects.get(pk=result.member_ids[0])
    services.member_exit(actor=None, member=member, day=dt.date.today(), reason="retired")
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert not result.ok and "A1" in result.errors[0]["message"]


def test_same_unit_rows_update_changed_fields_and_record_history(world):
    data = rows(3)
    first = commit_file("a.xlsx", xlsx_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert first.created == 3
    data[1]["job_title"] = "Tổ trưởng"
    data[2]["address"] = "Số 9 đường Lê Lợi"
    data[2]["phone"] = ""  # an empty cell never erases data
    second = commit_file("a.xlsx", xlsx_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert (second.created, second.updated, second.unchanged) == (0, 2, 1), second.errors
    m1 = Member.objects.get(pk=first.member_ids[1])
    m2 = Member.objects.get(pk=first.member_ids[2])
    assert m1.job_title == "Tổ trưởng" and m2.address == "Số 9 đường Lê Lợi" and m2.phone
    last = m1.history.order_by("-history_id").first()
    assert last.history_type == "~" and last.history_change_reason == "member_import"
    assert last.history_user == world.officer_a


def test_rows_without_ids_match_by_name_and_birth_date_in_the_same_unit(world):
    data = rows(2)
    for r in data:
        r.update(citizen_id="", card_number="")
    first = commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert first.created == 2
    data[0]["citizen_id"] = member_rows(1, seed=99, start=5)[0]["citizen_id"]
    data[0]["sex"] = member_rows(1, seed=99, start=5)[0]["sex"]
    data[0]["date_of_birth"] = member_rows(1, seed=99, start=5)[0]["date_of_birth"]
    second = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    # Row 1 changed its birth date, so it is a new person (with a warning-free create); row 2 is
    # recognised by name and birth date.
    assert second.unchanged == 1


def test_admission_date_is_not_changed_by_an_import(world):
    data = rows(1)
    commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    data[0]["admitted_on"] = D(2021, 1, 1)
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert result.unchanged == 1
    assert any(w["column"] == "Ngày kết nạp" for w in result.warnings)


def test_likely_duplicates_are_flagged_for_review(world):
    data = rows(1)
    data[0].update(
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="ALPHAhoa",
        date_of_birth=D(1990, 5, 17),
        sex="Nữ",
        citizen_id="",
    )  # same name and birth date as member_a, in another unit
    result = commit_file("a.csv", csv_bytes(data), unit=world.grass_a2, actor=world.officer_a)
    assert result.committed and result.created == 1
    assert any("A1" in w["message"] for w in result.warnings)
    flag = DuplicateFlag.objects.get(member_id=result.member_ids[0])
    assert flag.other == world.member_a and flag.reason == "name+dob"


def test_warning_hides_the_unit_of_a_similar_member_outside_ones_scope(world):
    data = rows(1)
    data[0].update(
        family_name="Nguyễn", middle_name="Thị", given_name="ALPHAhoa",
        date_of_birth=D(1990, 5, 17), sex="Nữ", citizen_id="",
    )  # fmt: skip
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_b1, actor=world.officer_b)
    assert result.ok
    assert not any("A1" in w["message"] or "ALPHA" in w["message"] for w in result.warnings)


# --- units and dates ---------------------------------------------------------------------------


def test_unit_code_column_places_members_within_the_job_unit(world):
    data = rows(3)
    data[0]["unit_code"] = "A1"
    data[1]["unit_code"] = "a2"
    data[2]["unit_code"] = "B1"  # not within unit A
    result = check_file("a.xlsx", xlsx_bytes(data), unit=world.unit_a, actor=world.officer_a)
    [(row, column, message)] = errors_of(result)
    assert (row, column) == (4, "Mã đơn vị") and "B1" in message
    data[2]["unit_code"] = "A1"
    result = commit_file("a.xlsx", xlsx_bytes(data), unit=world.unit_a, actor=world.officer_a)
    units = sorted(
        Member.objects.filter(pk__in=result.member_ids).values_list("unit__code", flat=True)
    )
    assert units == ["A1", "A1", "A2"]


def test_units_that_cannot_hold_members(world):
    data = rows(1)
    result = check_file("a.csv", csv_bytes(data), unit=world.province, actor=world.national)
    assert not result.ok and "Mã đơn vị" in result.errors[0]["message"]


def test_future_dates_and_admission_before_birth(world):
    data = rows(2)
    data[0]["admitted_on"] = dt.date.today() + dt.timedelta(days=3)
    data[1]["admitted_on"] = D(2021, 1, 1)
    data[1]["date_of_birth"] = D(2021, 6, 1)
    data[1]["citizen_id"] = ""
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    found = errors_of(result)
    assert any(r == 2 and c == "Ngày kết nạp" for r, c, _m in found)
    assert any(r == 3 and c == "Ngày kết nạp" for r, c, _m in found)


def test_required_fields_of_new_members(world):
    data = rows(1)
    data[0].update(sex="", admitted_on="", citizen_id="")
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert {c for _r, c, _m in errors_of(result)} == {"Giới tính", "Ngày kết nạp"}


def test_actor_outside_the_unit_is_refused(world):
    data = rows(1)
    result = commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_b)
    assert not result.committed
    assert Member.objects.filter(unit=world.grass_a1).count() == 1


# --- what a commit writes ------------------------------------------------------------------------


def test_commit_writes_members_history_spells_events_and_counts(world):
    data = rows(4)
    result = commit_file("a.xlsx", xlsx_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    assert result.committed and len(result.member_ids) == 4
    members = Member.objects.filter(pk__in=result.member_ids)
    for m in members:
        assert m.import_batch_id is None  # no job given
        h = m.history.get()
        assert h.history_type == "+" and h.history_change_reason == "member_import"
        assert h.history_user == world.officer_a
        spell = Membership.objects.get(member=m)
        assert (spell.unit_id, spell.start, spell.end) == (world.grass_a1.pk, m.admitted_on, None)
        event = MemberEvent.objects.get(member=m)
        assert event.kind == EventKind.ADMIT and event.date == m.admitted_on
        assert event.to_unit_id == world.grass_a1.pk and event.actor == world.officer_a
    from congdoan.members.summaries import differences

    assert not differences()


def test_derived_keys_equal_refresh_derived(world):
    data = rows(1)
    data[0].update(
        family_name="Đặng", middle_name="Thị Thuỷ", given_name="Hoà", card_number="ab-12"
    )
    result = commit_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    m = Member.objects.get(pk=result.member_ids[0])
    stored = tuple(getattr(m, f) for f in DERIVED_ORDER)
    m.refresh_derived()
    assert stored == tuple(getattr(m, f) for f in DERIVED_ORDER)
    assert m.name_form == "5đăng 5thi 2thuy 1hoa"


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
name_part = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "ĐÆß' -", min_size=0, max_size=12)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    family=name_part,
    middle=name_part,
    given_=name_part.filter(str.strip),
    card=st.text(max_size=8),
    phone=st.text(alphabet="0123456789", max_size=11),
)
def test_bulk_keys_are_those_of_the_model(family, middle, given_, card, phone):
    """`keys.derived` (used by COPY) equals `Member.refresh_derived()` for any name."""
    from congdoan.members.imports.rows import clean_text

    family, middle, given_ = clean_text(family), clean_text(middle), clean_text(given_)
    m = Member(
        family_name=family,
        middle_name=middle,
        given_name=given_,
        card_number=card or None,
        phone=phone,
    )
    m.refresh_derived()
    assert derived(family, middle, given_, card or None, phone) == tuple(
        getattr(m, f) for f in DERIVED_ORDER
    )


def test_import_job_is_recorded_on_new_members(world):
    from congdoan.members.imports import jobs

    data = rows(2)
    job = jobs.job_create(
        actor=world.officer_a, unit=world.grass_a1, filename="a.csv", data=csv_bytes(data)
    )
    job = jobs.job_check(job.pk)
    jobs.start_commit(job, actor=world.officer_a)
    assert Member.objects.filter(import_batch=job).count() == 2


def test_data_entry_clerk_may_import(world):
    clerk = make_user("clerk", "data_entry", world.grass_a1)
    result = commit_file("a.csv", csv_bytes(rows(2)), unit=world.grass_a1, actor=clerk)
    assert result.committed
