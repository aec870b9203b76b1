"""Each eligibility rule refuses in Vietnamese, naming the rule and the recipient, and writes
nothing."""

import datetime as dt

import pytest

from congdoan.awards import rules, services
from congdoan.awards.models import Award, AwardForm
from congdoan.awards.tests.helpers import decision, form
from congdoan.core.exceptions import RuleViolation
from congdoan.members.models import Member

pytestmark = pytest.mark.django_db


def refused(match: str, **kw):
    before = Award.objects.count()
    with pytest.raises(RuleViolation, match=match) as info:
        services.award_add(actor=None, **kw)
    assert Award.objects.count() == before
    return str(info.value)


def test_recipient_kind_must_be_allowed(world):
    d = decision(world.root)
    msg = refused("không được trao cho", decision=d, form=form("tld_co"), member=world.member_a)
    assert world.member_a.full_name in msg and "Cờ thi đua của Tổng Liên đoàn" in msg


def test_form_must_belong_to_the_regulation_in_force(world):
    d = decision(world.root)
    msg = refused("thuộc", decision=d, form=form("tld_co", "2019"), unit=world.province)
    assert "(2019)" in msg and "(2024)" in msg


def test_issuer_level_must_match(world):
    d = decision(world.unit_a)  # a district federation: above grassroots
    refused("cấp ban hành", decision=d, form=form("tinh_bang_khen"), unit=world.grass_a1)
    outside = services.decision_create(
        actor=None, issuer_name="UBND tỉnh Lai Châu", recorded_by_unit=world.unit_a,
        number="7/QĐ-UBND", signed_on=d.signed_on,
    )  # fmt: skip
    refused("cấp ban hành", decision=outside, form=form("tren_cs_giay_khen"), unit=world.grass_a1)
    refused("cấp ban hành", decision=d, form=form("ubnd_giay_khen"), unit=world.grass_a1)


def test_thematic_form_needs_a_theme(world):
    d = decision(world.unit_a)
    refused("chủ đề", decision=d, form=form("tren_cs_giay_khen_chuyen_de"), unit=world.grass_a1)


def test_medal_needs_years_of_membership(world):
    d = decision(world.root)  # world members were admitted on 1/1/2020
    msg = refused("năm", decision=d, form=form("kyniemchuong"), member=world.member_a)
    assert world.member_a.full_name in msg and "10" in msg
    Member.objects.filter(pk=world.member_a.pk).update(admitted_on=dt.date(2000, 1, 1))
    services.award_add(actor=None, decision=d, form=form("kyniemchuong"), member=world.member_a)


def test_medal_once_per_person_across_regulations(world):
    Member.objects.filter(pk=world.member_a.pk).update(admitted_on=dt.date(1990, 1, 1))
    old = decision(world.root, number="1/QĐ-TLĐ", day=dt.date(2021, 7, 20))
    services.award_add(
        actor=None, decision=old, form=form("kyniemchuong", "2019"), member=world.member_a
    )
    new = decision(world.root, number="2/QĐ-TLĐ")
    msg = refused("một lần", decision=new, form=form("kyniemchuong"), member=world.member_a)
    assert "1/QĐ-TLĐ" in msg


def test_medal_once_for_an_outside_person_by_name(world):
    d = decision(world.root)
    medal = form("kyniemchuong")
    services.award_add(
        actor=None, decision=d, form=medal, outside_name="Lê Văn Tám", outside_kind="person"
    )
    refused("một lần", decision=d, form=medal, outside_name="le van tam", outside_kind="person")


@pytest.mark.parametrize(
    "first,second", [("tinh_co", "tinh_co_chuyen_de"), ("tinh_co_chuyen_de", "tinh_co")]
)
def test_overall_excludes_thematic_in_both_orders(world, first, second):
    d = decision(world.province)
    services.award_add(
        actor=None, decision=d, form=form(first), unit=world.grass_a1, theme="Phát triển đoàn viên"
    )
    msg = refused(
        "không thể nhận thêm",
        decision=d,
        form=form(second),
        unit=world.grass_a1,
        theme="Phát triển đoàn viên",
    )
    assert world.grass_a1.name in msg
    # Another year, another unit, or another issuer is allowed.
    services.award_add(
        actor=None, decision=d, form=form(second), unit=world.grass_a1, year=2024, theme="X"
    )
    services.award_add(actor=None, decision=d, form=form(second), unit=world.grass_a2, theme="X")
    services.award_add(
        actor=None,
        decision=decision(world.root, number="9/QĐ"),
        form=form("tld_co"),
        unit=world.grass_a1,
    )


def test_quota_per_decision(world):
    AwardForm.objects.filter(pk=form("tinh_bang_khen").pk).update(rules={"quota_per_decision": 1})
    d = decision(world.province)
    services.award_add(actor=None, decision=d, form=form("tinh_bang_khen"), unit=world.grass_a1)
    msg = refused("tối đa", decision=d, form=form("tinh_bang_khen"), unit=world.grass_a2)
    assert world.grass_a2.name in msg
    services.award_add(
        actor=None,
        decision=decision(world.province, number="2/QĐ"),
        form=form("tinh_bang_khen"),
        unit=world.grass_a2,
    )


def test_creative_labour_benefit_threshold_by_category(world):
    d = decision(world.root)
    ldst = form("bang_ldst")
    refused("loại tác giả", decision=d, form=ldst, member=world.member_a, details={})
    refused(
        "giá trị làm lợi",
        decision=d,
        form=ldst,
        member=world.member_a,
        details={"category": "worker"},
    )
    msg = refused(
        "ít nhất",
        decision=d,
        form=ldst,
        member=world.member_a,
        details={"category": "engineer", "benefit": 150_000_000},
    )
    assert "200.000.000" in msg
    services.award_add(
        actor=None,
        decision=d,
        form=ldst,
        member=world.member_a,
        details={"category": "worker", "benefit": 150_000_000},
    )


def test_unknown_rule_or_check_is_refused(world):
    AwardForm.objects.filter(pk=form("tinh_bang_khen").pk).update(rules={"min_years": 3})
    d = decision(world.province)
    refused("quy định", decision=d, form=form("tinh_bang_khen"), unit=world.grass_a1)
    AwardForm.objects.filter(pk=form("tinh_bang_khen").pk).update(rules={}, checks=["nope"])
    refused("kiểm tra", decision=d, form=form("tinh_bang_khen"), unit=world.grass_a1)


def test_union_years():
    assert rules.union_years(dt.date(2000, 7, 28), dt.date(2015, 7, 27)) == 14
    assert rules.union_years(dt.date(2000, 7, 28), dt.date(2015, 7, 28)) == 15
    assert rules.union_years(dt.date(2020, 1, 1), dt.date(2019, 1, 1)) == 0


def test_flags_go_to_unions_graded_good_or_better(world):
    from congdoan.awards import services
    from congdoan.grading.tests.helpers import confirm, grade, marks

    d = decision(world.province, number="3/QĐ", day=dt.date(2025, 3, 1))
    # A1 graded "completed" (60 points) for 2024: refused, with the category named.
    confirm(grade(world.grass_a1, 2024, marks(0.6)))
    with pytest.raises(RuleViolation, match="được xếp loại tốt trở lên"):
        services.award_add(actor=None, decision=d, form=form("tinh_co"), unit=world.grass_a1,
                           year=2024)  # fmt: skip
    # A2 graded good (80 points): given; B1 not graded in the system: given too.
    confirm(grade(world.grass_a2, 2024, marks(0.8)))
    services.award_add(actor=None, decision=d, form=form("tinh_co"), unit=world.grass_a2, year=2024)
    services.award_add(actor=None, decision=d, form=form("tinh_co"), unit=world.grass_b1, year=2024)
    assert d.awards.count() == 2
