"""Inspection and complaint services: rules, scope, history rows."""

import datetime as dt

import pytest

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.inspections import selectors, services
from congdoan.inspections.models import Complaint, FollowUp, Inspected, Inspection, Recommendation
from congdoan.inspections.tests.helpers import DAY, complaint_a, inspection_a

pytestmark = pytest.mark.django_db


def _create(world, actor, **kw):
    args = dict(unit=world.unit_a, kind="finance", body="ubkt", started_on=DAY)
    return services.inspection_create(actor=actor, **{**args, **kw})


def test_officer_records_an_inspection_with_history(world):
    inspection = _create(world, world.officer_a, units=[world.grass_a1])
    row = inspection.history.get()
    assert (row.history_user, row.history_change_reason) == (world.officer_a, "inspection_create")
    target = inspection.targets.get()
    assert target.unit == world.grass_a1 and target.key == f"u{world.grass_a1.pk}"
    assert target.history.get().history_change_reason == "inspected_add"


def test_officer_of_another_unit_is_refused_without_a_name(world):
    with pytest.raises(RuleViolation) as exc:
        _create(world, world.officer_b)
    assert MARKER_A not in str(exc.value)
    assert not Inspection.objects.exists()


def test_units_inspected_lie_within_the_conducting_subtree(world):
    inspection = _create(world, world.national)
    with pytest.raises(RuleViolation) as exc:
        services.inspected_add(actor=world.national, inspection=inspection, unit=world.grass_b1)
    assert exc.value.field == "unit" and "BETA" in str(exc.value)
    services.inspected_add(actor=world.national, inspection=inspection, unit=world.unit_a)
    services.inspected_add(actor=world.national, inspection=inspection, unit=world.group_a1)


def test_a_unit_outside_the_actors_scope_is_not_found(world):
    inspection = _create(world, world.officer_a)
    with pytest.raises(RuleViolation) as exc:
        services.inspected_add(actor=world.officer_a, inspection=inspection, unit=world.grass_b1)
    assert "BETA" not in str(exc.value)
    assert str(exc.value) == "Không tìm thấy đơn vị này trong phạm vi của bạn."


def test_subtree_as_the_tree_stood_on_the_start_day(world):
    """A1 moved to B after the inspection: it was below A on the start day."""
    from congdoan.organisation import services as org

    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2025, 6, 1))
    inspection = _create(world, None, units=[world.grass_a1])
    assert inspection.targets.count() == 1
    with pytest.raises(RuleViolation):
        _create(world, None, units=[world.grass_a1], started_on=dt.date(2025, 7, 1))


def test_outside_bodies_are_named_once(world):
    inspection = _create(world, None, outside=[("Công ty  Hòa Bình", "enterprise")])
    with pytest.raises(RuleViolation) as exc:
        services.inspected_add(
            actor=None, inspection=inspection, name="CÔNG TY HOÀ BÌNH", outside_kind="enterprise"
        )
    assert exc.value.field == "name"
    with pytest.raises(RuleViolation):
        services.inspected_add(actor=None, inspection=inspection, name="", outside_kind="agency")
    with pytest.raises(RuleViolation):
        services.inspected_add(actor=None, inspection=inspection, name="Sở Y tế", outside_kind="x")


def test_dates_in_order(world):
    with pytest.raises(RuleViolation) as exc:
        _create(world, None, ended_on=DAY - dt.timedelta(days=1))
    assert exc.value.field == "ended_on"
    with pytest.raises(RuleViolation) as exc:
        _create(world, None, decision_date=DAY + dt.timedelta(days=1))
    assert exc.value.field == "decision_date"
    with pytest.raises(RuleViolation) as exc:
        _create(world, None, started_on=dt.date(2019, 1, 1))
    assert exc.value.field == "started_on"


def test_kind_and_body_are_checked(world):
    with pytest.raises(RuleViolation):
        _create(world, None, kind="audit")
    with pytest.raises(RuleViolation):
        _create(world, None, body="btv")


def test_update_writes_history_and_checks_the_units_again(world):
    from congdoan.organisation import services as org

    inspection = inspection_a(world)
    services.inspection_update(actor=world.officer_a, inspection=inspection, partners="Sở Y tế")
    inspection.refresh_from_db()
    assert inspection.partners == "Sở Y tế" and inspection.joint
    assert inspection.history.first().history_change_reason == "inspection_update"
    assert "so y te" in inspection.search_text
    org.unit_move(actor=None, unit=world.grass_a2, new_parent=world.unit_b, day=dt.date(2025, 6, 1))
    with pytest.raises(RuleViolation):  # A2 was below B from June
        services.inspection_update(
            actor=None, inspection=inspection, started_on=dt.date(2025, 7, 1),
            ended_on=dt.date(2025, 7, 5),
        )  # fmt: skip


def test_update_by_another_unit_is_refused(world):
    with pytest.raises(RuleViolation):
        services.inspection_update(
            actor=world.officer_b, inspection=inspection_a(world), findings="X"
        )


def test_recommendation_is_done_by_its_latest_follow_up(world):
    inspection = inspection_a(world)
    rec = services.recommendation_add(actor=world.officer_a, inspection=inspection, text="Sửa")
    assert rec.order == 3 and not rec.done
    first = services.follow_up_add(
        actor=world.officer_a, recommendation=rec, on=dt.date(2025, 5, 1), action="Xong", done=True
    )
    rec.refresh_from_db()
    assert rec.done_on == dt.date(2025, 5, 1)
    services.follow_up_add(
        actor=world.officer_a, recommendation=rec, on=dt.date(2025, 6, 1), action="Tái phạm"
    )
    rec.refresh_from_db()
    assert rec.done_on is None
    services.follow_up_remove(
        actor=world.officer_a, follow_up=FollowUp.objects.get(action="Tái phạm")
    )
    rec.refresh_from_db()
    assert rec.done_on == first.on
    reasons = list(rec.history.values_list("history_change_reason", flat=True))
    assert "follow_up_add" in reasons and "follow_up_remove" in reasons


def test_follow_up_and_due_dates_follow_the_start(world):
    inspection = inspection_a(world)
    with pytest.raises(RuleViolation) as exc:
        services.recommendation_add(
            actor=None, inspection=inspection, text="X", due_on=DAY - dt.timedelta(days=1)
        )
    assert exc.value.field == "due_on"
    rec = Recommendation.objects.filter(inspection=inspection).first()
    with pytest.raises(RuleViolation) as exc:
        services.follow_up_add(actor=None, recommendation=rec, on=dt.date(2024, 1, 1), action="X")
    assert exc.value.field == "on"
    with pytest.raises(RuleViolation):
        services.follow_up_add(actor=None, recommendation=rec, on=DAY, action="  ")


def test_recommendation_target_belongs_to_the_inspection(world):
    other = _create(world, None, units=[world.grass_a1])
    with pytest.raises(RuleViolation) as exc:
        services.recommendation_add(
            actor=None, inspection=inspection_a(world), text="X", target=other.targets.get()
        )
    assert exc.value.field == "target"


def test_a_unit_with_recommendations_addressed_to_it_stays(world):
    inspection = inspection_a(world)
    a1 = inspection.targets.get(unit=world.grass_a1)
    with pytest.raises(RuleViolation):
        services.inspected_remove(actor=world.officer_a, target=a1)
    a2 = inspection.targets.get(unit=world.grass_a2)
    services.inspected_remove(actor=world.officer_a, target=a2)
    assert not Inspected.objects.filter(pk=a2.pk).exists()


def test_delete_removes_every_part_with_history(world):
    inspection = inspection_a(world)
    pk = inspection.pk
    services.inspection_delete(actor=world.officer_a, inspection=inspection)
    assert not Inspection.objects.filter(pk=pk).exists()
    assert not Recommendation.objects.filter(inspection_id=pk).exists()
    assert Inspection.history.filter(id=pk, history_type="-").get().history_user == world.officer_a
    assert FollowUp.history.filter(history_type="-").exists()


def test_complaint_rules_and_history(world):
    row = complaint_a(world)
    assert row.history.get().history_change_reason == "complaint_create"
    with pytest.raises(RuleViolation) as exc:
        services.complaint_update(
            actor=world.officer_a, complaint=row, resolved_on=dt.date(2025, 1, 1)
        )
    assert exc.value.field == "resolved_on"
    with pytest.raises(RuleViolation):
        services.complaint_update(actor=world.officer_b, complaint=row, outcome="X")
    services.complaint_update(actor=world.officer_a, complaint=row, outcome="Kết luận mới")
    assert row.history.first().history_change_reason == "complaint_update"
    with pytest.raises(RuleViolation):
        services.complaint_create(
            actor=None, unit=world.unit_a, kind="petition", received_on=DAY, summary="X"
        )
    services.complaint_delete(actor=world.officer_a, complaint=row)
    assert not Complaint.objects.exists()


def test_an_inspected_unit_sees_the_inspection_but_only_its_own_part(world):
    from congdoan.core.tests.support import make_user

    inspection = inspection_a(world)
    officer_a1 = make_user("officer_a1", "federation_admin", world.grass_a1)
    officer_a2 = make_user("officer_a2", "federation_admin", world.grass_a2)
    assert list(selectors.inspections_visible(officer_a1)) == [inspection]
    assert list(selectors.inspections_visible(world.officer_b)) == []
    full = selectors.inspection_full().get(pk=inspection.pk)
    page = selectors.inspection_page(officer_a1, full)
    assert not page.full and [t.unit for t in page.targets] == [world.grass_a1]
    assert page.others == 2
    assert [r.text for r in page.recommendations] == [
        "Cập nhật sổ đoàn viên",
        "Nộp đoàn phí đúng hạn",
    ]
    page = selectors.inspection_page(officer_a2, full)
    assert [r.text for r in page.recommendations] == ["Nộp đoàn phí đúng hạn"]
    assert selectors.inspection_page(world.officer_a, full).full


def test_the_conducting_officer_sees_what_he_conducted_even_below_another(world):
    """An inspection by A of A1: officer A sees it (conducted), national sees it (subtree)."""
    inspection = inspection_a(world)
    assert inspection in selectors.inspections_visible(world.officer_a)
    assert inspection in selectors.inspections_visible(world.national)


def test_masked_sender():
    assert selectors.masked("Lê Văn Tố") == "L. V. T."
    assert selectors.masked("") == ""
