"""Property tests of the member list: a name is found however it is typed (NFC, NFD, upper case,
without diacritics, with the other tone placement), and lists follow the official Vietnamese
order (given name, family name, middle name)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.core.text import sort_key
from congdoan.members.models import Member
from congdoan.members.services import member_admit

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Lò", "Quàng",
            "Sùng", "Thào", "Giàng", "Lường", "Cà", "Tòng", "Ngô", "Dương", "Ưng"]  # fmt: skip
MIDDLES = ["", "Văn", "Thị", "Đức", "Hữu", "Ngọc", "Thị Thu", "A", "Minh"]
# Syllables whose tone mark sits on one of two vowels depending on the typing style.
TWO_STYLES = [
    ("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("Khoẻ", "Khỏe"), ("Toàn", "Toàn"), ("Loan", "Loan"),
    ("Thoả", "Thỏa"), ("Huỳnh", "Huỳnh"), ("Tuý", "Túy"), ("Hoạ", "Họa"), ("Xoè", "Xòe"),
    ("Quý", "Quý"), ("Luỹ", "Lũy"),
]  # fmt: skip
GIVEN = ["Anh", "Ánh", "Ân", "Bình", "Dũng", "Đức", "Hà", "Hạ", "Hải", "Hưng", "Lan", "Mỵ",
         "Ngọc", "Ơn", "Sềnh", "Tư", "Tú", "Ưng", "Yến", "Pấn", "Chứ", "Mẩy"]  # fmt: skip


def strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


names = st.tuples(
    st.sampled_from(FAMILIES),
    st.sampled_from(MIDDLES),
    st.one_of(st.sampled_from(GIVEN), st.sampled_from(TWO_STYLES)),
)


def _admit(world, family, middle, given_name, unit=None):
    return member_admit(
        actor=None,
        unit=unit or world.grass_a1,
        family_name=family,
        middle_name=middle,
        given_name=given_name,
        sex="F",
        admitted_on=dt.date(2021, 1, 1),
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names, data=st.data())
def test_search_finds_every_spelling(world, name, data):
    family, middle, given_part = name
    stored, other = given_part if isinstance(given_part, tuple) else (given_part, given_part)
    if data.draw(st.booleans()):  # store either style
        stored, other = other, stored
    member = _admit(world, family, middle, stored)
    full = " ".join(p for p in (family, middle, stored) if p)
    variants = {
        full,
        unicodedata.normalize("NFD", full),
        full.upper(),
        full.lower(),
        strip(full),
        strip(full).lower(),
        " ".join(p for p in (family, middle, other) if p),  # the other tone placement
        unicodedata.normalize("NFD", other),
        f"{strip(family)} {strip(stored)}",  # words, not the whole name
    }
    for text in variants:
        assert Member.objects.filter(pk=member.pk).search(text).exists(), text
    # The same through the page, scoped to officer A, typed without diacritics.
    client = Client()
    client.force_login(world.officer_a)
    response = client.get(reverse("members:member_list"), {"q": strip(full).lower()})
    assert f'href="/members/{member.pk}/"' in response.content.decode()
    # Officer B does not find it.
    client.force_login(world.officer_b)
    response = client.get(reverse("members:member_list"), {"q": strip(full).lower()})
    assert f'href="/members/{member.pk}/"' not in response.content.decode()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(names, min_size=2, max_size=10))
def test_lists_follow_the_official_order(world, people):
    Member.objects.filter(unit=world.grass_a2).delete()
    for family, middle, given_part in people:
        given_name = given_part[0] if isinstance(given_part, tuple) else given_part
        _admit(world, family, middle, given_name, unit=world.grass_a2)
    got = list(
        Member.objects.filter(unit=world.grass_a2)
        .in_vietnamese_order()
        .values_list("given_name", "family_name", "middle_name")
    )
    expected = sorted(got, key=lambda r: (sort_key(r[0]), sort_key(r[1]), sort_key(r[2])))
    assert [tuple(map(lambda s: sort_key(s), r)) for r in got] == [
        tuple(map(lambda s: sort_key(s), r)) for r in expected
    ]
