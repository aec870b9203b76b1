import unicodedata

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from congdoan.core.text import sort_key, sort_string
from congdoan.members.models import Member
from congdoan.members.services import member_admit

NAMES = ["An", "Anh", "Ánh", "Ân", "Bình", "Châu", "Chi", "Dũng", "Đức", "Hà", "Hạ", "Hải", "Hoa",
         "Hòa", "Hoàng", "Hùng", "Hưng", "Lan", "Linh", "Long", "Minh", "Nga", "Ngọc", "Oanh", "Ơn",
         "Phương", "Quân", "Thủy", "Thúy", "Trang", "Tú", "Tư", "Uyên", "Ưng", "Vân", "Yến"]  # fmt: skip


WORD = st.sampled_from(NAMES + [n.upper() for n in NAMES] + ["Thị", "Văn", "Thu", "Th"])
# Middle names have several words, one of which may begin another ("Thị" and "Thị Hồng").
NAME = st.lists(WORD, min_size=0, max_size=3).map(" ".join)


@given(st.lists(NAME, min_size=2, max_size=12))
def test_sort_string_orders_like_sort_key(names):
    assert sorted(names, key=sort_string) == sorted(names, key=sort_key)


def test_a_name_sorts_before_the_longer_names_it_begins():
    names = ["Thị Thu", "Thị", "Thị Hồng", "", "Thu", "Thị Thanh", "Th"]
    expected = ["", "Th", "Thị", "Thị Hồng", "Thị Thanh", "Thị Thu", "Thu"]
    assert sorted(names, key=sort_string) == expected
    assert sorted(names, key=sort_key) == expected


@pytest.mark.parametrize("name", ["Nguyễn Thị Hoà", "Lò Văn Thuỷ", "Đặng Đức Khoẻ", "Vũ Hoàng Yến"])
def test_search_finds_every_spelling(world, name):
    family, *middle, given_name = name.split()
    member = member_admit(
        actor=None,
        unit=world.grass_a1,
        family_name=family,
        middle_name=" ".join(middle),
        given_name=given_name,
        sex="F",
        admitted_on=world.member_a.admitted_on,
    )
    variants = {
        name,
        unicodedata.normalize("NFD", name),
        name.upper(),
        "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
        .replace("Đ", "D")
        .replace("đ", "d"),
        name.replace("oà", "òa").replace("uỷ", "ủy").replace("oẻ", "ỏe"),
    }
    for text in variants:
        assert member in Member.objects.search(text), text


def test_official_order_by_given_then_family_then_middle(world):
    people = [
        ("Trần", "Văn", "Bình"),
        ("Lê", "Thị", "An"),
        ("Nguyễn", "Thị", "An"),
        ("Lê", "Văn", "Ánh"),
        ("Lê", "Hồng", "An"),
    ]
    for family, middle, given_name in people:
        member_admit(
            actor=None,
            unit=world.grass_a2,
            family_name=family,
            middle_name=middle,
            given_name=given_name,
            sex="F",
            admitted_on=world.member_a.admitted_on,
        )
    order = [m.full_name for m in Member.objects.filter(unit=world.grass_a2).in_vietnamese_order()]
    assert order == ["Lê Hồng An", "Lê Thị An", "Nguyễn Thị An", "Lê Văn Ánh", "Trần Văn Bình"]


def test_search_keeps_the_official_order_however_it_is_planned(world, monkeypatch):
    """Few matches are sorted through an unindexed copy of the sort key (PostgreSQL), many
    through the order index: the same rows in the same order either way."""
    from congdoan.members import search

    for family, middle, given_name in [
        ("Trần", "Văn", "Phương"),
        ("Lê", "Thị", "Phượng"),
        ("Nguyễn", "Thị", "Phương"),
        ("Lê", "Văn", "Phương"),
        ("Đỗ", "Phương", "Anh"),
    ]:
        member_admit(
            actor=None,
            unit=world.grass_a2,
            family_name=family,
            middle_name=middle,
            given_name=given_name,
            sex="F",
            admitted_on=world.member_a.admitted_on,
        )
    few = Member.objects.search("phuong")
    ordered = [m.full_name for m in few]
    assert ordered == [
        "Đỗ Phương Anh",
        "Lê Văn Phương",
        "Nguyễn Thị Phương",
        "Trần Văn Phương",
        "Lê Thị Phượng",
    ]
    monkeypatch.setattr(search, "FEW_MATCHES", 2)
    many = Member.objects.search("phuong")
    assert [m.full_name for m in many] == ordered
    if connection.vendor == "postgresql":
        order = [str(qs.query).split("ORDER BY")[1] for qs in (few, many)]
        assert "||" in order[0] and "||" not in order[1]


def test_migration_recomputes_the_stored_sort_keys(world):
    from importlib import import_module

    from django.apps import apps

    Member.objects.filter(pk=world.member_a.pk).update(given_sort="stale", middle_sort="stale")
    import_module("congdoan.members.migrations.0007_sort_keys_end_below_a_space").recompute(
        apps, None
    )
    member = Member.objects.get(pk=world.member_a.pk)
    assert member.given_sort == sort_string(member.given_name)
    assert member.middle_sort == sort_string(member.middle_name)
