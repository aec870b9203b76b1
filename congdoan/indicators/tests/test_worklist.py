"""What targets and figures put on the home page's work list (`indicators/worklist.py`): sheets
to approve and to send, units late below, targets to hand down; the registry of `core.worklist`;
the home page's query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congdoan.core import worklist as registry
from congdoan.core.tests.support import MARKER_A, make_user, unit_type
from congdoan.indicators import services, worklist
from congdoan.indicators.models import Indicator, PeriodKind, Sheet
from congdoan.indicators.periods import period_create

TODAY = timezone.localdate()
CODE = "phat_trien_dv"  # entered by every unit type (see the default data sets)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def custom(name: str, start: int, end: int, due: int, number: int):
    return period_create(
        actor=None,
        kind=PeriodKind.CUSTOM,
        name=name,
        number=number,
        start=days(start),
        end=days(end),
        due_on=days(due),
    )


@pytest.fixture
def running(db):
    """Runs today; due in 40 days."""
    return custom("Đợt thi đua đang chạy", -30, 30, 40, 1)


@pytest.fixture
def overdue(db):
    """Ended 20 days ago, due 10 days ago."""
    return custom("Đợt thi đua quá hạn", -90, -20, -10, 2)


@pytest.fixture
def closing(db):
    """Ended 5 days ago, due in 5 days."""
    return custom("Đợt thi đua sắp đến hạn", -60, -5, 5, 3)


def enter(unit, period, value=5, actor=None):
    return services.values_save(actor=actor, unit=unit, period=period, entries={CODE: value})


def send(unit, period, value=5):
    return services.sheet_submit(actor=None, sheet=enter(unit, period, value))


def kinds(user) -> dict[str, list[registry.WorkItem]]:
    out: dict[str, list[registry.WorkItem]] = {}
    for item in worklist.work_items(user):
        out.setdefault(item.kind, []).append(item)
    return out


def sheet_url(unit, period) -> str:
    return reverse("indicators:sheet", kwargs={"unit": unit.pk, "period": period.pk})


def children_url(unit, period) -> str:
    return reverse("indicators:children", kwargs={"unit": unit.pk, "period": period.pk})


def grassroots_below(world, n: int) -> list:
    from congdoan.organisation import services as org

    return [
        org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"AX{i}",
            name=f"CĐCS {MARKER_A} số {i}",
            short_name=f"CĐCS số {i}",
            unit_type=unit_type("cdcs"),
            day=dt.date(2020, 1, 1),
        )
        for i in range(n)
    ]


# --- the registry ----------------------------------------------------------------------------


def test_the_apps_register_their_kinds_in_order():
    codes = [k.code for k in registry.kinds()]
    assert codes[:4] == ["approve", "send", "late", "targets"]
    assert {"transfers", "duplicates", "imports"} <= set(codes)


def test_an_item_of_an_unknown_kind_is_a_programming_error(monkeypatch):
    monkeypatch.setitem(
        registry._providers, "stray", lambda user: [registry.WorkItem("nope", "x", 1, "/")]
    )
    with pytest.raises(KeyError):
        registry.work_for(None)


# --- sheets to approve -----------------------------------------------------------------------


def test_a_submitted_sheet_waits_for_the_unit_above(world, running):
    send(world.grass_a1, running)
    approver = make_user("duyet_a", "approver", world.unit_a)
    for user in (world.officer_a, approver):
        [item] = kinds(user)["approve"]
        assert item.url == sheet_url(world.grass_a1, running)
        assert world.grass_a1.name in item.title and str(running) in item.title
        assert TODAY.strftime("%d/%m/%Y") in item.detail  # sent today
    assert "approve" not in kinds(world.officer_b)
    entry = make_user("nhaplieu_a1", "data_entry", world.grass_a1)
    assert "approve" not in kinds(entry)  # sends it, does not approve it


def test_each_level_approves_the_level_directly_below(world, running):
    """The national admin may approve A1's figures too, but they wait for unit A."""
    send(world.grass_a1, running)
    assert "approve" not in kinds(world.national)
    send(world.province, running)
    [item] = kinds(world.national)["approve"]
    assert item.url == sheet_url(world.province, running)


def test_an_approved_sheet_no_longer_waits(world, running):
    sheet = send(world.grass_a1, running)
    services.sheet_approve(actor=world.officer_a, sheet=sheet)
    assert "approve" not in kinds(world.officer_a)


def test_many_sheets_are_grouped_by_the_list_of_the_units_below(world, running):
    for unit in [world.grass_a1, world.grass_a2, *grassroots_below(world, 10)]:
        send(unit, running)
    items = kinds(world.officer_a)["approve"]
    assert [(i.url, i.count) for i in items] == [(children_url(world.unit_a, running), 12)]
    assert world.unit_a.name in items[0].title


# --- sheets to send --------------------------------------------------------------------------


def test_my_units_sheets_to_send_late_first(world, running, overdue, closing):
    enter(world.unit_a, running)  # a draft of the running period
    # Nothing entered for `closing` (due in 5 days) nor for `overdue` (due 10 days ago).
    items = kinds(world.officer_a)["send"]
    assert [(i.url, i.late, i.due) for i in items] == [
        (sheet_url(world.unit_a, overdue), True, overdue.due_on),
        (sheet_url(world.unit_a, closing), False, closing.due_on),
        (sheet_url(world.unit_a, running), False, running.due_on),
    ]
    assert "draft" in items[2].detail or "nháp" in items[2].detail
    # The units below send their own: not on my list.
    enter(world.grass_a1, running)
    assert len(kinds(world.officer_a)["send"]) == 3


def test_a_returned_sheet_waits_to_be_sent_again(world, running):
    sheet = services.sheet_submit(actor=None, sheet=enter(world.grass_a1, running))
    services.sheet_return(actor=world.officer_a, sheet=sheet, reason="Thiếu số liệu quý")
    entry = make_user("nhaplieu_a1", "data_entry", world.grass_a1)
    [item] = kinds(entry)["send"]
    assert item.url == sheet_url(world.grass_a1, running)
    assert "trả lại" in item.detail  # returned for correction, not a mere draft


def test_a_sent_sheet_no_longer_waits_to_be_sent(world, running):
    entry = make_user("nhaplieu_a1", "data_entry", world.grass_a1)
    send(world.grass_a1, running)
    assert "send" not in kinds(entry)


# --- units late below ------------------------------------------------------------------------


def test_units_below_that_have_not_sent_are_late(world, overdue, running):
    items = kinds(world.officer_a)["late"]
    assert [(i.url, i.count, i.late) for i in items] == [
        (children_url(world.unit_a, overdue), 2, True)
    ]
    send(world.grass_a1, overdue)  # late, but sent: no longer waiting
    assert [i.count for i in kinds(world.officer_a)["late"]] == [1]
    assert "late" not in kinds(world.officer_b) or all(
        MARKER_A not in i.title for i in kinds(world.officer_b)["late"]
    )


# --- targets to hand down --------------------------------------------------------------------


def test_targets_not_handed_down_to_the_units_below(world, running):
    indicator = Indicator.objects.get(code=CODE)
    services.target_set(
        actor=world.national, unit=world.unit_a, indicator=indicator, period=running, value=20
    )
    [item] = kinds(world.officer_a)["targets"]
    assert item.url == reverse(
        "indicators:targets", kwargs={"unit": world.unit_a.pk, "period": running.pk}
    )
    assert item.count == 1
    services.target_set(
        actor=world.officer_a, unit=world.grass_a1, indicator=indicator, period=running, value=8
    )
    assert "targets" not in kinds(world.officer_a)
    assert "targets" not in kinds(world.officer_b)


# --- the home page ---------------------------------------------------------------------------


def test_the_home_page_lists_the_work_with_links(world, client_of, running, overdue):
    send(world.grass_a1, running)
    body = client_of("officer_a").get(reverse("organisation:home")).content.decode()
    assert 'id="work-approve"' in body and sheet_url(world.grass_a1, running) in body
    assert 'id="work-late"' in body and children_url(world.unit_a, overdue) in body
    assert "Số liệu chờ duyệt" in body  # Vietnamese by default
    other = client_of("officer_b").get(reverse("organisation:home")).content.decode()
    assert MARKER_A not in other


def test_the_home_page_says_when_nothing_waits(world, client_of):
    user = make_user("xem_b", "viewer", world.unit_b)
    client = client_of("officer_b")
    client.force_login(user)
    body = client.get(reverse("organisation:home")).content.decode()
    assert 'id="work-' not in body
    assert "Không có việc nào đang chờ" in body


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("organisation:home")).status_code == 200
    return len(queries)


def test_the_home_page_reads_a_fixed_number_of_queries(world, client_of, running, overdue):
    """Fourteen times the units below, sheets, drafts and targets: the same number of queries,
    but for one that names the periods once the sheets to approve are grouped."""
    indicator = Indicator.objects.get(code=CODE)
    client = client_of("officer_a")

    def load(units):
        for unit in units:
            send(unit, running)
            enter(unit, overdue)
            services.target_set(
                actor=world.national, unit=unit, indicator=indicator, period=running, value=3
            )

    load([world.grass_a1])
    few = _home_queries(client)
    load([world.grass_a2, *grassroots_below(world, 12)])
    many = _home_queries(client)
    assert many <= few + 1, f"{few} queries with 1 unit below, {many} with 14"
    assert many <= 25, many
    assert Sheet.objects.filter(period=running, status="submitted").count() == 14
