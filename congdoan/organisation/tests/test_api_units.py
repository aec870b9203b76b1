"""The units API: lists and filters, one unit, its actions, the tree as of a date."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.utils import timezone

from congdoan.core.tests.support import MARKER_A, unit_type
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit

UNITS = "/api/v1/units/"
BEFORE_REFORM = dt.date(2025, 6, 30)
REFORM = dt.date(2025, 7, 1)


def codes(rows):
    return [r["code"] for r in rows]


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


# ---------------------------------------------------------------------------------------------
# List and filters


def test_list_is_scoped_and_in_tree_order(world, client_of):
    assert codes(get(client_of("officer_a"), UNITS)["results"]) == ["HA", "A1", "A1T1", "A2"]
    assert codes(get(client_of("officer_b"), UNITS)["results"]) == ["HB", "B1"]
    national = get(client_of("national"), UNITS)
    assert national["count"] == 8
    assert codes(national["results"])[:2] == ["TLD", "TN"]


def test_list_row_shape(world, client_of):
    row = get(client_of("officer_a"), UNITS, code="a1")["results"][0]
    assert row["id"] == world.grass_a1.pk
    assert row["parent"] == world.unit_a.pk
    assert row["unit_type"]["code"] == "cdcs"
    assert row["level"]["code"] == "grassroots"
    assert row["is_active"] is True
    assert row["founded_on"] == "2020-01-01"


@pytest.mark.parametrize(
    "text",
    [
        "cdcs alpha mot",
        "CĐCS ALPHA MỘT",
        unicodedata.normalize("NFD", "cđcs alpha một"),  # as typed on macOS
        "alpha  MOT",
    ],
)
def test_search_ignores_diacritics_case_and_normal_form(world, client_of, text):
    assert codes(get(client_of("national"), UNITS, q=text)["results"]) == ["A1"]


def test_search_stays_in_scope(world, client_of):
    assert get(client_of("officer_b"), UNITS, q="alpha")["results"] == []


def test_filters(world, client_of):
    c = client_of("national")
    assert codes(get(c, UNITS, parent=world.unit_a.pk)["results"]) == ["A1", "A2"]
    assert codes(get(c, UNITS, under=world.unit_a.pk)["results"]) == ["HA", "A1", "A1T1", "A2"]
    assert codes(get(c, UNITS, type="cdcs")["results"]) == ["A1", "A2", "B1"]
    assert codes(get(c, UNITS, level="above_grassroots")["results"]) == ["HA", "HB"]
    assert codes(get(c, UNITS, code=" hb ")["results"]) == ["HB"]
    assert get(c, UNITS, under=999999)["results"] == []


def test_under_a_unit_outside_scope_is_empty(world, client_of):
    assert get(client_of("officer_b"), UNITS, under=world.unit_a.pk)["results"] == []


def test_active_and_dissolved_filters(world, client_of):
    org.unit_dissolve(
        actor=None, unit=world.grass_a2, day=dt.date(2024, 1, 1), members_to=world.grass_a1
    )
    c = client_of("officer_a")
    assert codes(get(c, UNITS, active="true")["results"]) == ["HA", "A1", "A1T1"]
    assert codes(get(c, UNITS, active="false")["results"]) == ["A2"]
    assert "A2" in codes(get(c, UNITS, active_on="2023-12-31")["results"])
    assert "A2" not in codes(get(c, UNITS, active_on="2024-01-01")["results"])


def test_province_filter_and_address(world, client_of):
    org.unit_update(
        actor=None,
        unit=world.grass_a1,
        day=dt.date(2025, 8, 1),
        province_code=91,
        ward_code=31078,
        address="12 Trần Hưng Đạo",
    )
    c = client_of("officer_a")
    assert codes(get(c, UNITS, province_code=91)["results"]) == ["A1"]
    detail = get(c, f"{UNITS}{world.grass_a1.pk}/")
    assert detail["address"] == {
        "province_code": 91,
        "province_name": "An Giang",
        "ward_code": 31078,
        "ward_name": "Đặc khu Phú Quốc",
        "street": "12 Trần Hưng Đạo",
    }


def test_invalid_filter_value_answers_400_naming_it(world, client_of):
    response = client_of("national").get(UNITS, {"parent": "abc"})
    assert response.status_code == 400
    assert response.json()["field"] == "parent"
    assert response.json()["detail"]


def test_pagination(world, client_of):
    page = get(client_of("national"), UNITS, limit=3, offset=3)
    assert page["count"] == 8
    assert codes(page["results"]) == ["A1", "A1T1", "A2"]
    assert "offset=6" in page["next"]


# ---------------------------------------------------------------------------------------------
# One unit


def test_detail(world, client_of):
    data = get(client_of("officer_a"), f"{UNITS}{world.grass_a1.pk}/")
    assert data["code"] == "A1"
    assert data["name"] == f"CĐCS {MARKER_A} Một"
    assert data["parent"] == {
        "id": world.unit_a.pk,
        "code": "HA",
        "name": world.unit_a.name,
        "short_name": world.unit_a.short_name,
    }
    assert data["unit_type"]["code"] == "cdcs"
    assert data["level"] == {
        "id": data["level"]["id"],
        "code": "grassroots",
        "name": "Cơ sở",
        "rank": 3,
    }
    assert data["sector"] is None and data["ownership"] is None
    assert data["founded_on"] == "2020-01-01" and data["dissolved_on"] is None


def test_detail_by_code_filter(world, client_of):
    rows = get(client_of("national"), UNITS, code="A1T1")["results"]
    assert [r["id"] for r in rows] == [world.group_a1.pk]


def test_children(world, client_of):
    org.unit_dissolve(
        actor=None, unit=world.grass_a2, day=dt.date(2024, 1, 1), members_to=world.grass_a1
    )
    c = client_of("officer_a")
    url = f"{UNITS}{world.unit_a.pk}/children/"
    assert codes(get(c, url)["results"]) == ["A1"]
    rows = get(c, url, include_dissolved="true")["results"]
    assert codes(rows) == ["A1", "A2"]
    assert rows[1]["is_active"] is False and rows[1]["dissolved_on"] == "2024-01-01"


def test_ancestors_from_the_top_mark_what_the_caller_may_open(world, client_of):
    url = f"{UNITS}{world.group_a1.pk}/ancestors/"
    rows = get(client_of("officer_a"), url)
    assert codes(rows) == ["TLD", "TN", "HA", "A1"]
    assert [r["visible"] for r in rows] == [False, False, True, True]
    assert all(r["visible"] for r in get(client_of("national"), url))


def test_history(world, client_of):
    org.unit_update(actor=None, unit=world.grass_a1, day=dt.date(2023, 3, 1), name="CĐCS ALPHA Mới")
    rows = get(client_of("officer_a"), f"{UNITS}{world.grass_a1.pk}/history/")
    assert [(r["valid_from"], r["valid_to"], r["name"]) for r in rows] == [
        ("2020-01-01", "2023-03-01", f"CĐCS {MARKER_A} Một"),
        ("2023-03-01", None, "CĐCS ALPHA Mới"),
    ]
    assert rows[0]["parent"]["code"] == "HA"
    assert rows[1]["event"]["kind"] == "update"
    assert rows[1]["event"]["effective_date"] == "2023-03-01"


def test_lineage(world, client_of):
    org.units_merge(
        actor=None, sources=[world.grass_a2], target=world.grass_a1, day=dt.date(2024, 1, 1)
    )
    c = client_of("officer_a")
    merged = get(c, f"{UNITS}{world.grass_a2.pk}/lineage/")
    assert merged["came_from"] == []
    [link] = merged["became"]
    assert link["unit"]["code"] == "A1" and link["unit"]["visible"] is True
    assert link["event"]["kind"] == "merge" and link["event"]["effective_date"] == "2024-01-01"
    receiving = get(c, f"{UNITS}{world.grass_a1.pk}/lineage/")
    assert codes(r["unit"] for r in receiving["came_from"]) == ["A2"]
    assert receiving["became"] == []


# ---------------------------------------------------------------------------------------------
# Subtree and tree as of a date


@pytest.fixture
def reform(world):
    """On 1/7/2025 district A is dissolved: a commune union (under the province) takes A1."""
    commune = org.unit_create(
        actor=None,
        parent=world.province,
        code="XA",
        name=f"Công đoàn xã {MARKER_A} Mới",
        short_name="CĐ xã Alpha",
        unit_type=unit_type("cd_xa"),
        day=REFORM,
    )
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=commune, day=REFORM)
    return commune


def test_subtree_current_and_as_of_a_date(world, client_of, reform):
    c = client_of("national")
    url = f"{UNITS}{world.unit_a.pk}/subtree/"
    assert codes(get(c, url)["results"]) == ["HA", "A2"]
    before = get(c, url, as_of=BEFORE_REFORM.isoformat())["results"]
    assert codes(before) == ["HA", "A1", "A1T1", "A2"]
    assert before[1]["parent"] == world.unit_a.pk and before[1]["id"] == world.grass_a1.pk
    assert codes(get(c, url, as_of="2025-06-30", depth=1)["results"]) == ["HA", "A1", "A2"]
    assert codes(get(c, url, as_of="2025-06-30", depth=0)["results"]) == ["HA"]
    assert get(c, url, as_of="2019-01-01")["results"] == []


def test_subtree_is_limited_to_scope(world, client_of):
    # National sees the province's whole subtree; officer A cannot open the province at all.
    url = f"{UNITS}{world.province.pk}/subtree/"
    assert len(get(client_of("national"), url)["results"]) == 7
    assert client_of("officer_a").get(url).status_code == 404


@pytest.mark.parametrize("bad", ["2025-13-01", "01/07/2025", "yesterday"])
def test_subtree_bad_date_is_400(world, client_of, bad):
    response = client_of("officer_a").get(f"{UNITS}{world.unit_a.pk}/subtree/", {"as_of": bad})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "as_of"
    assert "YYYY-MM-DD" in body["detail"]


def node_codes(nodes):
    return [(n["code"], node_codes(n["children"])) for n in nodes]


def test_tree_as_of_a_date(world, client_of, reform):
    """Children come in Vietnamese name order ("Công đoàn xã…" before "LĐLĐ huyện…")."""
    c = client_of("national")
    params = {"root": world.province.pk, "depth": 3}
    before = get(c, "/api/v1/tree/", as_of="2025-06-30", **params)
    assert before["as_of"] == "2025-06-30" and before["depth"] == 3
    assert node_codes(before["roots"]) == [
        ("TN", [("HA", [("A2", []), ("A1", [("A1T1", [])])]), ("HB", [("B1", [])])])
    ]
    after = get(c, "/api/v1/tree/", as_of="2025-07-01", **params)
    assert node_codes(after["roots"]) == [
        ("TN", [("XA", [("A1", [("A1T1", [])])]), ("HA", [("A2", [])]), ("HB", [("B1", [])])])
    ]
    node = before["roots"][0]
    assert set(node) == {"id", "code", "name", "short_name", "unit_type", "children"}
    assert node["unit_type"]["code"] == "ldld_tinh"


def test_tree_depth_and_default_roots(world, client_of):
    c = client_of("officer_a")
    tree = get(c, "/api/v1/tree/", as_of="2021-01-01", depth=1)
    # Children in Vietnamese name order: "CĐCS ALPHA Hai" before "CĐCS ALPHA Một".
    assert node_codes(tree["roots"]) == [("HA", [("A2", []), ("A1", [])])]
    default = get(c, "/api/v1/tree/")
    assert default["depth"] == 2
    assert default["as_of"] == timezone.localdate().isoformat()
    national = get(client_of("national"), "/api/v1/tree/", depth=0)
    assert node_codes(national["roots"]) == [("TLD", [])]


def test_tree_of_a_root_outside_scope_is_404(world, client_of):
    response = client_of("officer_b").get("/api/v1/tree/", {"root": world.unit_a.pk})
    assert response.status_code == 404
    assert MARKER_A not in response.content.decode()
    assert client_of("officer_b").get("/api/v1/tree/", {"root": 999999}).status_code == 404


def test_tree_leaves_out_units_outside_scope(world, client_of):
    tree = get(client_of("officer_b"), "/api/v1/tree/", as_of="2021-01-01", depth=5)
    assert node_codes(tree["roots"]) == [("HB", [("B1", [])])]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "31/12/2024"}, "as_of"),
        ({"as_of": "2024-02-30"}, "as_of"),
        ({"depth": "-1"}, "depth"),
        ({"depth": "99"}, "depth"),
        ({"root": "abc"}, "root"),
    ],
)
def test_tree_bad_parameters_are_400(world, client_of, params, field):
    response = client_of("national").get("/api/v1/tree/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["detail"]


def test_tree_bad_date_message_is_translated(world, client_of):
    response = client_of("national").get("/api/v1/tree/", {"as_of": "1/7/2025"})
    assert response.json()["detail"] == (
        "Ngày sai định dạng. Dùng một trong những định dạng sau để thay thế: YYYY-MM-DD."
    )
    response = client_of("national").get(
        "/api/v1/tree/", {"as_of": "1/7/2025"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "YYYY-MM-DD" in response.json()["detail"]


def test_unit_moved_out_of_scope_keeps_old_tree_for_new_owner_only(world, client_of):
    """A1 moves from district A to district B: officer A no longer sees it, even as of before."""
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2024, 1, 1))
    tree_a = get(client_of("officer_a"), "/api/v1/tree/", as_of="2023-06-01", depth=5)
    assert node_codes(tree_a["roots"]) == [("HA", [("A2", [])])]
    tree_b = get(client_of("officer_b"), "/api/v1/tree/", as_of="2023-06-01", depth=5)
    assert sorted(c for c, _ in node_codes(tree_b["roots"])) == ["A1", "HB"]
    assert Unit.objects.get(pk=world.grass_a1.pk).parent_id == world.unit_b.pk
