"""Care services: rules, scope (no oracle), funding and value, history."""

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.care import services
from congdoan.care.models import CareRecord, Funding
from congdoan.care.tests.helpers import DAY, campaign_a, gift, house_a, lines, person_a
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A

pytestmark = pytest.mark.django_db


def _refused(field=None, **kw):
    with pytest.raises(RuleViolation) as exc:
        kw.pop("world")
        services.care_record_create(**kw)
    if field is not None:
        assert exc.value.field == field, str(exc.value)
    return str(exc.value)


def test_officer_records_a_gift_with_history_of_record_and_lines(world):
    record = gift(world, actor=world.officer_a)
    row = record.history.get()
    assert (row.history_user, row.history_change_reason) == (world.officer_a, "care_record_create")
    line = Funding.history.get(record_id=record.pk)
    assert line.history_change_reason == "care_record_create"
    assert (record.value, record.mobilised, record.counted_on) == (500_000, 0, DAY)


def test_value_is_the_sum_of_the_lines_and_a_stated_value_is_checked(world):
    house = house_a(world)
    assert (house.value, house.mobilised) == (Decimal(80_000_000), Decimal(50_000_000))
    assert house.counted_on == dt.date(2024, 6, 15)  # a house counts on its handover day
    with pytest.raises(RuleViolation) as exc:
        gift(world, value=600_000)
    assert exc.value.field == "value" and "500.000" in str(exc.value)
    assert gift(world, value=500_000).value == 500_000


@pytest.mark.parametrize(
    "funding, message",
    [
        ([], "ít nhất một nguồn"),
        (lines(("donor", 100), donor=""), "Ghi tên nhà tài trợ"),
        (lines(("grassroots", 100), ("grassroots", 200)), "hai lần"),
        ([{"source": "bank", "amount": 5}], "Không có nguồn kinh phí"),
        ([{"source": "grassroots", "amount": 0}], "lớn hơn 0"),
        ([{"source": "grassroots", "amount": "1.5"}], "số nguyên"),
        ([{"source": "grassroots", "amount": 5, "donor": "X"}], "Chỉ nguồn vận động"),
    ],
)
def test_funding_lines_are_checked(world, funding, message):
    with pytest.raises(RuleViolation) as exc:
        gift(world, funding=funding)
    assert exc.value.field == "funding"
    assert message in str(exc.value)


def test_a_visit_may_bring_nothing(world):
    record = gift(world, kind="visit", funding=[])
    assert record.value == 0


def test_officer_b_is_refused_without_a_name(world):
    with pytest.raises(RuleViolation) as exc:
        gift(world, actor=world.officer_b)
    assert MARKER_A not in str(exc.value)
    assert not CareRecord.objects.exists()


def test_a_member_outside_the_actors_scope_is_not_found(world):
    # B's officer records for B's union a gift to A's member: the same words as "not found".
    with pytest.raises(RuleViolation) as exc:
        gift(world, actor=world.officer_b, unit=world.grass_b1)
    assert exc.value.field == "member"
    assert str(exc.value) == "Không tìm thấy trong phạm vi của bạn."
    assert MARKER_A not in str(exc.value)


def test_the_member_belongs_to_the_giving_units_subtree(world):
    with pytest.raises(RuleViolation) as exc:
        gift(world, unit=world.grass_a2)
    assert exc.value.field == "member"
    gift(world, unit=world.unit_a)  # the district gives to a member of its grassroots union


def test_a_person_needs_a_name_and_a_kind_and_one_portion(world):
    base = dict(actor=None, unit=world.grass_a1, kind="gift", on=DAY, beneficiary="person",
                funding=lines(("grassroots", 100)))  # fmt: skip
    _refused("recipient_kind", world=world, **base, person_name="Lò Văn A")
    _refused("person_name", world=world, **base, recipient_kind="worker")
    _refused("quantity", world=world, **base, recipient_kind="worker", person_name="A", quantity=2)


def test_a_group_has_portions_and_no_personal_data(world):
    base = dict(actor=None, unit=world.unit_a, kind="gift", on=DAY, beneficiary="group",
                recipient_kind="child", quantity=200, funding=lines(("district", 100)))  # fmt: skip
    _refused("citizen_id", world=world, **base, citizen_id="001090012345")
    record = services.care_record_create(**base)
    assert record.quantity == 200 and record.member is None


def test_a_house_needs_its_work_address_and_a_handover_after_its_start(world):
    base = dict(actor=None, unit=world.grass_a1, kind="house", on=DAY, beneficiary="member",
                member=world.member_a, funding=lines(("grassroots", 100)))  # fmt: skip
    _refused("house_work", world=world, **base, address="Bản X")
    _refused("address", world=world, **base, house_work="build")
    _refused(
        "handover_on", world=world, **base, house_work="build", address="Bản X",
        handover_on=dt.date(2024, 2, 1),
    )  # fmt: skip
    _refused("beneficiary", world=world, **{**base, "beneficiary": "group", "member": None},
             recipient_kind="family", house_work="build", address="Bản X")  # fmt: skip
    _refused("handover_on", world=world, **{**base, "kind": "gift"}, handover_on=DAY)


def test_economy_support_is_lent_or_given(world):
    _refused("economy_form", world=world, actor=None, unit=world.grass_a1, kind="economy",
             on=DAY, beneficiary="member", member=world.member_a,
             funding=lines(("grassroots", 100)))  # fmt: skip
    assert gift(world, kind="economy", economy_form="lent").economy_form == "lent"


def test_dates_not_in_the_future_nor_before_the_unit_existed(world):
    with pytest.raises(RuleViolation) as exc:
        gift(world, on=dt.date.today() + dt.timedelta(days=2))
    assert exc.value.field == "on"
    with pytest.raises(RuleViolation) as exc:
        gift(world, on=dt.date(2019, 5, 1))
    assert exc.value.field == "on"


def test_personal_data_is_checked(world):
    base = dict(actor=None, unit=world.grass_a1, kind="cash", on=DAY, beneficiary="person",
                recipient_kind="worker", person_name="A", funding=lines(("grassroots", 100)))  # fmt: skip
    _refused("citizen_id", world=world, **base, citizen_id="12345")
    _refused("phone", world=world, **base, phone="abc")
    assert person_a(world).citizen_id == "001090012345"


def test_a_campaign_takes_records_of_its_subtree_within_its_days(world):
    campaign = campaign_a(world)
    record = gift(world, campaign=campaign, on=dt.date(2024, 2, 1))
    assert record.campaign == campaign
    with pytest.raises(RuleViolation) as exc:
        gift(world, campaign=campaign, on=dt.date(2024, 3, 1))
    assert exc.value.field == "on"
    with pytest.raises(RuleViolation) as exc:
        services.care_record_create(
            actor=None, unit=world.grass_b1, kind="gift", on=dt.date(2024, 2, 1),
            campaign=campaign, beneficiary="member", member=world.member_b,
            funding=lines(("grassroots", 100)),
        )  # fmt: skip
    assert exc.value.field == "campaign"


def test_a_campaign_outside_the_actors_sight_is_not_found(world):
    campaign = campaign_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.care_record_create(
            actor=world.officer_b, unit=world.grass_b1, kind="gift", on=dt.date(2024, 2, 1),
            campaign=campaign, beneficiary="member", member=world.member_b,
            funding=lines(("grassroots", 100)),
        )  # fmt: skip
    assert exc.value.field == "campaign" and MARKER_A not in str(exc.value)


def test_update_replaces_the_lines_and_keeps_the_value(world):
    record = gift(world)
    services.care_record_update(
        actor=world.officer_a,
        record=record,
        funding=lines(("grassroots", 300_000), ("donor", 200_000)),
        description="Quà thăm hỏi",
    )
    record.refresh_from_db()
    assert (record.value, record.mobilised, record.description) == (
        500_000,
        200_000,
        "Quà thăm hỏi",
    )
    assert record.funding.count() == 2
    reasons = set(
        Funding.history.filter(record_id=record.pk).values_list("history_change_reason", flat=True)
    )
    assert reasons == {"care_record_create", "care_record_update"}
    assert record.history.first().history_change_reason == "care_record_update"


def test_update_without_change_writes_nothing(world):
    record = gift(world)
    services.care_record_update(actor=world.officer_a, record=record, description="")
    assert record.history.count() == 1


def test_moving_a_record_to_a_unit_outside_scope_is_refused(world):
    record = gift(world)
    with pytest.raises(RuleViolation):
        services.care_record_update(actor=world.officer_a, record=record, unit=world.grass_b1)


def test_delete_writes_history_and_removes_lines(world):
    record = gift(world)
    services.care_record_delete(actor=world.officer_a, record=record)
    assert not CareRecord.objects.exists() and not Funding.objects.exists()
    assert CareRecord.history.filter(history_type="-").get().history_user == world.officer_a


def test_delete_is_refused_while_files_are_attached(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congdoan.activities.services import attachment_add

    record = gift(world)
    attachment_add(actor=None, record=record, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    with pytest.raises(RuleViolation):
        services.care_record_delete(actor=world.officer_a, record=record)


def test_campaign_rules(world):
    campaign = campaign_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.campaign_create(
            actor=None, unit=world.unit_a, name=campaign.name.lower(),
            start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 2),
        )  # fmt: skip
    assert exc.value.field == "name"
    with pytest.raises(RuleViolation) as exc:
        services.campaign_create(
            actor=None, unit=world.unit_a, name="X", start=dt.date(2024, 2, 1),
            end=dt.date(2024, 1, 2),
        )  # fmt: skip
    assert exc.value.field == "end"
    with pytest.raises(RuleViolation):
        services.campaign_create(
            actor=world.officer_b, unit=world.unit_a, name="X", start=dt.date(2024, 1, 1),
            end=dt.date(2024, 1, 2),
        )  # fmt: skip


def test_campaign_dates_keep_its_records_and_delete_needs_none(world):
    campaign = campaign_a(world)
    gift(world, campaign=campaign, on=dt.date(2024, 2, 1))
    with pytest.raises(RuleViolation) as exc:
        services.campaign_update(actor=world.officer_a, campaign=campaign, end=dt.date(2024, 1, 20))
    assert "1" in str(exc.value)
    services.campaign_update(actor=world.officer_a, campaign=campaign, end=dt.date(2024, 2, 28))
    assert campaign.history.first().history_change_reason == "campaign_update"
    with pytest.raises(RuleViolation):
        services.campaign_delete(actor=world.officer_a, campaign=campaign)
    CareRecord.objects.all().delete()
    services.campaign_delete(actor=world.officer_a, campaign=campaign)
