"""The tree's search follows the chosen "as of" date: units as they were on that day (names,
codes, places, where they stood), units dissolved since included; without a date, today's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A
from congdoan.organisation import services as org
from congdoan.organisation.models import UnitVersion

RENAMED = dt.date(2022, 1, 1)
MOVED = dt.date(2023, 1, 1)
DISSOLVED = dt.date(2024, 1, 1)


def search(client, q, **params):
    response = client.get(reverse("organisation:tree_search"), {"q": q, **params})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def changed(world):
    """A1 renamed and recoded (A1 → A1M) and moved into Lai Châu on 01/01/2022; unit A renamed
    on 01/01/2023; A2 dissolved on 01/01/2024."""
    org.unit_update(
        actor=None,
        unit=world.grass_a1,
        day=RENAMED,
        name=f"CĐCS {MARKER_A} Mới Đổi",
        short_name="",
        code="A1M",
        address="Số 5 đường Trần Hưng Đạo",
    )
    new_a = f"Công đoàn phường {MARKER_A}"
    org.unit_update(actor=None, unit=world.unit_a, day=MOVED, name=new_a, short_name=new_a)
    org.unit_dissolve(actor=None, unit=world.grass_a2, day=DISSOLVED)
    return world


def test_names_and_codes_of_that_day(client_of, changed):
    client = client_of("officer_a")
    before = search(client, "alpha mot", as_of="2021-06-01")
    assert f"CĐCS {MARKER_A} Một" in before
    assert f"Tên hiện nay: CĐCS {MARKER_A} Mới Đổi" in before  # today's name, for reference
    assert '<code class="small">A1</code>' in before
    assert "Tìm thấy 1 đơn vị có ngày 01/06/2021" in before
    # The name it has today did not exist then, and today's search finds only today's name.
    assert "Tìm thấy 0 đơn vị có ngày 01/06/2021" in search(client, "moi doi", as_of="2021-06-01")
    assert "Tìm thấy 0 đơn vị" in search(client, "alpha mot")
    assert "A1M" in search(client, "a1m") and "A1M" not in search(client, "a1m", as_of="01/06/2021")


def test_place_and_path_of_that_day(client_of, changed):
    client = client_of("officer_a")
    later = search(client, "moi doi", as_of="2022-06-01")
    assert "Số 5 đường Trần Hưng Đạo" in later
    # Its parent is named as it was then (renamed on 01/01/2023), linked for who may open it.
    assert f"LĐLĐ huyện {MARKER_A}" in later and "Công đoàn phường" not in later
    assert reverse("organisation:unit_detail", args=[changed.unit_a.pk]) in later
    assert "Số 5" not in search(client, "alpha mot", as_of="2021-06-01")  # no address then
    assert f"Công đoàn phường {MARKER_A}" in search(client, "moi doi", as_of="2023-06-01")


def test_units_dissolved_since_are_found(client_of, changed):
    client = client_of("officer_a")
    then = search(client, "alpha hai", as_of="30/06/2023")
    assert f"CĐCS {MARKER_A} Hai" in then and "sau này giải thể ngày 01/01/2024" in then
    assert f"CĐCS {MARKER_A} Hai" not in search(client, "alpha hai")  # hidden today …
    assert f"CĐCS {MARKER_A} Hai" in search(client, "alpha hai", show_dissolved="1")  # … unless
    # After its dissolution it no longer stood in the tree.
    assert f"CĐCS {MARKER_A} Hai" not in search(client, "alpha hai", as_of="2024-06-01")


def test_units_not_yet_founded_are_not_found(client_of, world):
    assert "ALPHA" not in search(client_of("officer_a"), "alpha", as_of="2019-12-31")


def test_scope_is_todays(client_of, changed):
    assert MARKER_A not in search(client_of("officer_b"), "alpha", as_of="2021-06-01")
    body = search(client_of("national"), "alpha", as_of="2021-06-01")
    assert f"CĐCS {MARKER_A} Một" in body and f"CĐCS {MARKER_A} Hai" in body


def test_the_tree_page_sends_its_date_with_the_search(client_of, world):
    client = client_of("officer_a")
    page = client.get(reverse("organisation:tree"), {"as_of": "01/06/2021"}).content.decode()
    assert 'name="as_of" id="tree-search-as-of" value="2021-06-01"' in page
    assert 'hx-include="#tree-search-as-of"' in page
    assert "Tìm đơn vị như ngày 01/06/2021" in page
    today = client.get(reverse("organisation:tree")).content.decode()
    assert "tree-search-as-of" not in today and 'hx-include="#id_show_dissolved"' in today


def test_a_bad_date_searches_todays_tree(client_of, changed):
    body = search(client_of("officer_a"), "moi doi", as_of="31/02/2021")
    assert f"CĐCS {MARKER_A} Mới Đổi" in body and "Tìm thấy 1 đơn vị" in body


def test_query_budget(client_of, changed, django_assert_max_num_queries):
    client = client_of("officer_a")
    with django_assert_max_num_queries(10):
        body = search(client, "alpha", as_of="2023-06-01")
    assert body.count("list-group-item") >= 4


def test_versions_recorded_before_the_column_are_filled(world):
    """The migration that added the column folds the names of the versions already there."""
    from importlib import import_module

    UnitVersion.objects.update(search_text="")
    import_module("congdoan.organisation.migrations.0007_unitversion_search_text").fill(apps, None)
    version = UnitVersion.objects.get(unit=world.grass_a1)
    assert version.search_text == "cdcs alpha mot cdcs alpha mot a1"
    assert [v.unit_id for v in UnitVersion.objects.on(dt.date(2021, 1, 1)).search("ALPHA MỘT")] == [
        world.grass_a1.pk
    ]
