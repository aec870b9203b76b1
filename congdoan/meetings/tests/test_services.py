"""Meeting services: rules, scope, history, documents, congresses and pledges."""

import datetime as dt
from pathlib import Path

import pytest

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.meetings import selectors, services
from congdoan.meetings.models import AgendaItem, Meeting
from congdoan.meetings.tests.helpers import (
    cluster_a,
    cluster_meeting_a,
    meeting_a,
    term_a,
    upload,
)
from congdoan.organisation.models import Term

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 7, 15)


def _bch(world, actor, **kw):
    args = dict(unit=world.unit_a, kind="bch", held_on=DAY, term=term_a(world))
    return services.meeting_create(actor=actor, **{**args, **kw})


def test_officer_records_a_meeting_with_history(world):
    meeting = _bch(world, world.officer_a, number=1, place="Hội trường")
    row = meeting.history.get()
    assert (row.history_user, row.history_change_reason) == (world.officer_a, "meeting_create")


def test_officer_of_another_unit_is_refused_without_a_name(world):
    with pytest.raises(RuleViolation) as exc:
        _bch(world, world.officer_b, number=1)
    assert MARKER_A not in str(exc.value)
    assert not Meeting.objects.exists()


def test_a_number_needs_a_term(world):
    with pytest.raises(RuleViolation) as exc:
        _bch(world, world.officer_a, term=None, number=3)
    assert exc.value.field == "term"


def test_a_number_is_used_once_per_term_and_kind(world):
    _bch(world, world.officer_a, number=1)
    with pytest.raises(RuleViolation) as exc:
        _bch(world, world.officer_a, number=1)
    assert exc.value.field == "number"
    _bch(world, world.officer_a, kind="btv", number=1)  # another kind: its own count


def test_the_date_lies_in_the_term(world):
    with pytest.raises(RuleViolation) as exc:
        _bch(world, world.officer_a, held_on=dt.date(2030, 1, 5), number=1)
    assert exc.value.field == "held_on"


def test_the_term_belongs_to_the_unit(world):
    with pytest.raises(RuleViolation) as exc:
        _bch(world, None, unit=world.grass_a1, number=1)
    assert exc.value.field == "term"


def test_a_congress_opens_the_next_term(world):
    term_a(world)
    meeting = services.meeting_create(
        actor=world.officer_a, unit=world.unit_a, kind="congress",
        held_on=dt.date(2028, 6, 20), opens_term=True,
    )  # fmt: skip
    term = meeting.term
    assert (term.number, term.start_year, term.end_year) == (11, 2028, 2033)
    assert term.congress_date == dt.date(2028, 6, 20)
    assert term.history.get().history_change_reason == "term_create"


def test_a_congress_refuses_a_number_taken(world):
    term_a(world)
    with pytest.raises(RuleViolation):
        services.meeting_create(
            actor=world.officer_a, unit=world.unit_a, kind="congress",
            held_on=dt.date(2028, 6, 20), opens_term=True, term_number=10,
        )  # fmt: skip
    assert Term.objects.filter(unit=world.unit_a).count() == 1


def test_only_a_congress_opens_a_term(world):
    with pytest.raises(RuleViolation):
        services.meeting_create(
            actor=None, unit=world.unit_a, kind="bch", held_on=DAY, opens_term=True
        )


def test_a_cluster_conference_is_held_by_the_head_unit(world):
    cluster = cluster_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.meeting_create(
            actor=None, unit=world.grass_a2, kind="cluster", held_on=DAY, cluster=cluster
        )
    assert exc.value.field == "cluster"
    with pytest.raises(RuleViolation):
        services.meeting_create(actor=None, unit=world.grass_a1, kind="cluster", held_on=DAY)
    services.meeting_create(
        actor=world.officer_a, unit=world.grass_a1, kind="cluster", held_on=DAY, cluster=cluster
    )


def test_update_writes_history(world):
    meeting = meeting_a(world)
    services.meeting_update(actor=world.officer_a, meeting=meeting, place="Nhà văn hoá")
    meeting.refresh_from_db()
    assert meeting.place == "Nhà văn hoá"
    assert meeting.history.first().history_change_reason == "meeting_update"


def test_update_by_another_unit_is_refused(world):
    with pytest.raises(RuleViolation):
        services.meeting_update(actor=world.officer_b, meeting=meeting_a(world), place="X")


def test_delete_only_without_a_pledge(world):
    meeting = cluster_meeting_a(world)
    with pytest.raises(RuleViolation):
        services.meeting_delete(actor=world.officer_a, meeting=meeting)
    other = meeting_a(world)
    services.meeting_delete(actor=world.officer_a, meeting=other)
    assert not Meeting.objects.filter(pk=other.pk).exists()
    assert not AgendaItem.objects.filter(meeting_id=other.pk).exists()


def test_attendees_are_members_of_the_subtree_guests_anyone(world):
    meeting = meeting_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.attendee_add(actor=world.national, meeting=meeting, member=world.member_b)
    assert exc.value.field == "member"
    guest = services.attendee_add(
        actor=world.officer_a, meeting=meeting, full_name="Khách mời", is_guest=True
    )
    assert guest.order == 3
    services.attendee_remove(actor=world.officer_a, attendee=guest)
    assert meeting.attendees.count() == 2


def test_a_member_attendee_takes_the_member_name(world):
    attendee = meeting_a(world).attendees.get(member=world.member_a)
    assert attendee.full_name == world.member_a.full_name


def test_document_types_are_limited(world):
    meeting = meeting_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.agenda_item_add(
            actor=world.officer_a, meeting=meeting, title="X", document=upload("virus.exe")
        )
    assert ".docx" in str(exc.value) and exc.value.field == "document"


def test_documents_are_at_most_20_mb(world):
    big = upload("du-thao.pdf")
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(RuleViolation) as exc:
        services.agenda_item_add(
            actor=world.officer_a, meeting=meeting_a(world), title="X", document=big
        )
    assert "20" in str(exc.value)


def test_document_is_stored_outside_the_web_root(world, settings):
    item = meeting_a(world).agenda.get()
    path = Path(item.document.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and path.exists()
    assert item.document_name == "bao-cao.docx" and "bao-cao" not in path.name


def test_agenda_update_replaces_the_document(world):
    item = meeting_a(world).agenda.get()
    item = services.agenda_item_update(
        actor=world.officer_a, item=item, title="Báo cáo tổng kết",
        document=upload("tong-ket.xlsx", b"PK xlsx"),
    )  # fmt: skip
    assert item.document_name == "tong-ket.xlsx" and item.title == "Báo cáo tổng kết"
    services.agenda_item_remove(actor=world.officer_a, item=item)
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_pledge_signatories_are_cluster_members(world):
    cluster = cluster_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.pledge_create(
            actor=world.officer_a, cluster=cluster, year=2024, signed_on=DAY,
            title="Giao ước", signatories=[world.grass_a1, world.group_a1],
        )  # fmt: skip
    assert exc.value.field == "signatories"
    with pytest.raises(RuleViolation):  # a member of 2024, not of 2025
        services.pledge_create(
            actor=world.officer_a, cluster=cluster, year=2025, signed_on=DAY,
            title="Giao ước", signatories=[world.grass_a1],
        )  # fmt: skip


def test_pledge_refusal_names_no_unit_outside_scope(world):
    cluster = cluster_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.pledge_create(
            actor=world.officer_a, cluster=cluster, year=2024, signed_on=DAY,
            title="Giao ước", signatories=[world.grass_b1],
        )  # fmt: skip
    assert "BETA" not in str(exc.value)


def test_pledge_at_a_meeting_of_its_cluster(world):
    meeting = cluster_meeting_a(world)
    pledge = meeting.pledges.get()
    assert set(pledge.signatories.all()) == {world.grass_a1, world.grass_a2}
    with pytest.raises(RuleViolation) as exc:
        services.pledge_create(
            actor=world.officer_a, cluster=cluster_a(world), year=2024, signed_on=DAY,
            title="Giao ước", signatories=[world.grass_a1], meeting=meeting_a(world),
        )  # fmt: skip
    assert exc.value.field == "meeting"


def test_meeting_facts(world):
    facts = selectors.meeting_facts(meeting_a(world))
    assert facts.title.startswith("Hội nghị Ban Chấp hành lần thứ II (mở rộng)")
    assert facts.chair.name == "Nguyễn Văn Chủ" and facts.chair.title == "Chủ tịch"
    assert [(g.name, g.title) for g in facts.guests] == [("Lò Thị Khách", "Phó Chủ tịch LĐLĐ tỉnh")]
    assert facts.attendees == 1
    assert facts.presenter.name == "Trần Văn Báo"
    pledge = selectors.meeting_facts(cluster_meeting_a(world)).pledge
    assert pledge.startswith("2 đơn vị") and "2024" in pledge


def test_visible_meetings_follow_the_scope(world):
    meeting_a(world)
    assert selectors.meetings_visible(world.officer_b).count() == 0
    assert selectors.meetings_visible(world.officer_a, kind="bch", year=2024).count() == 1
    assert selectors.meetings_visible(world.national, unit=world.unit_b).count() == 0
