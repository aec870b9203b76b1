"""Precise name search: each typed word is a whole word of the name (folded), the last may be its
beginning; names written with the diacritics typed come first; the list says how many it found.

The rules are restated here in plain Python (`expected`) and compared, over random names and
queries, with what the list (its filters, the walk of `search.page_ids`, the API) answers; NFC
and NFD spellings of a query answer the same rows in the same order."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.core.text import fold, nfc, sort_key
from congdoan.members import search, selectors
from congdoan.members.filters import MemberFilterSet
from congdoan.members.models import Member
from congdoan.members.services import member_admit

D = dt.date
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
FAMILIES = ["Nguyễn", "Trần", "Hoàng", "Đặng", "Lê"]
MIDDLES = ["", "Thị", "Văn", "Thịnh", "Thị Hoa", "Hoài"]
GIVENS = ["Hoa", "Hoà", "Hòa", "Hoá", "Hoàng", "Hoài", "Thoa", "Khoa", "Thuỷ", "Thủy", "Thúy",
          "Đức", "Dung", "Dũng", "Phương", "Phượng", "An", "Ánh"]  # fmt: skip
OTHER_PLACEMENT = {"Hoà": "Hòa", "Hòa": "Hoà", "Hoá": "Hóa", "Thuỷ": "Thủy", "Thủy": "Thuỷ",
                   "Thúy": "Thuý"}  # fmt: skip


def _admit(world, family, middle, given_name, unit=None):
    return member_admit(
        actor=None,
        unit=unit or world.grass_a1,
        family_name=family,
        middle_name=middle,
        given_name=given_name,
        sex="F",
        admitted_on=D(2021, 1, 1),
    )


def _found(user, params):
    request = type("R", (), {"user": user, "path": "/members/"})()
    fs = MemberFilterSet(params, queryset=selectors.member_list(user), request=request)
    assert fs.is_valid(), fs.errors
    return fs


def listed(user, text):
    """The ids of the member list searched for `text`, in its order."""
    return list(_found(user, {"q": text}).qs.values_list("pk", flat=True))


# ---------------------------------------------------------------------------------------------
# The rules, in plain Python


def spelling(word):
    """(letters with their own marks, tone 0–5) of a word: "hoà" and "hòa" agree."""
    tone, letters = 0, []
    for ch in unicodedata.normalize("NFD", nfc(word).casefold()):
        if ch in TONES:
            tone = TONES[ch]
        else:
            letters.append(ch)
    return unicodedata.normalize("NFC", "".join(letters)), tone


def expected(members, text):
    """The ids of `members` the list must show for `text`, in its order."""
    tokens = [t for t in nfc(text).split() if fold(t)]
    last = len(tokens) - 1

    def matches(m):
        words = fold(m.full_name).split()
        return all(
            any(w == fold(t) or (i == last and w.startswith(fold(t))) for w in words)
            for i, t in enumerate(tokens)
        )

    def exact(m):
        written = [spelling(w) for w in nfc(m.full_name).split()]
        for i, t in enumerate(tokens):
            letters, tone = spelling(t)
            if letters == fold(t) and tone == 0:
                continue  # typed without diacritics
            if i != last and (letters, tone) not in written:
                return False
            if i == last and not any(
                w.startswith(letters) and (tone in (0, t2)) for w, t2 in written
            ):
                return False
        return True

    found = [m for m in members if matches(m)]
    found.sort(
        key=lambda m: (
            not exact(m),
            sort_key(m.given_name),
            sort_key(m.family_name),
            sort_key(m.middle_name),
            m.pk,
        )
    )
    return [m.pk for m in found]


# ---------------------------------------------------------------------------------------------
# Examples


@pytest.fixture
def hoa(world):
    people = [
        ("Nguyễn", "Thị", "Hoà"),
        ("Nguyễn", "Thị", "Hòa"),
        ("Nguyễn", "Thị", "Hoa"),
        ("Nguyễn", "Thị", "Hoá"),
        ("Nguyễn", "Thị", "Hoàng"),
        ("Nguyễn", "Thị", "Thoa"),
        ("Nguyễn", "Văn", "Khoa"),
        ("Nguyễn", "Thịnh", "Hoa"),
        ("Trần", "Thị", "Hoà"),
    ]
    return {" ".join(p): _admit(world, *p) for p in people}


def names(ids):
    by_pk = {m.pk: m.full_name for m in Member.objects.filter(pk__in=ids)}
    return [by_pk[i] for i in ids]


def test_the_names_written_as_typed_come_first_then_the_others(world, hoa):
    assert names(listed(world.officer_a, "Nguyễn Thị Hoà")) == [
        # Hoà and Hòa are one spelling (two tone placements); "Hoà" also begins Hoàng.
        "Nguyễn Thị Hoà",
        "Nguyễn Thị Hòa",
        "Nguyễn Thị Hoàng",
        # Then the others, in the official order; never Thoa, Khoa, Thịnh or Trần.
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hoá",
    ]


def test_without_diacritics_every_spelling_in_the_official_order(world, hoa):
    assert names(listed(world.officer_a, "nguyen thi hoa")) == [
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hoà",
        "Nguyễn Thị Hoá",
        "Nguyễn Thị Hòa",  # tones compared letter by letter (core.text.sort_key)
        "Nguyễn Thị Hoàng",
    ]


def test_only_the_last_word_may_be_a_beginning(world, hoa):
    assert names(listed(world.officer_a, "nguyen thi ho")) == [
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hoà",
        "Nguyễn Thị Hoá",
        "Nguyễn Thị Hòa",  # tones compared letter by letter (core.text.sort_key)
        "Nguyễn Thị Hoàng",
    ]
    assert "Nguyễn Thịnh Hoa" in names(listed(world.officer_a, "hoa thi"))
    assert "Nguyễn Thịnh Hoa" not in names(listed(world.officer_a, "thi hoa"))
    assert names(listed(world.officer_a, "oa")) == []  # inside a word: not a match
    assert names(listed(world.officer_a, "nguyen van kho")) == ["Nguyễn Văn Khoa"]


def test_the_walk_and_the_api_give_the_lists_order(world, hoa, client_of, monkeypatch):
    text = "Nguyễn Thị Hoà"
    order = listed(world.national, text)
    # Through the walk, in windows of one row, each group giving up or not.
    monkeypatch.setattr(search, "FIRST_BATCH", 1)
    monkeypatch.setattr(search, "MAX_BATCH", 2)
    for upto in range(1, len(order) + 2):
        assert search.page_ids(_found(world.national, {"q": text}).qs, text, upto) == order[:upto]
    response = client_of("national").get("/api/v1/members/", {"q": text})
    assert [m["id"] for m in response.json()["results"]] == order


def test_the_list_says_how_many_it_found(world, hoa, client_of, monkeypatch):
    from congdoan.members.views import members as member_pages

    client = client_of("officer_a")
    page = client.get(reverse("members:member_list"), {"q": "nguyen thi hoa"}).content.decode()
    assert "5 đoàn viên" in page and reverse("members:member_count") not in page
    page = client.get(reverse("members:member_list"), {"q": "xyz"}).content.decode()
    assert "0 đoàn viên" in page
    # More than a page: the count comes apart, bounded.
    monkeypatch.setattr(member_pages, "PER_PAGE", 2)
    page = client.get(reverse("members:member_list"), {"q": "nguyen thi hoa"}).content.decode()
    assert f"{reverse('members:member_count')}?q=nguyen+thi+hoa" in page
    assert "Đang đếm" in page
    count = client.get(
        reverse("members:member_count"), {"q": "nguyen thi hoa"}, HTTP_HX_REQUEST="true"
    )
    assert "5 đoàn viên" in count.content.decode()
    # The last page knows the count itself.
    page = client.get(reverse("members:member_list"), {"q": "nguyen thi hoa", "page": 3})
    assert "5 đoàn viên" in page.content.decode()
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    count = client.get(reverse("members:member_count"), {"q": "nguyen thi hoa"})
    assert "Hơn 3 đoàn viên" in count.content.decode()
    # Officer B counts only B's members.
    count = client_of("officer_b").get(reverse("members:member_count"), {"q": "nguyen"})
    assert "0 đoàn viên" in count.content.decode()


def test_counts_are_bounded_whatever_finds_them(world, hoa, monkeypatch):
    n = len(listed(world.national, "nguyen"))
    fs = _found(world.national, {"q": "nguyen"})
    assert n > 3 and fs.found_count(100) == n
    assert fs.found_count(3) == 4  # "more than 3"
    monkeypatch.setattr(search, "WALK_LIMIT", 1)  # the walk gives up: counted by the database
    monkeypatch.setattr(search, "PROBE", 1)
    monkeypatch.setattr(search, "FIRST_BATCH", 1)
    monkeypatch.setattr(search, "MAX_BATCH", 1)
    assert _found(world.national, {"q": "nguyen"}).found_count(3) == 4
    women = Member.objects.filter(sex="F", status="active").count()
    assert _found(world.national, {"q": "", "sex": "F"}).found_count(100) == women


# ---------------------------------------------------------------------------------------------
# Properties

name_parts = st.tuples(st.sampled_from(FAMILIES), st.sampled_from(MIDDLES), st.sampled_from(GIVENS))


@st.composite
def queries(draw, people):
    """Words of one person's name, each typed as it comes (as written, without diacritics, in
    capitals, with the other tone placement), the last one perhaps cut short; or a stray word."""
    family, middle, given_name = draw(st.sampled_from(people))
    words = " ".join(p for p in (family, middle, given_name) if p).split()
    chosen = draw(st.lists(st.sampled_from(words), min_size=1, max_size=3))
    typed = []
    for word in chosen:
        how = draw(st.sampled_from(["as", "plain", "upper", "other"]))
        if how == "plain":
            word = fold(word)
        elif how == "upper":
            word = word.upper()
        elif how == "other":
            word = OTHER_PLACEMENT.get(word, word)
        typed.append(word)
    if draw(st.booleans()):
        typed[-1] = typed[-1][: draw(st.integers(1, len(typed[-1])))]
    if draw(st.integers(0, 9)) == 0:
        typed.append(draw(st.sampled_from(["Xuân", "xyz", "Hoằ"])))
    return " ".join(typed)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), people=st.lists(name_parts, min_size=1, max_size=10))
def test_the_list_follows_the_rules_and_nfc_nfd_find_the_same(world, monkeypatch, data, people):
    Member.objects.exclude(pk__in=[world.member_a.pk, world.member_b.pk]).delete()
    for family, middle, given_name in people:
        _admit(world, family, middle, given_name)
    members = list(Member.objects.filter(unit__path__startswith=world.unit_a.path))
    text = data.draw(queries(people))
    want = expected(members, text)
    assert listed(world.officer_a, text) == want, text
    nfd = unicodedata.normalize("NFD", text)
    assert listed(world.officer_a, nfd) == want, "NFD"
    # The page comes from the walk, in small windows: the same rows.
    monkeypatch.setattr(search, "FIRST_BATCH", data.draw(st.integers(1, 3)))
    monkeypatch.setattr(search, "MAX_BATCH", 4)
    upto = data.draw(st.integers(1, 6))
    for spelled in (text, nfd):
        fs = _found(world.officer_a, {"q": spelled})
        page = fs.page_queryset(1, upto)
        assert list(page.values_list("pk", flat=True)[:upto]) == want[:upto], spelled
        assert fs.found_count(3) == min(len(want), 4)
    # Officer B finds none of them.
    assert not set(listed(world.officer_b, text)) & {m.pk for m in members}
    client = Client()
    client.force_login(world.officer_a)
    response = client.get("/api/v1/members/", {"q": nfd})
    assert [m["id"] for m in response.json()["results"]] == want
