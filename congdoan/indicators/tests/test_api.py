"""The indicator API: catalogue, periods, targets and allocation, figures sheets and their
workflow, figures of units and clusters, rankings; scope, error shape and query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.indicators import services
from congdoan.indicators.models import (
    DataSet,
    DataSetItem,
    Indicator,
    Period,
    PeriodKind,
    Sheet,
    SheetStatus,
    Target,
    Value,
)
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.clock import assign_target, on
from congdoan.organisation.models import Cluster, ClusterMembership, UnitType

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def post(client, url, data):
    return client.post(url, data, content_type=JSON)


def enter(world, unit, period, **values):
    return services.values_save(actor=world.national, unit=unit, period=period, entries=values)


# ---------------------------------------------------------------------------------------------
# Catalogue and periods


def test_catalogue(world, client_of):
    api = client_of("officer_b")
    groups = api.get("/api/v1/indicator-groups/").json()
    assert groups[0]["code"] == "to_chuc"
    rows = api.get("/api/v1/indicators/", {"group": "cham_lo", "source": "entered"}).json()
    assert rows and {r["group"] for r in rows} == {"cham_lo"}
    assert {r["source"] for r in rows} == {"entered"}
    ratio = api.get("/api/v1/indicators/", {"code": "ty_le_dv_nu"}).json()[0]
    assert (ratio["aggregation"], ratio["formula"]) == (
        "formula",
        "100 * dv_nu_cuoi_ky / dv_cuoi_ky",
    )
    assert api.get(f"/api/v1/indicators/{ratio['id']}/").json()["code"] == "ty_le_dv_nu"
    response = api.get("/api/v1/indicators/", {"source": "nope"})
    assert response.status_code == 400 and response.json()["field"] == "source"
    rules = api.get("/api/v1/period-rules/", {"kind": "school"}).json()
    assert rules and rules[0]["first_month"] == 9
    data_set = DataSet.objects.create(code="cdcs", name="Biểu công đoàn cơ sở")
    data_set.unit_types.add(UnitType.objects.get(code="cdcs"))
    DataSetItem.objects.create(data_set=data_set, indicator=ind("suat_qua"), required=True)
    body = api.get(f"/api/v1/data-sets/{data_set.pk}/").json()
    assert body["unit_types"] == ["cdcs"]
    assert body["items"] == [{"indicator": "suat_qua", "order": 0, "required": True}]
    assert api.get("/api/v1/indicators/987654/").status_code == 404


def test_periods(world, client_of, year):
    api = client_of("officer_a")
    response = post(api, "/api/v1/periods/", {"kind": "quarter", "year": 2026, "number": 3})
    assert response.status_code == 201, response.json()
    q3 = response.json()
    assert (q3["name"], q3["start"], q3["end"], q3["due_on"]) == (
        "Quý III/2026",
        "2026-07-01",
        "2026-09-30",
        "2026-10-10",
    )
    # The same calendar period again: the existing one.
    assert (
        post(api, "/api/v1/periods/", {"kind": "quarter", "year": 2026, "number": 3}).json()["id"]
        == q3["id"]
    )
    # A programme and its phases: every province sees them, so the national level creates them.
    national = client_of("national")
    programme = post(
        national,
        "/api/v1/periods/",
        {
            "kind": "programme",
            "name": "Chương trình 1 triệu sáng kiến",
            "start": "01/01/2021",
            "end": "2023-06-30",
            "programme": "1 triệu sáng kiến",
        },
    ).json()
    phase = post(
        national,
        "/api/v1/periods/",
        {
            "kind": "phase",
            "name": "Giai đoạn 1",
            "start": "2021-01-01",
            "end": "2022-06-30",
            "parent": programme["id"],
        },
    ).json()
    assert phase["parent"] == programme["id"] and phase["year"] == 2021
    assert [
        p["id"] for p in api.get("/api/v1/periods/", {"parent": programme["id"]}).json()["results"]
    ] == [phase["id"]]
    found = api.get("/api/v1/periods/", {"kind": "year", "year": 2024}).json()["results"]
    assert [p["id"] for p in found] == [year.pk]
    assert api.get(f"/api/v1/periods/{year.pk}/").json()["name"] == "Năm 2024"

    # Bad input: 400 in Vietnamese, nothing written.
    count = Period.objects.count()
    response = post(api, "/api/v1/periods/", {"kind": "weekly", "year": 2026})
    assert response.status_code == 400
    assert response.json() == {"detail": "“weekly” không phải là lựa chọn hợp lệ.", "field": "kind"}
    response = post(api, "/api/v1/periods/", {"kind": "quarter"})
    assert response.status_code == 400 and response.json()["field"] == "year"
    response = post(api, "/api/v1/periods/", {"kind": "quarter", "year": "năm nay"})
    assert response.json() == {
        "detail": "Giá trị bắt buộc phải là một số nguyên hợp lệ.",
        "field": "year",
    }
    response = post(api, "/api/v1/periods/", {"kind": "quarter", "year": 2026, "number": 5})
    assert response.status_code == 400 and response.json()["field"] == "number"
    response = post(
        national,
        "/api/v1/periods/",
        {"kind": "custom", "name": "x", "start": "2024-02-01", "end": "2024-01-01"},
    )
    assert response.status_code == 400 and response.json()["field"] == "end"
    assert Period.objects.count() == count


def test_who_opens_and_creates_periods(world, client_of):
    """A calendar period: anyone who enters or approves figures somewhere (a viewer gets 403).
    A period with its own dates: the national level only; a district's officer gets the reason."""
    custom = {"kind": "custom", "name": "Đợt thi đua", "start": "2026-03-01", "end": "2026-05-31"}
    api = client_of("officer_a")
    response = post(api, "/api/v1/periods/", custom)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Nhiệm kỳ, chương trình, giai đoạn của chương trình và kỳ tùy chỉnh dùng chung "
        "cho mọi tỉnh, thành: chỉ cấp Trung ương được tạo.",
        "field": "kind",
    }
    assert not Period.objects.filter(kind="custom").exists()
    response = post(client_of("national"), "/api/v1/periods/", custom)
    assert response.status_code == 201
    assert Period.objects.get(kind="custom").history.get().history_user == world.national

    entry = make_user("entry_a1", "data_entry", world.grass_a1)
    api.force_login(entry)
    response = post(api, "/api/v1/periods/", {"kind": "year", "year": 2030})
    assert response.status_code == 201
    assert Period.objects.get(kind="year", year=2030).history.get().history_user == entry
    viewer = make_user("viewer_a", "viewer", world.unit_a)
    api.force_login(viewer)
    response = post(api, "/api/v1/periods/", {"kind": "year", "year": 2031})
    assert response.status_code == 403
    assert api.get("/api/v1/periods/").status_code == 200
    assert not Period.objects.filter(year=2031).exists()


# ---------------------------------------------------------------------------------------------
# Targets


@pytest.fixture
def during_2024():
    """Targets of 2024 change while 2024 runs (they close once it is over)."""
    with on(dt.date(2024, 3, 1)):
        yield


def test_targets(world, client_of, year, during_2024):
    a, b = client_of("officer_a"), client_of("officer_b")
    body = {"unit": "A1", "indicator": "phat_trien_dv", "period": year.pk, "value": "1.200"}
    response = post(a, "/api/v1/targets/", body)
    assert response.status_code == 201, response.json()
    target = response.json()
    assert target["value"] == "1200.00" and target["assigned_by"]["code"] == "HA"
    assert target["unit"] == {"id": world.grass_a1.pk, "code": "A1", "name": world.grass_a1.name}
    # Not a number, a unit that A does not assign (its own), a unit outside B's scope.
    response = post(a, "/api/v1/targets/", {**body, "unit": "A2", "value": "abc"})
    assert response.status_code == 400 and response.json()["field"] == "phat_trien_dv"
    response = post(a, "/api/v1/targets/", {**body, "unit": "HA"})
    assert response.status_code == 400 and response.json()["detail"]
    response = post(a, "/api/v1/targets/", {**body, "indicator": "khong_co"})
    assert response.json() == {
        "detail": "Không tồn tại đối tượng có code=khong_co.",
        "field": "indicator",
    }
    assert post(b, "/api/v1/targets/", body).status_code == 404
    assert Target.objects.count() == 1

    # Scope of reads.
    url = f"/api/v1/targets/{target['id']}/"
    assert b.get(url).status_code == 404
    assert b.patch(url, {"value": 1}, content_type=JSON).status_code == 404
    assert b.delete(url).status_code == 404
    assert b.get("/api/v1/targets/").json()["results"] == []
    assert b.get("/api/v1/targets/", {"unit": "A1"}).json()["results"] == []
    rows = a.get("/api/v1/targets/", {"unit": "A1", "period": year.pk}).json()["results"]
    assert [r["id"] for r in rows] == [target["id"]]
    assert a.get("/api/v1/targets/", {"indicator": "suat_qua"}).json()["count"] == 0

    # Change, then remove.
    response = a.patch(url, {"value": 1300, "note": "Điều chỉnh"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["value"] == "1300.00"
    assert a.patch(url, {"note": "Ghi chú"}, content_type=JSON).json()["value"] == "1300.00"
    assert a.delete(url).status_code == 204
    assert not Target.objects.exists()


def test_allocate_and_gaps(world, client_of, year, during_2024):
    assign_target(
        actor=world.national,
        unit=world.unit_a,
        indicator=ind("phat_trien_dv"),
        period=year,
        value=11,
    )
    a, b = client_of("officer_a"), client_of("officer_b")
    body = {"unit": "HA", "indicator": "phat_trien_dv", "period": year.pk}
    preview = post(a, "/api/v1/targets/allocate/?dry_run=1", body).json()
    assert preview["dry_run"] is True and preview["total"] == "11.00"
    assert sorted(r["value"] for r in preview["rows"]) == ["5.00", "6.00"]
    assert {r["unit"]["code"] for r in preview["rows"]} == {"A1", "A2"}
    assert not Target.objects.exclude(unit=world.unit_a).exists()
    assert post(b, "/api/v1/targets/allocate/", body).status_code == 404
    response = post(a, "/api/v1/targets/allocate/", {**body, "method": "by_age"})
    assert response.status_code == 400 and response.json()["field"] == "method"
    made = post(a, "/api/v1/targets/allocate/", body).json()
    assert made["dry_run"] is False and made["total"] == "11.00"
    assert {(r["unit"]["code"], r["value"]) for r in made["rows"]} == {
        (r["unit"]["code"], r["value"]) for r in preview["rows"]
    }
    assert sum(Target.objects.exclude(unit=world.unit_a).values_list("value", flat=True)) == 11
    gaps = f"/api/v1/targets/gaps/?unit=HA&period={year.pk}"
    assert a.get(gaps).json() == []
    assign_target(
        actor=world.officer_a,
        unit=world.grass_a2,
        indicator=ind("phat_trien_dv"),
        period=year,
        value=10,
    )
    assert a.get(gaps).json() == [
        {
            "indicator": "phat_trien_dv",
            "name": ind("phat_trien_dv").name,
            "parent_target": "11.00",
            "children_total": str(Target.objects.get(unit=world.grass_a1).value + 10),
            "children": 2,
        }
    ]
    assert b.get(gaps).status_code == 404


# ---------------------------------------------------------------------------------------------
# Sheets and the workflow


def test_entry_and_workflow_through_the_api(world, client_of, year):
    a, b, national = client_of("officer_a"), client_of("officer_b"), client_of("national")
    save = "/api/v1/sheets/values/"
    body = {
        "unit": "A1",
        "period": year.pk,
        "entries": {"suat_qua": "12,5", "tien_qua": "abc", "phat_trien_dv": 3},
        "comments": {"phat_trien_dv": "Theo báo cáo quý"},
    }
    # Every refused figure is listed; nothing is written.
    response = post(a, save, body)
    assert response.status_code == 400
    assert [e["indicator"] for e in response.json()["errors"]] == ["suat_qua", "tien_qua"]
    assert "12,5" in response.json()["errors"][0]["message"]
    assert not Value.objects.exists() and not Sheet.objects.exists()
    response = post(a, save, {**body, "entries": ["suat_qua"]})
    assert response.status_code == 400 and response.json()["field"] == "entries"
    assert post(b, save, {**body, "entries": {"suat_qua": 1}}).status_code == 404

    response = post(a, save, {**body, "entries": {"suat_qua": 12, "tien_qua": "1.234.567"}})
    assert response.status_code == 200, response.json()
    sheet = response.json()
    assert sheet["status"] == "draft" and sheet["can_enter"] and sheet["can_approve"]
    values = {v["indicator"]: v["value"] for v in sheet["values"]}
    assert values == {"suat_qua": "12.00", "tien_qua": "1234567.00"}
    # The comment on phat_trien_dv, sent without its figure, is kept apart from the figures.
    assert [(r["indicator"], r["comment"]) for r in sheet["remarks"]] == [
        ("phat_trien_dv", "Theo báo cáo quý")
    ]
    url = f"/api/v1/sheets/{sheet['id']}/"

    # Officer B sees nothing of it.
    assert b.get(url).status_code == 404
    for step in ("submit", "approve", "lock"):
        assert post(b, f"{url}{step}/", {}).status_code == 404
    assert b.get("/api/v1/sheets/").json()["results"] == []

    # A1 submits (officer A enters for its grassroots unions), A approves as the unit above.
    assert post(a, f"{url}approve/", {}).status_code == 400  # not submitted yet
    assert post(a, f"{url}submit/", {}).json()["status"] == "submitted"
    response = post(a, save, {**body, "entries": {"suat_qua": 13}})
    assert response.status_code == 400 and "errors" not in response.json()
    response = post(a, f"{url}return/", {"reason": " "})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert post(a, f"{url}approve/", {}).json()["status"] == "approved"
    assert post(a, f"{url}lock/", {}).json()["status"] == "locked"
    response = post(a, f"{url}reopen/", {"reason": "Sai số suất quà"})
    assert response.json()["status"] == "draft"
    steps = [(s["step"], s["actor"], s["reason"]) for s in a.get(url).json()["steps"]]
    assert steps == [
        ("submit", "Cán bộ A", ""),
        ("approve", "Cán bộ A", ""),
        ("lock", "Cán bộ A", ""),
        ("reopen", "Cán bộ A", "Sai số suất quà"),
    ]

    # Unit A's own sheet: officer A submits it but may not approve it; the province does.
    own = post(a, save, {"unit": "HA", "period": year.pk, "entries": {"suat_qua": 1}}).json()
    assert own["can_enter"] and not own["can_approve"]
    own_url = f"/api/v1/sheets/{own['id']}/"
    post(a, f"{own_url}submit/", {})
    response = post(a, f"{own_url}approve/", {})
    assert response.status_code == 400 and response.json()["detail"]
    assert Sheet.objects.get(pk=own["id"]).status == SheetStatus.SUBMITTED
    response = post(national, f"{own_url}return/", {"reason": "Thiếu số liệu"})
    assert response.json()["status"] == "draft"

    # Lists and states.
    rows = a.get("/api/v1/sheets/", {"period": year.pk, "status": "draft"}).json()["results"]
    assert {r["unit"]["code"] for r in rows} == {"A1", "HA"}
    assert a.get("/api/v1/sheets/", {"under": "A1"}).json()["count"] == 1
    response = a.get("/api/v1/sheets/", {"status": "done"})
    assert response.status_code == 400 and response.json()["field"] == "status"
    states = a.get("/api/v1/sheets/states/", {"unit": "HA", "period": year.pk}).json()
    assert [(s["unit"]["code"], s["status"]) for s in states] == [("A2", ""), ("A1", "draft")]
    assert b.get("/api/v1/sheets/states/", {"unit": "HA", "period": year.pk}).status_code == 404


# ---------------------------------------------------------------------------------------------
# Figures and ranks


def test_figures(world, client_of, year):
    assign_target(
        actor=world.national, unit=world.unit_a, indicator=ind("suat_qua"), period=year, value=10
    )
    enter(world, world.grass_a1, year, suat_qua=10, dn_co_cd=1, dn_co_tu=1)
    enter(world, world.grass_a2, year, suat_qua=2, dn_co_cd=3, dn_co_tu=0)
    sheet = services.sheet_for(world.grass_a1, year)
    services.sheet_submit(actor=world.national, sheet=sheet)
    services.sheet_approve(actor=world.national, sheet=sheet)
    a, b = client_of("officer_a"), client_of("officer_b")
    query = {"unit": "HA", "period": year.pk, "indicators": "suat_qua,ty_le_dn_co_tu"}
    body = a.get("/api/v1/figures/", query).json()
    assert body["unit"]["code"] == "HA" and body["period"]["name"] == "Năm 2024"
    assert body["children"] is None
    figs = {f["indicator"]: f for f in body["figures"]}
    assert set(figs) == {"suat_qua", "ty_le_dn_co_tu"}
    gifts = figs["suat_qua"]
    assert (gifts["value"], gifts["approved_value"], gifts["approved"]) == ("12.00", "10.00", False)
    assert (gifts["units"], gifts["approved_units"]) == (2, 1)
    assert (gifts["target"], gifts["percent"], gifts["percent_text"]) == ("10.00", "120.00", "120%")
    assert (gifts["status"], gifts["target_of"]) == ("exceeded", "")
    assert figs["ty_le_dn_co_tu"]["value"] == "25.00"  # 1/4, not the mean of 100 and 0
    assert body["achievement"]["reached"] == 1 and body["achievement"]["total"] == 1

    body = a.get("/api/v1/figures/", {**query, "children": 1}).json()
    kids = {c["unit"]["code"]: {f["indicator"]: f for f in c["figures"]} for c in body["children"]}
    assert kids["A1"]["suat_qua"]["approved"] is True and kids["A2"]["suat_qua"]["value"] == "2.00"

    assert b.get("/api/v1/figures/", query).status_code == 404
    assert b.get("/api/v1/figures/", {**query, "unit": world.grass_a1.pk}).status_code == 404
    response = a.get("/api/v1/figures/", {**query, "indicators": "suat_qua,khong_co"})
    assert response.json() == {
        "detail": "Không tồn tại đối tượng có code=khong_co.",
        "field": "indicators",
    }
    response = a.get("/api/v1/figures/", {**query, "period": 987654})
    assert response.status_code == 400 and response.json()["field"] == "period"
    # Every indicator when none is named (derived ones from the member registry too).
    every = a.get("/api/v1/figures/", {"unit": "HA", "period": year.pk}).json()["figures"]
    assert {f["indicator"]: f["value"] for f in every}["dv_cuoi_ky"] == "1.00"


def test_cluster_figures_and_ranking(world, client_of, year):
    cluster = Cluster.objects.create(code="cum-1", name="Cụm 1", organiser=world.province)
    for unit in (world.unit_a, world.unit_b):
        ClusterMembership.objects.create(cluster=cluster, year=2024, unit=unit)
    for unit, target, actual in ((world.unit_a, 10, 12), (world.unit_b, 10, 10)):
        assign_target(
            actor=world.national,
            unit=unit,
            indicator=ind("phat_trien_dv"),
            period=year,
            value=target,
        )
        enter(world, unit, year, phat_trien_dv=actual)
    national, a, b = client_of("national"), client_of("officer_a"), client_of("officer_b")
    query = {"cluster": cluster.pk, "period": year.pk, "indicators": "phat_trien_dv"}
    body = national.get("/api/v1/figures/cluster/", query).json()
    assert body["hidden_units"] == 0 and len(body["members"]) == 2
    total = body["total"][0]
    assert (total["value"], total["target"], total["percent_text"]) == ("22.00", "20.00", "110%")
    # A member's officer sees the cluster, its own row and a total over what it may see.
    body = a.get("/api/v1/figures/cluster/", query).json()
    assert body["hidden_units"] == 1 and [m["unit"]["code"] for m in body["members"]] == ["HA"]
    assert body["total"][0]["value"] == "12.00"
    assert b.get("/api/v1/figures/cluster/", {**query, "cluster": 987654}).status_code == 404

    ranking = national.get(
        "/api/v1/ranking/", {"units": "HA,HB", "period": year.pk, "by": "pct:phat_trien_dv"}
    ).json()
    assert [(r["unit"]["code"], r["rank"], r["rank_text"]) for r in ranking["rows"]] == [
        ("HA", 1, "thứ nhất/2"),
        ("HB", 2, "thứ 2/2"),
    ]
    assert ranking["rows"][0]["value"] == "120.00"
    # Officer B learns its own rank among its siblings, nothing about unit A.
    response = b.get(
        "/api/v1/ranking/",
        {"among": "siblings", "unit": "HB", "period": year.pk, "by": "phat_trien_dv"},
    )
    ranking = response.json()
    assert ranking["of"] == 2 and ranking["hidden_units"] == 1
    assert [(r["unit"]["code"], r["rank"]) for r in ranking["rows"]] == [("HB", 2)]
    assert MARKER_A not in response.content.decode()
    assert (
        b.get(
            "/api/v1/ranking/", {"units": "HA,HB", "period": year.pk, "by": "phat_trien_dv"}
        ).status_code
        == 404
    )
    ranking = national.get(
        "/api/v1/ranking/", {"cluster": cluster.pk, "period": year.pk, "by": "achievement"}
    ).json()
    assert [r["unit"]["code"] for r in ranking["rows"]] == ["HA", "HB"]
    assert ranking["rows"][0]["achievement"]["exceeded"] == 1
    assert ranking["rows"][1]["value"] is None
    response = national.get("/api/v1/ranking/", {"period": year.pk, "by": "phat_trien_dv"})
    assert response.status_code == 400 and response.json()["field"] == "units"
    response = national.get("/api/v1/ranking/", {"units": "HA", "period": year.pk, "by": "pct:"})
    assert response.status_code == 400 and response.json()["field"] == "by"


# ---------------------------------------------------------------------------------------------
# Query budgets


def _queries(client, url, params=None) -> tuple[int, dict]:
    client.get(url, params)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.json()


def test_list_query_budgets(world, client_of, year):
    from congdoan.organisation import services as org

    units = [
        org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"AX{i}",
            name=f"CĐCS {MARKER_A} {i}",
            short_name=f"CĐCS {i}",
            unit_type=UnitType.objects.get(code="cdcs"),
            day=world.unit_a.founded_on,
        )
        for i in range(12)
    ]
    for unit in units:
        enter(world, unit, year, suat_qua=1)
        assign_target(
            actor=world.national, unit=unit, indicator=ind("suat_qua"), period=year, value=2
        )
    api = client_of("officer_a")
    # Session, user, second factor (2), grants, count, page: not one more per row.
    for url in ("/api/v1/sheets/", "/api/v1/targets/"):
        count, body = _queries(api, url)
        assert body["count"] == 12 and count <= 8, (url, count)
    count, body = _queries(api, "/api/v1/periods/")
    assert count <= 7
    count, body = _queries(api, "/api/v1/indicators/")
    assert count <= 6
    count, body = _queries(api, "/api/v1/data-sets/")
    assert count <= 8
    # Figures of a unit and its children: a fixed number of queries whatever their number.
    count, body = _queries(
        api,
        "/api/v1/figures/",
        {"unit": "HA", "period": year.pk, "indicators": "suat_qua", "children": 1},
    )
    # (suat_qua may be kept in the care register: its records' subtree totals are 4 more.)
    assert len(body["children"]) == 14 and count <= 18, count
