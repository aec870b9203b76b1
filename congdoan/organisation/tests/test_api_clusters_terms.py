"""The clusters, terms and catalogue endpoints."""

from __future__ import annotations

import datetime as dt

from congdoan.core.tests.support import MARKER_A
from congdoan.core.tests.url_cases import make_cluster_a, make_term_a
from congdoan.organisation.models import Cluster, ClusterMembership, CommitteeSeat, Position, Term


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def codes(rows):
    return [r["code"] for r in rows]


# ---------------------------------------------------------------------------------------------
# Clusters


def test_cluster_with_memberships_per_year_and_head(world, client_of):
    cluster = make_cluster_a(world)
    ClusterMembership.objects.create(cluster=cluster, year=2025, unit=world.grass_a2, is_head=True)
    data = get(client_of("officer_a"), f"/api/v1/clusters/{cluster.pk}/")
    assert data["code"] == "cum-alpha" and data["kind"] == "cluster"
    assert data["organiser"]["code"] == "HA"
    assert [y["year"] for y in data["years"]] == [2025, 2024]
    y2024 = data["years"][1]
    assert y2024["head"]["code"] == "A1"
    assert codes(y2024["members"]) == ["A1", "A2"]
    assert data["years"][0]["head"]["code"] == "A2"
    only_2024 = get(client_of("officer_a"), f"/api/v1/clusters/{cluster.pk}/", year=2024)
    assert [y["year"] for y in only_2024["years"]] == [2024]


def test_year_without_head(world, client_of):
    cluster = make_cluster_a(world)
    ClusterMembership.objects.create(cluster=cluster, year=2026, unit=world.grass_a1)
    data = get(client_of("national"), f"/api/v1/clusters/{cluster.pk}/", year=2026)
    assert data["years"] == [{"year": 2026, "head": None, "members": data["years"][0]["members"]}]


def test_cluster_filters(world, client_of):
    make_cluster_a(world)
    block = Cluster.objects.create(
        code="khoi-b", name="Khối thi đua BETA", kind="block", organiser=world.unit_b
    )
    ClusterMembership.objects.create(cluster=block, year=2025, unit=world.grass_b1, is_head=True)
    c = client_of("national")
    assert codes(get(c, "/api/v1/clusters/")["results"]) == ["cum-alpha", "khoi-b"]
    assert codes(get(c, "/api/v1/clusters/", kind="block")["results"]) == ["khoi-b"]
    assert codes(get(c, "/api/v1/clusters/", year=2024)["results"]) == ["cum-alpha"]
    rows = get(c, "/api/v1/clusters/", year=2025)["results"]
    assert codes(rows) == ["khoi-b"] and [y["year"] for y in rows[0]["years"]] == [2025]
    assert codes(get(c, "/api/v1/clusters/", unit=world.grass_a2.pk)["results"]) == ["cum-alpha"]
    assert codes(get(c, "/api/v1/clusters/", organiser=world.unit_b.pk)["results"]) == ["khoi-b"]
    assert codes(get(client_of("officer_b"), "/api/v1/clusters/")["results"]) == ["khoi-b"]
    response = c.get("/api/v1/clusters/", {"kind": "team"})
    assert response.status_code == 400 and response.json()["field"] == "kind"


def test_cluster_visible_to_a_member_unit(world, client_of):
    """A cluster organised above B but with B1 as member is visible to officer B."""
    cluster = Cluster.objects.create(code="cum-tinh", name="Cụm tỉnh", organiser=world.province)
    ClusterMembership.objects.create(cluster=cluster, year=2024, unit=world.grass_b1, is_head=True)
    assert codes(get(client_of("officer_b"), "/api/v1/clusters/")["results"]) == ["cum-tinh"]
    assert get(client_of("officer_a"), "/api/v1/clusters/")["results"] == []


# ---------------------------------------------------------------------------------------------
# Terms


def test_term_list_and_detail_with_seats(world, client_of):
    term = make_term_a(world)
    Term.objects.create(unit=world.unit_a, number=5, start_year=2018, end_year=2023)
    c = client_of("officer_a")
    rows = get(c, "/api/v1/terms/", unit=world.grass_a1.pk)["results"]
    assert [r["id"] for r in rows] == [term.pk]
    assert rows[0]["unit"]["name"] == f"CĐCS {MARKER_A} Một"
    assert rows[0]["roman"] == "XI" and rows[0]["start_year"] == 2023
    assert "seats" not in rows[0]
    detail = get(c, f"/api/v1/terms/{term.pk}/")
    assert detail["congress_date"] == "2023-05-10"
    [seat] = detail["seats"]
    assert seat["committee"] == "bch"
    assert seat["position"]["code"] == "chu_tich"
    assert seat["full_name"] == "Lê Thị Hồng"
    assert seat["end_date"] is None


def test_term_filters(world, client_of):
    make_term_a(world)
    Term.objects.create(unit=world.unit_a, number=5, start_year=2018, end_year=2023)
    Term.objects.create(unit=world.unit_b, number=5, start_year=2018, end_year=2023)
    c = client_of("national")

    def numbers(**params):
        return sorted(
            (r["unit"]["code"], r["number"]) for r in get(c, "/api/v1/terms/", **params)["results"]
        )

    assert numbers(under=world.unit_a.pk) == [("A1", 11), ("HA", 5)]
    assert numbers(year=2024) == [("A1", 11)]
    assert numbers(year=2020) == [("HA", 5), ("HB", 5)]
    assert numbers(unit=world.unit_b.pk) == [("HB", 5)]
    assert [
        r["unit"]["code"] for r in get(client_of("officer_b"), "/api/v1/terms/")["results"]
    ] == ["HB"]


# ---------------------------------------------------------------------------------------------
# Catalogues


def test_catalogues_are_readable_by_everyone_signed_in(world, client_of):
    c = client_of("officer_b")
    levels = get(c, "/api/v1/levels/")
    assert [lv["code"] for lv in levels][:2] == ["central", "provincial"]
    sectors = get(c, "/api/v1/sectors/", code="giao_duc")
    assert [s["name"] for s in sectors] == ["Giáo dục"]
    ownership = get(c, "/api/v1/ownership-types/", is_state="true")
    assert {"dnnn", "dvsn", "cq_hcnn"} <= set(codes(ownership))
    positions = get(c, "/api/v1/positions/", committee="ubkt")
    assert codes(positions) == ["chu_nhiem_ubkt", "pho_chu_nhiem_ubkt", "uv_ubkt"]
    chair = Position.objects.get(code="chu_tich")
    assert get(c, f"/api/v1/positions/{chair.pk}/")["name"] == "Chủ tịch"


def test_unit_types_with_validity_dates(world, client_of):
    c = client_of("officer_a")
    types = {t["code"]: t for t in get(c, "/api/v1/unit-types/")}
    assert types["ldld_huyen"]["valid_to"] == "2025-06-30"
    assert types["cd_xa"]["valid_from"] == "2025-07-01"
    assert types["cdcs"]["level"]["code"] == "grassroots" and types["cdcs"]["is_grassroots"]
    before = codes(get(c, "/api/v1/unit-types/", valid_on="2025-06-30"))
    after = codes(get(c, "/api/v1/unit-types/", valid_on="2025-07-01"))
    assert "ldld_huyen" in before and "cd_xa" not in before
    assert "cd_xa" in after and "ldld_huyen" not in after
    assert codes(get(c, "/api/v1/unit-types/", level="grassroots")) == ["cdcs", "nghiep_doan"]


def test_seat_history_is_kept_in_order(world, client_of):
    term = make_term_a(world)
    CommitteeSeat.objects.create(
        term=term,
        committee="ubkt",
        position=Position.objects.get(code="chu_nhiem_ubkt"),
        full_name="Phạm Văn Kiên",
        start_date=dt.date(2023, 5, 10),
        end_date=dt.date(2024, 12, 31),
        end_reason="Nghỉ hưu",
    )
    seats = get(client_of("national"), f"/api/v1/terms/{term.pk}/")["seats"]
    assert [(s["committee"], s["end_reason"]) for s in seats] == [("bch", ""), ("ubkt", "Nghỉ hưu")]
