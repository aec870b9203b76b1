"""Welfare services: rules, scope, history."""

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.activities.models import Attachment
from congdoan.activities.services import attachment_add
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.welfare import services
from congdoan.welfare.models import Agreement, BenefitUse
from congdoan.welfare.tests.helpers import agreement_a, new_agreement

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 4, 1)


def _create(world, actor, **kw):
    args = dict(
        unit=world.unit_a, partner_name="Ngân hàng Thử", partner_kind="bank", signed_on=DAY,
        benefits="Giảm lãi suất",
    )  # fmt: skip
    return services.agreement_create(actor=actor, **{**args, **kw})


def test_officer_records_an_agreement_with_history(world):
    agreement = _create(world, world.officer_a, partner_name="  Ngân  hàng Thử ")
    assert agreement.partner_name == "Ngân hàng Thử"
    assert agreement.valid_from == DAY  # valid from the signing day unless told
    row = agreement.history.get()
    assert (row.history_user, row.history_change_reason) == (
        world.officer_a,
        "welfare_agreement_create",
    )


def test_officer_of_another_unit_is_refused_without_a_name(world):
    with pytest.raises(RuleViolation) as exc:
        _create(world, world.officer_b)
    assert MARKER_A not in str(exc.value)
    assert not Agreement.objects.exists()


def test_the_same_partner_on_the_same_day_is_a_duplicate(world):
    _create(world, world.officer_a, partner_name="Ngân hàng Hoà Bình")
    with pytest.raises(RuleViolation) as exc:
        _create(world, world.officer_a, partner_name="ngân hàng hòa bình")
    assert exc.value.field == "partner_name"
    _create(world, world.officer_a, partner_name="Ngân hàng Hoà Bình", signed_on=DAY.replace(day=2))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_until": dt.date(2024, 3, 1)}, "valid_until"),
        ({"discount_percent": Decimal(120)}, "discount_percent"),
        ({"partner_kind": "casino"}, "partner_kind"),
        ({"benefits": "  "}, "benefits"),
        ({"signed_on": dt.date(2999, 1, 1)}, "signed_on"),
    ],
)
def test_agreement_rules(world, changes, field):
    with pytest.raises(RuleViolation) as exc:
        _create(world, world.officer_a, **changes)
    assert exc.value.field == field


def test_a_use_by_a_member_of_the_subtree(world):
    agreement = agreement_a(world)
    use = BenefitUse.objects.get(member=world.member_a)
    assert (use.unit, use.count, use.value) == (world.unit_a, 1, Decimal(500_000))
    assert use.history.get().history_change_reason == "welfare_use_create"
    with pytest.raises(RuleViolation) as exc:  # member B is outside A's subtree
        services.benefit_use_create(
            actor=None, agreement=agreement, member=world.member_b, used_on=DAY
        )
    assert exc.value.field == "member"


def test_a_member_outside_the_actors_scope_is_not_found(world):
    agreement = new_agreement(world, unit=world.province)
    with pytest.raises(RuleViolation) as exc:
        services.benefit_use_create(
            actor=world.officer_b, agreement=agreement, member=world.member_a, used_on=DAY
        )
    # Officer B may not write to the province's agreement at all: nothing of A is named.
    assert MARKER_A not in str(exc.value)


def test_uses_fall_within_the_validity(world):
    agreement = _create(world, None, valid_until=dt.date(2024, 12, 31))
    for day in (dt.date(2024, 3, 31), dt.date(2025, 1, 1)):
        with pytest.raises(RuleViolation) as exc:
            services.benefit_use_create(actor=None, agreement=agreement, used_on=day)
        assert exc.value.field == "used_on"
    services.benefit_use_create(actor=None, agreement=agreement, used_on=dt.date(2024, 12, 31))
    with pytest.raises(RuleViolation) as exc:  # the recorded use holds the dates
        services.agreement_update(actor=None, agreement=agreement, valid_until=dt.date(2024, 6, 30))
    assert exc.value.field == "valid_from"


@pytest.mark.parametrize(("count", "value"), [(0, 0), (1, -5), (2, "abc")])
def test_counts_and_values(world, count, value):
    agreement = agreement_a(world)
    with pytest.raises(RuleViolation):
        services.benefit_use_create(
            actor=None, agreement=agreement, used_on=DAY, count=count, value=value
        )


def test_update_a_use_and_its_member(world):
    agreement_a(world)
    use = world.extra["welfare_count_a"]
    use = services.benefit_use_update(
        actor=world.officer_a, use=use, member=world.member_a, count=1, value=Decimal(90_000)
    )
    assert (use.member, use.count, use.value) == (world.member_a, 1, Decimal(90_000))
    assert use.history.latest().history_change_reason == "welfare_use_update"
    with pytest.raises(RuleViolation):
        services.benefit_use_update(actor=world.officer_b, use=use, count=2)


def test_an_agreement_with_uses_is_not_deleted(world):
    agreement = agreement_a(world)
    with pytest.raises(RuleViolation):
        services.agreement_delete(actor=world.officer_a, agreement=agreement)
    for use in BenefitUse.objects.filter(agreement=agreement):
        services.benefit_use_delete(actor=world.officer_a, use=use)
    assert BenefitUse.history.filter(history_change_reason="welfare_use_delete").count() == 2
    services.agreement_delete(actor=world.officer_a, agreement=agreement)
    assert not Agreement.objects.exists()


def test_deleting_an_agreement_removes_its_scan(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    agreement = new_agreement(world)
    scan = SimpleUploadedFile("thoa-thuan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    attachment_add(actor=world.officer_a, record=agreement, upload=scan)
    services.agreement_delete(actor=world.officer_a, agreement=agreement)
    assert not Attachment.objects.exists()


def test_update_keeps_the_unit_and_writes_history(world):
    agreement = agreement_a(world)
    services.agreement_update(
        actor=world.officer_a, agreement=agreement, valid_until=dt.date(2025, 12, 31)
    )
    agreement.refresh_from_db()
    assert agreement.valid_until == dt.date(2025, 12, 31)
    assert agreement.history.latest().history_change_reason == "welfare_agreement_update"
    with pytest.raises(TypeError):
        services.agreement_update(actor=None, agreement=agreement, unit=world.unit_b)
