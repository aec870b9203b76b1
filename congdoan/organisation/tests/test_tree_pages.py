"""The home page, the tree browser (current and as of a date), search and the unit picker."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.tests.support import MARKER_A, make_user, unit_type
from congdoan.organisation import services as org

RENAMED = dt.date(2022, 1, 1)
MOVED = dt.date(2023, 1, 1)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def children(client, unit, **params):
    return html(client.get(reverse("organisation:tree_children", args=[unit.pk]), params))


@pytest.fixture
def reshaped(world):
    """A1 renamed on 01/01/2022; A2 moved from unit A to unit B on 01/01/2023."""
    new = f"CĐCS {MARKER_A} Một Mới"
    org.unit_update(
        actor=world.national, unit=world.grass_a1, day=RENAMED, name=new, short_name=new
    )
    org.unit_move(actor=world.national, unit=world.grass_a2, new_parent=world.unit_b, day=MOVED)
    return world


def test_home_lists_the_users_top_units_with_counts(client_of, world):
    body = html(client_of("officer_a").get(reverse("organisation:home")))
    assert "LĐLĐ huyện ALPHA" in body
    assert "Đơn vị trực thuộc" in body
    assert reverse("organisation:tree") in body
    assert reverse("organisation:cluster_list") in body
    assert reverse("reorganisation:start") in body
    assert "BETA" not in body


def test_tree_shows_the_users_roots_and_their_children(client_of, world):
    body = html(client_of("officer_a").get(reverse("organisation:tree")))
    assert "Cây tổ chức" in body
    assert "LĐLĐ huyện ALPHA" in body and "CĐCS ALPHA Một" in body and "CĐCS ALPHA Hai" in body
    assert "BETA" not in body and "Thử Nghiệm" in body  # the parent of A is named, not shown
    # The grandchild is loaded lazily, through the fragment of its parent.
    assert "Tổ CĐ ALPHA" not in body
    assert reverse("organisation:tree_children", args=[world.grass_a1.pk]) in body
    assert 'hx-trigger="toggle once"' in body
    body = children(client_of("officer_a"), world.grass_a1)
    assert "Tổ CĐ ALPHA" in body and "A1T1" in body


def test_national_tree_starts_at_the_root(client_of, world):
    body = html(client_of("national").get(reverse("organisation:tree")))
    assert "Tổng LĐLĐ" in body and "LĐLĐ tỉnh Thử Nghiệm" in body
    body = children(client_of("national"), world.province)
    assert "ALPHA" in body and "BETA" in body


def test_dissolved_units_are_hidden_unless_asked_for(client_of, world):
    org.unit_dissolve(actor=None, unit=world.grass_a2, day=dt.date(2024, 1, 1))
    client = client_of("officer_a")
    assert "CĐCS ALPHA Hai" not in children(client, world.unit_a)
    body = children(client, world.unit_a, show_dissolved="1")
    assert "CĐCS ALPHA Hai" in body and "01/01/2024" in body
    page = html(client.get(reverse("organisation:tree"), {"show_dissolved": "1"}))
    assert "CĐCS ALPHA Hai" in page
    assert "CĐCS ALPHA Hai" not in html(client.get(reverse("organisation:tree")))


def test_tree_as_of_a_date_shows_old_names_and_parents(client_of, reshaped):
    w = reshaped
    client = client_of("national")
    before = children(client, w.unit_a, as_of="2021-06-01")
    assert "CĐCS ALPHA Một" in before and "Một Mới" not in before
    assert "CĐCS ALPHA Hai" in before
    assert "as_of=2021-06-01" in before  # deeper nodes keep the date
    now = children(client, w.unit_a)
    assert "Một Mới" in now and "CĐCS ALPHA Hai" not in now
    # A2 stood under A until 01/01/2023 and under B since.
    assert "ALPHA Hai" not in children(client, w.unit_b, as_of="2022-12-31")
    assert "ALPHA Hai" in children(client, w.unit_b, as_of="2023-01-01")
    between = children(client, w.unit_a, as_of="2022-06-01")
    assert "Một Mới" in between and "ALPHA Hai" in between


def test_tree_page_as_of_accepts_vietnamese_dates(client_of, reshaped):
    client = client_of("officer_a")
    body = html(client.get(reverse("organisation:tree"), {"as_of": "01/06/2021"}))
    assert "01/06/2021" in body
    assert "CĐCS ALPHA Một" in body and "Một Mới" not in body
    # A2 belongs to unit B now: scope follows today's tree, so officer A no longer sees it.
    assert "CĐCS ALPHA Hai" not in body
    body = html(client.get(reverse("organisation:tree"), {"as_of": "31/02/2021"}))
    assert "dd/mm/yyyy" in body  # the error names the expected format; today's tree is shown
    assert "Một Mới" in body


def test_tree_as_of_before_the_unit_existed(client_of, world):
    body = html(client_of("officer_a").get(reverse("organisation:tree"), {"as_of": "01/01/2019"}))
    assert "ALPHA" not in body


def test_officer_b_cannot_open_a_node_of_a(client_of, world):
    response = client_of("officer_b").get(
        reverse("organisation:tree_children", args=[world.unit_a.pk])
    )
    assert response.status_code == 404


@pytest.fixture
def named_units(world):
    def make(code, name):
        return org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=code,
            name=name,
            unit_type=unit_type("cdcs"),
            day=dt.date(2021, 1, 1),
        )

    return {
        "nd": make("ND", "CĐCS Công ty NGUYỄN ĐỨC CẢNH"),
        "hb": make("HB1", "CĐCS Công ty Hòa Bình"),
        "hl": make("HL1", "CĐCS Trường Hoà Lạc"),
        "th": make("TH1", "CĐCS Công ty Thủy sản"),
    }


@pytest.mark.parametrize(
    ("query", "found", "missing"),
    [
        ("nguyen duc", ["NGUYỄN ĐỨC CẢNH"], ["Hòa Bình"]),
        ("NGUYỄN đức", ["NGUYỄN ĐỨC CẢNH"], []),
        ("hoa", ["Hòa Bình", "Hoà Lạc"], ["NGUYỄN"]),
        ("hòa", ["Hòa Bình", "Hoà Lạc"], []),
        ("hoà", ["Hòa Bình", "Hoà Lạc"], []),
        (unicodedata.normalize("NFD", "Hòa Bình"), ["Hòa Bình"], ["Hoà Lạc"]),
        ("thuy", ["Thủy sản"], []),
        ("hb1", ["Hòa Bình"], []),
    ],
)
def test_search_ignores_diacritics_and_case(client_of, named_units, query, found, missing):
    body = html(client_of("officer_a").get(reverse("organisation:tree_search"), {"q": query}))
    for text in found:
        assert text in body
    for text in missing:
        assert text not in body


def test_search_shows_the_path_and_stays_in_scope(client_of, named_units, world):
    body = html(client_of("officer_a").get(reverse("organisation:tree_search"), {"q": "hoa binh"}))
    # Path: the ancestors, linked where the user may open them.
    assert "Tổng LĐLĐ" in body and "LĐLĐ tỉnh Thử Nghiệm" in body
    assert reverse("organisation:unit_detail", args=[world.unit_a.pk]) in body
    assert reverse("organisation:unit_detail", args=[world.province.pk]) not in body
    body = html(client_of("officer_b").get(reverse("organisation:tree_search"), {"q": "hoa"}))
    assert "Hòa Bình" not in body
    assert (
        html(client_of("officer_a").get(reverse("organisation:tree_search"), {"q": " "})).strip()
        == ""
    )


def test_unit_picker_lists_at_most_15_active_first(client_of, world):
    for i in range(18):
        org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"P{i:02d}",
            name=f"CĐCS Phú Lợi {i:02d}",
            unit_type=unit_type("cdcs"),
            day=dt.date(2021, 1, 1),
        )
    org.unit_create(
        actor=None,
        parent=world.unit_a,
        code="PX",
        name="CĐCS Phú Lợi cũ",
        unit_type=unit_type("cdcs"),
        day=dt.date(2021, 1, 1),
    )
    from congdoan.organisation.models import Unit

    org.unit_dissolve(actor=None, unit=Unit.objects.get(code="PX"), day=dt.date(2022, 1, 1))
    body = html(client_of("officer_a").get(reverse("organisation:unit_picker"), {"q": "phu loi"}))
    assert body.count("list-group-item-action") == 15
    assert "Phú Lợi cũ" not in body  # dissolved units come last
    body = html(client_of("officer_a").get(reverse("organisation:unit_picker"), {"q": "px"}))
    assert "Phú Lợi cũ" in body  # the exact code comes first
    body = html(client_of("officer_b").get(reverse("organisation:unit_picker"), {"q": "phu loi"}))
    assert "Phú Lợi" not in body


def test_viewer_without_reorganise_gets_no_reorganisation_link_on_home(client, world):
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    body = html(client.get(reverse("organisation:home")))
    assert "LĐLĐ huyện ALPHA" in body
    assert reverse("reorganisation:start") + '"' not in body.split("</nav>", 1)[1]


def test_tree_query_budget(client_of, world, django_assert_max_num_queries):
    for i in range(25):
        unit = org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"Q{i:02d}",
            name=f"CĐCS Quy mô {i:02d}",
            unit_type=unit_type("cdcs"),
            day=dt.date(2021, 1, 1),
        )
        org.unit_create(
            actor=None,
            parent=unit,
            code=f"Q{i:02d}T",
            name=f"Tổ {i:02d}",
            unit_type=unit_type("to_cd"),
            day=dt.date(2021, 1, 1),
        )
    # A fixed number of queries whatever the number of nodes (about 11 and 8 today; the
    # headroom is for session and authentication middleware).
    client = client_of("officer_a")
    with django_assert_max_num_queries(15):
        html(client.get(reverse("organisation:tree")))
    with django_assert_max_num_queries(15):
        html(client.get(reverse("organisation:tree"), {"as_of": "01/06/2021"}))
    with django_assert_max_num_queries(12):
        children(client, world.unit_a)
    with django_assert_max_num_queries(12):
        children(client, world.unit_a, as_of="2021-06-01")
    with django_assert_max_num_queries(12):
        html(client.get(reverse("organisation:tree_search"), {"q": "quy mo"}))
