"""Pages and API through HTTP with the three personas."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.initiatives.models import Contest, Entry, Initiative, Programme
from congdoan.initiatives.tests.helpers import (
    contest_a,
    initiative,
    initiative_a,
    keep,
    phases,
    programme,
    quiz_a,
    target,
)

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def test_list_filters_by_unit_and_period(world, client_of):
    initiative_a(world)
    initiative(
        world,
        title="Sáng kiến năm sau",
        submitted_on=dt.date(2025, 2, 1),
        decided_on=dt.date(2025, 3, 1),
    )
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    c = client_of("officer_a")
    page = body(c.get(reverse("initiatives:list"), {"unit": world.grass_a1.pk, "period": year.pk}))
    assert f"Sáng kiến {MARKER_A} cải tiến băng chuyền" in page
    assert "Sáng kiến năm sau" not in page
    page = body(c.get(reverse("initiatives:list"), {"unit": world.grass_a2.pk}))
    assert "băng chuyền" not in page


def test_list_summary_comes_in_a_fragment_with_the_same_filter(world, client_of):
    initiative_a(world)
    c = client_of("officer_a")
    page = body(c.get(reverse("initiatives:list"), {"unit": world.grass_a1.pk}))
    url = reverse("initiatives:summary") + f"?unit={world.grass_a1.pk}"
    assert f'hx-get="{url}"' in page
    summary = body(c.get(url))
    assert 'id="summary"' in summary and "1 sáng kiến" in summary
    assert "0 sáng kiến" in body(c.get(reverse("initiatives:summary"), {"unit": world.grass_a2.pk}))
    assert "0 sáng kiến" in body(client_of("officer_b").get(reverse("initiatives:summary")))


def test_list_searches_words_without_diacritics(world, client_of):
    initiative_a(world)
    page = body(client_of("officer_a").get(reverse("initiatives:list"), {"q": "bang chuyen"}))
    assert "cải tiến băng chuyền" in page


def test_list_query_budget(world, client_of, django_assert_max_num_queries):
    for n in range(12):
        initiative(world, title=f"Sáng kiến {n}", submitted_on=dt.date(2024, 3, 1 + n))
    c = client_of("officer_a")
    c.get(reverse("initiatives:list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert c.get(reverse("initiatives:list")).status_code == 200
    for n in range(12, 30):
        initiative(world, title=f"Sáng kiến {n}", submitted_on=dt.date(2024, 4, 1 + n % 28))
    with CaptureQueriesContext(connection) as many:
        assert c.get(reverse("initiatives:list")).status_code == 200
    assert len(many) == len(few) and len(many) <= 16, [q["sql"] for q in many.captured_queries]


def test_officer_b_sees_nothing_of_a(world, client_of):
    row = initiative_a(world)
    c = client_of("officer_b")
    assert MARKER_A not in body(c.get(reverse("initiatives:list")))
    assert c.get(reverse("initiatives:detail", args=[row.pk])).status_code == 404


def test_create_an_initiative_through_the_page(world, client_of):
    prog = programme(world)
    response = client_of("officer_a").post(
        reverse("initiatives:create"),
        {
            "unit": "A1", "programme": prog.pk, "title": "Cải tiến quy trình & <mẫu> \"mới\"",
            "field": "management", "submitted_on": "15/08/2024", "author_cards": "CDA0001",
            "other_authors": "Lò Văn Khách, Công ty Thủy điện", "benefit": "25.000.000",
        },
    )  # fmt: skip
    assert response.status_code == 302, body(response)[:3000]
    row = Initiative.objects.get()
    assert row.title == 'Cải tiến quy trình & <mẫu> "mới"' and row.benefit == 25_000_000
    assert [a.full_name for a in row.authors.all()][1] == "Lò Văn Khách"
    assert row.history.get().history_user == world.officer_a
    page = body(client_of("officer_a").get(row.get_absolute_url()))
    assert "Cải tiến quy trình &amp; &lt;mẫu&gt;" in page and "Lò Văn Khách" in page


def test_an_unknown_card_is_refused_on_the_form(world, client_of):
    prog = programme(world)
    response = client_of("officer_a").post(
        reverse("initiatives:create"),
        {"unit": "A1", "programme": prog.pk, "title": "X", "field": "other",
         "submitted_on": "15/08/2024", "author_cards": "CDB0001"},
    )  # fmt: skip
    assert response.status_code == 200 and not Initiative.objects.exists()
    assert "CDB0001" in body(response) and "BETA" not in body(response)


def test_decide_through_the_page(world, client_of):
    row = initiative(world, status="submitted", decided_on=None)
    url = reverse("initiatives:decide", args=[row.pk])
    c = client_of("officer_a")
    response = c.post(url, {"status": "rejected", "decided_on": "01/06/2024", "note": ""})
    assert response.status_code == 200 and "rejected" not in Initiative.objects.get().status
    response = c.post(url, {"status": "rejected", "decided_on": "01/06/2024", "note": "Trùng lặp"})
    assert response.status_code == 302
    assert Initiative.objects.get().status == "rejected"


def test_a_viewer_may_see_but_not_change(world, client_of):
    from congdoan.core.tests.support import make_user

    row = initiative_a(world)
    viewer = make_user("xem_a", "viewer", world.unit_a)
    from django.test import Client

    c = Client()
    c.force_login(viewer)
    assert c.get(row.get_absolute_url()).status_code == 200
    assert c.get(reverse("initiatives:edit", args=[row.pk])).status_code == 403


def test_programme_page_shows_phases_targets_and_ranks(world, client_of):
    prog = programme(world, organiser=world.province)
    one, two = phases(prog)
    keep(world, world.grass_a1)
    keep(world, world.grass_b1)
    for day in (dt.date(2024, 2, 1), dt.date(2024, 3, 1), dt.date(2025, 2, 1)):
        initiative(world, programme=prog, submitted_on=day, decided_on=day)
    target(world.unit_a, "sang_kien", one, 1)
    target(world.unit_a, "sang_kien", two, 2)
    target(world.unit_b, "sang_kien", one, 1)
    page = body(client_of("national").get(prog.get_absolute_url(), {"unit": world.unit_a.pk}))
    assert "Giai đoạn 1" in page and "2/1" in page and "200%" in page
    assert "thứ nhất/2" in page  # unit A first of the province's two districts in phase 1
    assert "3/3" in page  # the whole programme: 3 of the phases' 1 + 2
    # Officer B sees the province's programme, and only B's side of it.
    page = body(client_of("officer_b").get(prog.get_absolute_url()))
    assert MARKER_A not in page


def test_programme_create_page_for_the_national_level(world, client_of):
    data = {
        "unit": "TN", "name": "Chương trình tỉnh", "start": "01/01/2024", "end": "31/12/2025",
        "phase1_name": "Giai đoạn 1", "phase1_start": "01/01/2024", "phase1_end": "31/12/2024",
        "phase2_name": "Giai đoạn 2", "phase2_start": "01/01/2025", "phase2_end": "31/12/2025",
    }  # fmt: skip
    response = client_of("officer_a").post(reverse("initiatives:programme_create"), data)
    assert response.status_code == 200 and not Programme.objects.exists()
    response = client_of("national").post(reverse("initiatives:programme_create"), data)
    assert response.status_code == 302
    assert len(phases(Programme.objects.get())) == 2


def test_contest_page_hides_entries_of_units_outside_scope(world, client_of):
    from congdoan.initiatives import services

    contest = services.contest_create(
        actor=None, unit=world.province, kind="innovation", title="Hội thi tỉnh lần thứ V",
        number=5, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 6, 1),
    )  # fmt: skip
    services.entry_add(actor=None, contest=contest, unit=world.grass_a1, title=f"Đề tài {MARKER_A}")
    services.entry_add(
        actor=None, contest=contest, unit=world.grass_b1, title="Đề tài B", prize="third"
    )
    page = body(client_of("officer_b").get(contest.get_absolute_url()))
    assert "Đề tài B" in page and MARKER_A not in page
    assert "1 more entry" in page or "1 đề tài" in page or "ngoài phạm vi" in page
    page = body(client_of("officer_a").get(contest.get_absolute_url()))
    assert f"Đề tài {MARKER_A}" in page and "Đề tài B" not in page


def test_entries_and_participants_through_the_pages(world, client_of):
    contest = contest_a(world)
    quiz = quiz_a(world)
    c = client_of("officer_a")
    response = c.post(
        reverse("initiatives:entry_add", args=[contest.pk]),
        {"unit": "A2", "title": "Đề tài mới", "authors": "Hà Thị Lan", "prize": "first"},
    )
    assert response.status_code == 302
    assert Entry.objects.filter(title="Đề tài mới", prize="first").exists()
    response = c.post(
        reverse("initiatives:participant_add", args=[quiz.pk]), {"unit": "A2", "count": "45"}
    )
    assert response.status_code == 302
    assert quiz.participants.filter(unit=world.grass_a2, count=45).exists()


def test_contest_list_links_a_units_participation(world, client_of):
    """A union's sheet links to the contests it took part in, organised above it."""
    from congdoan.initiatives import services

    quiz = services.contest_create(
        actor=None, unit=world.province, kind="quiz", title="Cuộc thi tìm hiểu của tỉnh",
        starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 2, 1),
    )  # fmt: skip
    services.participant_add(actor=None, contest=quiz, unit=world.grass_a1, count=30)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    page = body(
        client_of("officer_a").get(
            reverse("initiatives:contest_list"), {"unit": world.grass_a1.pk, "period": year.pk}
        )
    )
    assert "Cuộc thi tìm hiểu của tỉnh" in page


# ---------------------------------------------------------------------------------------------
# API


def api_post(client, name, data, **kwargs):
    return client.post(
        reverse(name, **kwargs), data=json.dumps(data), content_type="application/json"
    )


def test_api_creates_an_initiative_and_decides(world, client_of):
    prog = programme(world)
    c = client_of("officer_a")
    response = api_post(
        c, "api:initiative-list",
        {"unit": "A1", "programme": prog.pk, "title": "Sáng kiến API", "submitted_on": "01/03/2024",
         "authors": [{"member": world.member_a.pk}, {"full_name": "Khách", "workplace": "X"}],
         "benefit": "1000000"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["phase"] == phases(prog)[0].pk and len(data["authors"]) == 2
    response = api_post(
        c, "api:initiative-decide", {"status": "valid", "decided_on": "2024-04-01"},
        args=[data["id"]],
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == "valid"


def test_api_refuses_a_member_outside_scope(world, client_of):
    prog = programme(world, organiser=world.province)
    response = api_post(
        client_of("officer_b"), "api:initiative-list",
        {"unit": "B1", "programme": prog.pk, "title": "X", "submitted_on": "01/03/2024",
         "authors": [{"member": world.member_a.pk}]},
    )  # fmt: skip
    assert response.status_code == 400 and MARKER_A not in response.content.decode()


def test_api_programme_results(world, client_of):
    prog = programme(world)
    keep(world, world.grass_a1)
    initiative(world)
    response = client_of("officer_a").get(
        reverse("api:initiative-programme-results", args=[prog.pk]), {"unit": world.grass_a1.pk}
    )
    assert response.status_code == 200
    lines = response.json()["lines"]
    assert lines[0]["figures"]["sang_kien"]["value"] == "1"
    assert lines[-1]["whole"] is True


def test_api_contest_entries_and_participants(world, client_of):
    contest = contest_a(world)
    quiz = quiz_a(world)
    c = client_of("officer_a")
    response = api_post(
        c, "api:contest-entry-list",
        {"contest": contest.pk, "unit": "A2", "title": "Giải pháp", "prize": "third"},
    )  # fmt: skip
    assert response.status_code == 201
    response = api_post(
        c, "api:contest-participant-list", {"contest": quiz.pk, "unit": "A2", "count": 7}
    )
    assert response.status_code == 201 and response.json()["count"] == 7
    assert Contest.objects.count() == 2
    response = client_of("officer_b").get(reverse("api:contest-entry-list"))
    assert response.json()["count"] == 0
