"""The demo's year of targets and figures (congdoan/demo/indicators.py), on a small demo."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings

from congdoan.demo.federation import build_demo
from congdoan.demo.indicators import TARGETED, figures_for

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The smallest demo (its indicators included); rolled back at the end of the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        build_demo(scale=0.05, seed=7)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def year(built, db):
    from congdoan.indicators.models import Period

    return Period.objects.get(kind="year", year=2025)


def unit(code):
    from congdoan.organisation.models import Unit

    return Unit.objects.get(code=code)


def test_figures_are_seeded_and_sized_by_members():
    a = figures_for(random.Random(1), 200, True)
    assert a == figures_for(random.Random(1), 200, True)
    assert 20 <= len(a) <= 30
    assert a["tien_qua"] % 100_000 == 0 and a["tien_qua"] >= a["suat_qua"] * 300_000
    assert a["dn_co_cd"] == 1 and "hn_cbccvc" not in a
    small = figures_for(random.Random(1), 10, False)
    assert small["thu_doan_phi"] < a["thu_doan_phi"]


def test_targets_go_from_the_nation_to_the_grassroots(year):
    from congdoan.indicators.models import Target
    from congdoan.organisation.models import UnitVersion

    province = unit("LC")
    own = {t.indicator.code: t for t in Target.objects.filter(unit=province, period=year)}
    assert set(own) == set(TARGETED)
    assert all(t.assigned_by.code == "TLD" for t in own.values())
    kids = list(
        UnitVersion.objects.on(year.end).filter(parent=province).values_list("unit_id", flat=True)
    )
    for code, target in own.items():
        below = Target.objects.filter(unit_id__in=kids, period=year, indicator__code=code)
        assert below.aggregate(s=Sum("value"))["s"] == target.value
    commune = unit("LC-X03408")
    grassroots = Target.objects.filter(
        period=year, unit__parent=commune, indicator__code="suat_qua"
    )
    assert grassroots.exists()
    assert all(t.assigned_by_id == commune.pk for t in grassroots)
    assert (
        grassroots.aggregate(s=Sum("value"))["s"]
        == Target.objects.get(unit=commune, period=year, indicator__code="suat_qua").value
    )


def test_every_grassroots_union_reports_with_mixed_statuses(year):
    from congdoan.indicators import selectors
    from congdoan.indicators.models import Sheet, SheetStep, Value
    from congdoan.organisation.models import Unit

    province = unit("LC")
    active = Unit.objects.filter(
        path__startswith=province.path, unit_type__is_grassroots=True
    ).active_on(year.end)
    sheets = Sheet.objects.filter(period=year)
    assert set(sheets.values_list("unit_id", flat=True)) == set(active.values_list("id", flat=True))
    per_unit = Counter(Value.objects.filter(period=year).values_list("unit_id", flat=True))
    assert min(per_unit.values()) >= 20
    states = Counter(sheets.values_list("status", flat=True))
    assert states["locked"] > sum(states.values()) / 2
    assert states["approved"] and states["submitted"] and states["draft"]
    late = selectors.sheet_states(list(per_unit), year, dt.date(2026, 6, 30))
    assert any(s.late and s.status == "draft" for s in late.values())
    assert any(s.late and s.status != "draft" for s in late.values())
    assert any(not s.late for s in late.values())
    # Reopened with a reason, corrected and locked again; the school by the commune's officer.
    reopens = SheetStep.objects.filter(sheet__period=year, step="reopen")
    assert reopens.count() >= 2 and all(s.reason for s in reopens)
    school = Unit.objects.get(role_grants__user__username="cs.nhaplieu")
    step = reopens.get(sheet__unit=school)
    assert step.actor.username == "xa.quantri"
    assert Sheet.objects.get(unit=school, period=year).status == "locked"
    assert Value.history.filter(unit_id=school.pk, period_id=year.pk).count() > per_unit[school.pk]
    assert SheetStep.objects.filter(sheet__period=year, step="return").exclude(reason="").exists()
    # The simulated clock: steps dated in the reporting season, not today.
    assert max(SheetStep.objects.values_list("at", flat=True)).date() < dt.date(2026, 4, 1)


def test_totals_agree_and_clusters_rank(year):
    from congdoan.indicators import rollup, selectors
    from congdoan.indicators.models import Period, Value
    from congdoan.organisation.models import Cluster, ClusterMembership

    half = Period.objects.get(kind="half", year=2025, number=1)
    assert rollup.differences(year) == []
    assert rollup.differences(half) == []
    figs = selectors.unit_figures(unit("LC").pk, year)
    entered = Value.objects.filter(period=year, indicator__code="tien_qua").aggregate(
        s=Sum("value")
    )
    assert figs["tien_qua"].value == entered["s"]
    assert figs["tien_qua"].target is not None and figs["tien_qua"].percent > Decimal(50)
    assert figs["ty_le_dn_co_tu"].value is not None  # a formula, recomputed from the totals
    block = Cluster.objects.get(code="lc-khoi-xa")
    members = list(
        ClusterMembership.objects.filter(cluster=block, year=2025).values_list("unit_id", flat=True)
    )
    ranks = selectors.ranking(members, year, "achievement")
    assert {r.rank for r in ranks.values()} >= {1}
    assert max(r.rank or 0 for r in ranks.values()) > 1
    cluster = selectors.cluster_figures(block, year)
    by_member = selectors.figures(members, year)
    assert cluster.total["suat_qua"].value == sum(
        f["suat_qua"].value or 0 for f in by_member.values()
    )
    assert 0 < cluster.total["suat_qua"].value < figs["suat_qua"].value
