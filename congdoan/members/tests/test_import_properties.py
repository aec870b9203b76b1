"""Property tests of the member import (issue 3, "Must show"):

- all-or-nothing: a file with at least one bad row changes nothing (members, spells, events,
  history rows, duplicate flags); a file without one writes every row;
- idempotent: importing the same file again creates nothing and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.members.imports import commit_file
from congdoan.members.models import DuplicateFlag, Member, MemberEvent, Membership
from congdoan.members.tests.files import csv_bytes, member_rows, xlsx_bytes

HistoricalMember = Member.history.model
START = dt.date(2020, 6, 1)


def _bad_date(r, rows):
    r["date_of_birth"] = "30/02/1990"


def _unknown_ethnicity(r, rows):
    r["ethnicity"] = "Không rõ"


def _repeated_cccd(r, rows):
    other = rows[0] if rows[0] is not r else rows[-1]
    if other is not r:
        r.update(
            citizen_id=other["citizen_id"], sex=other["sex"], date_of_birth=other["date_of_birth"]
        )
    else:
        r["citizen_id"] = "12345"


def _future_admission(r, rows):
    r["admitted_on"] = dt.date.today() + dt.timedelta(days=30)


def _no_name(r, rows):
    r["given_name"] = ""


def _wrong_sex_for_cccd(r, rows):
    r["sex"] = "Nam" if r["sex"] == "Nữ" else "Nữ"


CORRUPTIONS = [
    _bad_date, _unknown_ethnicity, _repeated_cccd, _future_admission, _no_name, _wrong_sex_for_cccd,
]  # fmt: skip


@st.composite
def member_files(draw, *, allow_bad=True):
    n = draw(st.integers(min_value=1, max_value=8))
    seed = draw(st.integers(min_value=0, max_value=10_000))
    rows = member_rows(n, seed=seed, earliest_admission=START)
    for r in rows:
        if draw(st.booleans()):
            for key in ("family_name", "middle_name", "given_name"):
                r[key] = unicodedata.normalize("NFD", r[key])
        if draw(st.booleans()):
            r["citizen_id"] = ""
        if draw(st.integers(0, 4)) == 0:
            r["card_number"] = ""
    bad = []
    if allow_bad:
        for i in draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True)):
            corruption = draw(st.sampled_from(CORRUPTIONS))
            corruption(rows[i], rows)
            bad.append(i)
    kind = draw(st.sampled_from(["xlsx", "csv", "csv;"]))
    if kind == "xlsx":
        data = xlsx_bytes(rows)
    else:
        data = csv_bytes(rows, delimiter=";" if kind == "csv;" else ",")
    return ("members.xlsx" if kind == "xlsx" else "members.csv"), data, rows, bad


def _counts():
    return (
        Member.objects.count(),
        Membership.objects.count(),
        MemberEvent.objects.count(),
        HistoricalMember.objects.count(),
        DuplicateFlag.objects.count(),
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=member_files())
def test_import_is_all_or_nothing(world, file):
    name, data, _rows, bad = file
    with transaction.atomic():
        before = _counts()
        result = commit_file(name, data, unit=world.grass_a1, actor=world.officer_a)
        after = _counts()
        if result.committed:
            assert result.ok
            created = len(result.member_ids)
            assert created == result.created
            assert after[:4] == (
                before[0] + created,
                before[1] + created,
                before[2] + created,
                before[3] + created + result.updated,
            )
        else:
            assert not result.ok and result.errors
            assert after == before, "a refused file changed the registry"
            assert bad, f"a valid file was refused: {result.errors[:3]}"
        transaction.set_rollback(True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=member_files(allow_bad=False))
def test_import_is_idempotent(world, file):
    name, data, rows, _bad = file
    with transaction.atomic():
        first = commit_file(name, data, unit=world.grass_a1, actor=world.officer_a)
        assert first.committed, first.errors
        assert first.created == len(rows)
        before = _counts()
        second = commit_file(name, data, unit=world.grass_a1, actor=world.officer_a)
        assert second.committed, second.errors
        assert (second.created, second.updated) == (0, 0)
        assert second.unchanged == len(rows)
        assert _counts() == before, "importing the same file again changed something"
        transaction.set_rollback(True)
