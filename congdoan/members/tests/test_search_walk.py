"""The ordered walk of name searches (`search.first_matches`) and the search words it walks
(`MemberWord`, `SearchWord`, kept by `members.words`).

The walk must return exactly the first rows of the caller's queryset in the official order:
whatever the names, the typed words, the caller's scope and filters, the page, and however small
the batches it reads; and the search words must follow every write of a name, card or phone.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.members import search, selectors, words
from congdoan.members.filters import MemberFilterSet
from congdoan.members.imports import commit_file
from congdoan.members.models import Member, MemberWord, SearchWord
from congdoan.members.services import member_admit, member_update
from congdoan.members.tests.files import member_rows, xlsx_bytes

FAMILIES = ["Nguyễn", "Hoàng", "Lê", "Khoa", "Trần", "Đặng"]
MIDDLES = ["", "Thị", "Văn", "Hoài", "Thị Hoa", "Đức"]
GIVENS = ["Hoa", "Hoà", "Hòa", "Khoa", "An", "Anh", "Phương", "Phượng", "Hoàng", "Thi", "Đức"]
QUERIES = ["hoa", "hoà", "HOANG", "khoa", "thi", "an", "nguyen thi", "thi hoa", "duc", "phuong",
           "hoa hoa", "oa", "z", "nguyen 09", "le van anh", "đức", "Nguyễn Thị Hòa", "Phượng",
           "ho", "thị h", "Đặng"]  # fmt: skip

people = st.lists(
    st.tuples(
        st.sampled_from(FAMILIES),
        st.sampled_from(MIDDLES),
        st.sampled_from(GIVENS),
        st.sampled_from(["a1", "a2", "b1"]),
        st.sampled_from(["", "0912345678", "0988000111"]),
    ),
    min_size=1,
    max_size=14,
)


def _admit(world, family, middle, given_name, unit="a1", phone=""):
    return member_admit(
        actor=None,
        unit=getattr(world, f"grass_{unit}"),
        family_name=family,
        middle_name=middle,
        given_name=given_name,
        sex="F",
        phone=phone,
        admitted_on=dt.date(2021, 1, 1),
    )


def _found(user, params):
    fs = MemberFilterSet(
        params, queryset=selectors.member_list(user), request=type("R", (), {"user": user})()
    )
    assert fs.is_valid(), fs.errors
    return fs.qs


def assert_words_current():
    expected = {
        (m.pk, w, m.given_sort, m.family_sort, m.middle_sort, m.name_fold, m.name_form)
        for m in Member.objects.all()
        for w in words.words_of(m.name_fold)
    }
    got = set(MemberWord.objects.values_list(*words.COLUMNS))
    assert got == expected
    assert {w for _m, w, *_rest in got} <= set(SearchWord.objects.values_list("word", flat=True))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=people,
    query=st.sampled_from(QUERIES),
    who=st.sampled_from(["national", "officer_a", "officer_b"]),
    sex=st.sampled_from(["", "F", "M"]),
    upto=st.integers(1, 12),
    batch=st.integers(1, 4),
    patience=st.sampled_from([(1_000, 50_000), (2, 12), (1, 3)]),
    wide=st.booleans(),
)
def test_the_walk_returns_the_first_rows_of_the_callers_list(
    world, monkeypatch, people, query, who, sex, upto, batch, patience, wide
):
    Member.objects.exclude(pk__in=[world.member_a.pk, world.member_b.pk]).delete()
    for family, middle, given_name, unit, phone in people:
        _admit(world, family, middle, given_name, unit, phone)
    # Tiny batches: the walk goes on from where it stopped, across members holding two of the
    # words it walks ("Hoàng Thị Hoa" holds hoang and hoa, both inside "hoa").
    monkeypatch.setattr(search, "FIRST_BATCH", batch)
    monkeypatch.setattr(search, "MAX_BATCH", batch + 1)
    # … and it may give up (the list then sorts its matches): the page is the same.
    monkeypatch.setattr(search, "PROBE", patience[0])
    monkeypatch.setattr(search, "WALK_LIMIT", patience[1])
    found = _found(getattr(world, who), {"q": query, "sex": sex})
    expected = list(found.values_list("pk", flat=True)[:upto])  # the list's order
    got = search.page_ids(found, query, upto, wide=wide)
    if isinstance(got, search.NoWalk):  # "09" leads no walk; a tiny WALK_LIMIT gives up
        ordered = search.unindexed_order(found, query)
        assert list(ordered.values_list("pk", flat=True)[:upto]) == expected
    else:
        assert got == expected, (query, who)
    page = selectors.member_page_rows(found, query, 1, upto, wide=wide)
    assert list(page.values_list("pk", flat=True)[:upto]) == expected


def test_only_a_grant_at_the_root_makes_the_list_the_countrys(world):
    assert selectors.covers_country(world.national)
    assert not selectors.covers_country(world.officer_a)


def test_a_word_in_no_name_finds_nobody_at_once(world):
    found = _found(world.national, {"q": "xyzzy"})
    assert search.first_matches(found, "xyzzy", 10) == []


def test_a_long_walk_gives_up_and_the_list_sorts_its_matches(world, monkeypatch):
    for i in range(6):
        _admit(world, "Nguyễn", "Thị", ["An", "Hoa", "Lan"][i % 3], "b1" if i % 2 else "a1")
    monkeypatch.setattr(search, "FIRST_BATCH", 1)
    monkeypatch.setattr(search, "MAX_BATCH", 1)
    monkeypatch.setattr(search, "WALK_LIMIT", 2)
    found = _found(world.officer_a, {"q": "nguyen"})
    assert search.first_matches(found, "nguyen", 3) is search.NoWalk.SPARSE
    page = selectors.member_page_rows(found, "nguyen", 1, 3)
    assert list(page.values_list("pk", flat=True)) == list(found.values_list("pk", flat=True))


def test_search_words_follow_every_write(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = _admit(world, "Nguyễn", "Thị", "Hoà", phone="0912345678")
    assert set(MemberWord.objects.filter(member=m).values_list("word", flat=True)) == {
        "nguyen",
        "thi",
        "hoa",
    }
    member_update(actor=None, member=m, given_name="Phượng", middle_name="")
    assert_words_current()
    assert "phuong" in SearchWord.objects.values_list("word", flat=True)
    result = commit_file(
        "members.xlsx",
        xlsx_bytes(member_rows(5, seed=7, earliest_admission=dt.date(2020, 6, 1))),
        unit=world.grass_a1,
        actor=world.officer_a,
    )
    assert result.committed, result.errors[:3]
    assert_words_current()
    # Re-importing the file with other names updates the members and their words.
    rows = member_rows(5, seed=7, earliest_admission=dt.date(2020, 6, 1))
    for r in rows:
        r["given_name"] = "Khoa"
    result = commit_file(
        "members.xlsx", xlsx_bytes(rows), unit=world.grass_a1, actor=world.officer_a
    )
    assert result.committed and result.updated == 5, result.errors[:3]
    assert_words_current()
    found = _found(world.officer_a, {"q": "khoa"})
    assert search.first_matches(found, "khoa", 50) == list(found.values_list("pk", flat=True))
    Member.objects.filter(pk=m.pk).delete()
    assert not MemberWord.objects.filter(member_id=m.pk).exists()


def test_rebuild_and_migration_fill_the_same_words(world):
    from importlib import import_module

    from django.apps import apps

    _admit(world, "Lò", "Văn", "Pấn", phone="0988000111")
    MemberWord.objects.all().delete()
    Member.objects.update(name_form="")
    import_module("congdoan.members.migrations.0008_search_words").fill(apps, None)
    import_module("congdoan.members.migrations.0010_name_form").fill(apps, None)
    assert_words_current()
    MemberWord.objects.filter(word="lo").delete()
    with pytest.raises(CommandError, match="1 members"):
        call_command("rebuild_member_words", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_member_words", stdout=out)
    assert "search words" in out.getvalue()
    assert_words_current()
    call_command("rebuild_member_words", "--check", stdout=out)
    assert "agree" in out.getvalue()


@pytest.mark.parametrize("page", [1, 2, 3])
def test_the_list_page_shows_the_walked_page(world, monkeypatch, page):
    from congdoan.members.views import members as member_pages

    monkeypatch.setattr(member_pages, "PER_PAGE", 2)
    for given_name in ["Hoa", "An", "Khoa", "Hoàng", "Anh", "Hoà", "Hoài", "Hoan"]:
        _admit(world, "Nguyễn", "Thị", given_name)
    client = Client()
    client.force_login(world.officer_a)
    response = client.get(reverse("members:member_list"), {"q": "hoa", "page": page})
    assert response.status_code == 200
    found = _found(world.officer_a, {"q": "hoa"})
    names = list(found.values_list("full_name", flat=True))
    html = response.content.decode()
    shown = [n for n in names if f">{n}</a>" in html]
    assert shown == names[(page - 1) * 2 : page * 2]
