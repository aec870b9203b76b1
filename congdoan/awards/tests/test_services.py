import datetime as dt

import pytest

from congdoan.awards import selectors, services
from congdoan.awards.models import Award, Decision
from congdoan.awards.tests.helpers import DAY, decision, form
from congdoan.core.exceptions import RuleViolation

pytestmark = pytest.mark.django_db


def test_catalogue_is_seeded_with_versions():
    assert {r.code for r in selectors.Regulation.objects.all()} >= {"2024", "2019", "2017", "2014"}
    assert form("kyniemchuong").rules == {"min_union_years": 10, "once_per_person": True}
    assert form("bang_ldst", "2019").regulation.code == "2019"
    assert selectors.regulation_in_force(dt.date(2025, 1, 1)).code == "2024"
    assert selectors.regulation_in_force(dt.date(2022, 1, 1)).code == "2019"


def test_decision_takes_the_regulation_in_force(world):
    assert decision(world.root).regulation.code == "2024"
    old = decision(world.root, number="2/QĐ", day=dt.date(2021, 3, 1))
    assert old.regulation.code == "2019"
    assert old.recorded_by_unit == world.root


def test_outside_decision_is_recorded_by_a_unit(world):
    d = services.decision_create(
        actor=world.officer_a,
        issuer_name="UBND tỉnh Lai Châu",
        recorded_by_unit=world.unit_a,
        number="99/QĐ-UBND",
        signed_on=DAY,
    )
    assert d.is_outside and d.issuer_label == "UBND tỉnh Lai Châu"
    a = services.award_add(
        actor=world.officer_a, decision=d, form=form("ubnd_bang_khen"), unit=world.grass_a1
    )
    assert a.year == 2025 and a.is_collective


def test_officer_cannot_record_outside_scope(world):
    with pytest.raises(RuleViolation):
        decision(world.unit_a, actor=world.officer_b)
    assert not Decision.objects.exists()


def test_recipient_outside_scope_is_not_found(world):
    d = decision(world.unit_a, actor=world.officer_a)
    with pytest.raises(RuleViolation, match="Không tìm thấy đối tượng được khen"):
        services.award_add(
            actor=world.officer_a, decision=d, form=form("tren_cs_giay_khen"), member=world.member_b
        )
    assert not Award.objects.exists()


def test_award_add_and_delete_keep_history(world):
    d = decision(world.unit_a, actor=world.officer_a)
    a = services.award_add(
        actor=world.officer_a, decision=d, form=form("tren_cs_giay_khen"), member=world.member_a
    )
    assert a.history.first().history_change_reason == "award_add"
    assert a.history.first().history_user == world.officer_a
    services.award_delete(actor=world.officer_a, award=a)
    assert not Award.objects.exists()
    assert Award.history.filter(history_type="-").count() == 1


def test_decision_update_and_delete(world):
    d = decision(world.unit_a)
    d = services.decision_update(
        actor=world.officer_a, decision=d, signer="Nguyễn Văn An, Chủ tịch"
    )
    assert d.signer == "Nguyễn Văn An, Chủ tịch"
    services.award_add(actor=None, decision=d, form=form("tren_cs_giay_khen"), unit=world.grass_a1)
    with pytest.raises(RuleViolation, match="không thể đổi ngày"):
        services.decision_update(actor=world.officer_a, decision=d, signed_on=dt.date(2025, 2, 1))
    services.decision_delete(actor=world.officer_a, decision=d)
    assert not Decision.objects.exists() and not Award.objects.exists()


def test_one_recipient(world):
    d = decision(world.unit_a)
    with pytest.raises(RuleViolation):
        services.award_add(
            actor=None, decision=d, form=form("tren_cs_giay_khen"), unit=world.grass_a1,
            member=world.member_a,
        )  # fmt: skip
    with pytest.raises(RuleViolation):
        services.award_add(
            actor=None, decision=d, form=form("tren_cs_giay_khen"), outside_name="Công ty X"
        )
    assert not Award.objects.exists()


def test_tallies_count_collectives_and_individuals_and_name_flags(world):
    d = decision(world.province, number="125/QĐ-LĐLĐ")
    flag = form("tinh_co")
    services.award_add(actor=None, decision=d, form=flag, unit=world.grass_a1)
    services.award_add(actor=None, decision=d, form=flag, unit=world.grass_b1)
    merit = form("tinh_bang_khen")
    services.award_add(actor=None, decision=d, form=merit, member=world.member_a)
    services.award_add(
        actor=None, decision=d, form=merit, outside_name="Công ty May Lai Châu", outside_kind="body"
    )
    rows = {
        t.form_id: t for t in selectors.tallies(world.national, issuer=world.province, year=2025)
    }
    assert (rows[flag.pk].collective, rows[flag.pk].individual) == (2, 0)
    assert sorted(rows[flag.pk].recipients) == sorted([world.grass_a1.name, world.grass_b1.name])
    assert rows[merit.pk].label == "1 tập thể, 1 cá nhân"
    assert rows[merit.pk].recipients == []
    # Officer B sees the awards of B's units, not those of A.
    b_rows = {t.form_id: t for t in selectors.tallies(world.officer_b)}
    assert b_rows[flag.pk].recipients == [world.grass_b1.name]
    assert merit.pk not in b_rows


def test_a_unit_records_an_award_it_received_from_above(world):
    d = services.decision_create(
        actor=world.officer_a,
        issuer_unit=world.province,
        recorded_by_unit=world.grass_a1,
        number="45/QĐ-LĐLĐ",
        signed_on=DAY,
    )
    assert d.recorded_by_unit == world.grass_a1 and d.issuer_label == world.province.short_name
    services.award_add(
        actor=world.officer_a, decision=d, form=form("tinh_bang_khen"), unit=world.grass_a1
    )
    with pytest.raises(RuleViolation, match="đơn vị cấp dưới"):
        services.decision_create(
            actor=world.officer_b,
            issuer_unit=world.unit_a,
            recorded_by_unit=world.grass_b1,
            number="46/QĐ",
            signed_on=DAY,
        )
