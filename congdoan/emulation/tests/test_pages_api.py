"""Pages and API through HTTP with the three personas (Vietnamese by default)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from congdoan.emulation.models import ClusterProposal, Movement, Registration, Scorecard
from congdoan.emulation.tests.helpers import (
    YEAR,
    card,
    criteria,
    movement_a,
    officer_of,
    pledge_a,
    proposal_a,
    registration_a,
    scheme_a,
    scored,
)
from congdoan.organisation.tests.url_cases import cluster_a

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_movement_pages_launch_register_and_withdraw(world, client_of):
    c = client_of("officer_a")
    response = c.post(
        reverse("emulation:movement_create"),
        {"organiser": "HA", "name": "Thi đua ALPHA 2024", "kind": "yearly", "start_year": 2024},
    )
    movement = Movement.objects.get(name="Thi đua ALPHA 2024")
    assert response.status_code == 302 and movement.end_year == 2024
    response = c.post(
        reverse("emulation:registration_create", args=[movement.pk]),
        {"unit": "A1", "year": 2024, "registered_on": "01/02/2024", "commitments": "100%"},
    )
    assert response.status_code == 302
    page = html(c.get(movement.get_absolute_url()))
    assert "CĐCS ALPHA Một" in page and "Đăng ký" in page
    again = html(
        c.post(
            reverse("emulation:registration_create", args=[movement.pk]),
            {"unit": "A1", "year": 2024, "registered_on": "02/02/2024"},
        )
    )
    assert "đã đăng ký" in again
    reg = Registration.objects.get(movement=movement)
    response = c.post(
        reverse("emulation:registration_withdraw", args=[reg.pk]),
        {"withdrawn_on": "01/05/2024", "reason": "Giải thể"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=reg.pk).withdrawn_on is not None


def test_officer_b_gets_404_and_never_the_name(world, client_of):
    registration_a(world)
    sc = card(world)
    c = client_of("officer_b")
    for url in (
        movement_a(world).get_absolute_url(),
        sc.get_absolute_url(),
        reverse("emulation:ranking", args=[cluster_a(world).pk]),
        reverse("emulation:pledge_detail", args=[pledge_a(world).pk]),
        reverse("api:scorecard-detail", args=[sc.pk]),
    ):
        response = c.get(url)
        assert response.status_code == 404, url
        assert "ALPHA" not in html(response)
    for url in (reverse("emulation:movement_list"), reverse("api:scorecard-list")):
        assert "ALPHA" not in html(c.get(url))


def test_scorecard_page_groups_criteria_and_scores_in_order(world, client_of):
    sc = card(world)
    c = client_of("officer_a")
    page = html(c.get(sc.get_absolute_url()))
    assert "Công tác tổ chức" in page and "Chăm lo, bảo vệ" in page and "Tự chấm" in page
    url = reverse("emulation:scorecard_score", args=[sc.pk, "cluster"])
    form = html(c.post(url, {f"c{x.pk}": "1" for x in criteria(world)}))
    assert "cần có bước tự chấm điểm trước" in form
    url = reverse("emulation:scorecard_score", args=[sc.pk, "self"])
    data = {f"c{x.pk}": v for x, v in zip(criteria(world), ("10", "25", "60"), strict=True)}
    form = html(c.post(url, data))
    assert "Chăm lo, bảo vệ" in form and "0 đến 50" in form
    data[f"c{criteria(world)[2].pk}"] = "45,5"
    assert c.post(url, data).status_code == 302
    assert Scorecard.objects.get(pk=sc.pk).self_total == 80.5


def test_a_grassroots_officer_may_not_give_the_final_score(world):
    from django.test import Client

    a1 = officer_of(world, world.grass_a1, "can_bo_a1")
    sc = card(world)
    client = Client()
    client.force_login(a1)
    assert client.get(reverse("emulation:scorecard_score", args=[sc.pk, "self"])).status_code == 200
    assert (
        client.get(reverse("emulation:scorecard_score", args=[sc.pk, "final"])).status_code == 403
    )


def test_ranking_page_and_proposal(world, client_of):
    scored(world, world.grass_a1, (10, 20, 30), ("self",))
    scored(world, world.grass_a2, (20, 30, 50), ("self", "cluster", "final"))
    c = client_of("officer_a")
    url = reverse("emulation:ranking", args=[cluster_a(world).pk])
    page = html(c.get(url, {"year": YEAR}))
    assert page.index("CĐCS ALPHA Hai") < page.index("CĐCS ALPHA Một")
    assert "100,00" in page and "Đề xuất đơn vị dẫn đầu" in page
    edit = reverse("emulation:proposal_edit", args=[cluster_a(world).pk])
    unit = world.grass_a2
    response = c.post(
        f"{edit}?year={YEAR}",
        {"proposed_on": "20/12/2024", f"u{unit.pk}": "on", f"a{unit.pk}": "Cờ thi đua"},
    )
    proposal = ClusterProposal.objects.get(cluster=cluster_a(world), year=YEAR)
    assert response.status_code == 302
    entry = proposal.entries.get()
    assert (entry.unit, entry.rank, entry.award) == (unit, 1, "Cờ thi đua")
    c.post(reverse("emulation:proposal_submit", args=[proposal.pk]))
    assert ClusterProposal.objects.get(pk=proposal.pk).submitted


def test_english_when_chosen(world, client_of):
    movement_a(world)
    c = client_of("officer_a")
    assert "Phát động phong trào thi đua" in html(c.get(reverse("emulation:movement_list")))
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(c.get(reverse("emulation:movement_list")))
    assert "Launch an emulation movement" in page and "Phát động" not in page
    page = html(c.get(reverse("emulation:ranking", args=[cluster_a(world).pk]), {"year": YEAR}))
    assert "Ranking of" in page and "Xếp hạng" not in page


def test_api_scores_and_ranks(world, client_of):
    sc = card(world)
    c = client_of("officer_a")
    body = {
        "stage": "self",
        "points": [
            {"criterion": x.pk, "points": v}
            for x, v in zip(criteria(world), (10, 20, 30), strict=True)
        ],
    }
    response = c.post(
        reverse("api:scorecard-score", args=[sc.pk]), body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["self_total"] == "60.00"
    body["stage"] = "final"
    response = c.post(
        reverse("api:scorecard-score", args=[sc.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["field"] == "stage"
    ranking = c.get(
        reverse("api:emulation-cluster-ranking", args=[cluster_a(world).pk]), {"year": YEAR}
    ).json()
    assert ranking["rows"][0]["unit"]["code"] == "A1" and ranking["rows"][0]["rank"] == 1
    assert ranking["rows"][1]["rank"] is None


def test_api_registration_and_proposal(world, client_of):
    movement = movement_a(world)
    scheme_a(world)
    c = client_of("officer_a")
    response = c.post(
        reverse("api:emulation-registration-list"),
        {"movement": movement.pk, "unit": "A2", "year": YEAR, "registered_on": "2024-01-15"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    b = client_of("officer_b")
    response = b.post(
        reverse("api:emulation-registration-list"),
        {"movement": movement.pk, "unit": "A1", "year": YEAR, "registered_on": "2024-01-15"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "ALPHA" not in html(response)
    response = c.post(
        reverse("api:cluster-proposal-list"),
        {
            "cluster": cluster_a(world).pk,
            "year": YEAR,
            "proposed_on": "2024-12-20",
            "entries": [{"unit": world.grass_a1.pk, "award": "Bằng khen"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = c.post(reverse("api:cluster-proposal-submit", args=[pk]))
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert proposal_a  # the helper is shared with the scoping cases


def test_a_member_registers_individually(world, client_of):
    movement = movement_a(world)
    c = client_of("officer_a")
    url = reverse("emulation:registration_create", args=[movement.pk])
    response = c.post(
        url,
        {"unit": "A1", "year": YEAR, "registered_on": "01/02/2024",
         "card_number": world.member_a.card_number, "commitments": "Lao động giỏi"},
    )  # fmt: skip
    assert response.status_code == 302, html(response)[:2000]
    registration = Registration.objects.get(movement=movement)
    assert registration.member == world.member_a and registration.unit == world.grass_a1
    # A member of unit B: "not found", like one that does not exist, and nothing written.
    refused = html(c.post(url, {"unit": "A1", "year": YEAR, "registered_on": "01/02/2024",
                                "card_number": world.member_b.card_number}))  # fmt: skip
    assert "Không tìm thấy đoàn viên có số thẻ này" in refused and "BETA" not in refused
    response = c.post(
        reverse("api:emulation-registration-list"),
        {"movement": movement.pk, "unit": "A1", "year": YEAR, "registered_on": "2024-01-15",
         "member": world.member_b.card_number},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["field"] == "member"
    assert Registration.objects.filter(movement=movement).count() == 1
