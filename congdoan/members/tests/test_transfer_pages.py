"""The transfer list in pages: each section (to confirm, requested, decided) paged on its own with
its count, the other sections' pages kept in the links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from congdoan.members import selectors, services
from congdoan.members.models import TransferRequest

D = dt.date


@pytest.fixture
def transfers(world):
    """30 transfers asked for by unit A (A1 → B1, B confirms), 3 of them refused by B."""
    made = []
    for i in range(30):
        member = services.member_admit(
            actor=None,
            unit=world.grass_a1,
            family_name="Lò",
            middle_name="Văn",
            given_name=f"Pấn{i:02d}",
            sex="M",
            admitted_on=D(2021, 1, 1),
        )
        made.append(
            services.transfer_request(
                actor=world.officer_a, member=member, to_unit=world.grass_b1, day=D(2024, 3, 1)
            )
        )
    for t in made[:3]:
        services.transfer_reject(actor=world.officer_b, request=t, reason=f"Sai đơn vị {t.pk}")
    return made


def test_each_section_is_paged_with_its_count(world, transfers):
    lists = selectors.transfer_lists(world.officer_b)
    assert lists.to_confirm.paginator.count == 27 and len(lists.to_confirm) == 25
    assert lists.requested.paginator.count == 0
    assert lists.history.paginator.count == 3 and len(lists.history) == 3
    assert {row.transfer.pk for row in lists.history} == {t.pk for t in transfers[:3]}
    second = selectors.transfer_lists(world.officer_b, {"to_confirm": "2", "history": "x"})
    assert len(second.to_confirm) == 2 and second.history.number == 1
    shown = [row.transfer.pk for row in lists.to_confirm] + [
        row.transfer.pk for row in second.to_confirm
    ]
    pending = TransferRequest.objects.filter(status="pending").order_by("day", "pk")
    assert shown == list(pending.values_list("pk", flat=True))
    # Past the end: the last page; the sending side sees the same transfers as requested.
    assert selectors.transfer_lists(world.officer_b, {"to_confirm": "99"}).to_confirm.number == 2
    assert selectors.transfer_lists(world.officer_a).requested.paginator.count == 27
    assert selectors.pending_transfer_count(world.officer_b) == 27
    assert selectors.pending_transfer_count(world.officer_a) == 0


def confirm_links(html):
    return re.findall(r"/members/transfers/(\d+)/confirm/", html)


def test_the_page_shows_one_page_of_each_section(client_of, world, transfers):
    client = client_of("officer_b")
    html = client.get(reverse("members:transfer_list")).content.decode()
    assert len(confirm_links(html)) == 25
    assert "Trang 1/2 (dòng 1–25 trong 27)" in html
    assert 'href="?confirm_page=2#to-confirm"' in html
    assert html.count("Sai đơn vị") == 3
    page = client.get(reverse("members:transfer_list"), {"confirm_page": 2, "history_page": 1})
    html = page.content.decode()
    assert len(confirm_links(html)) == 2 and "Trang 2/2 (dòng 26–27 trong 27)" in html
    assert 'href="?confirm_page=1&amp;history_page=1#to-confirm"' in html
    # The asking side: its 27 requests in pages, each with its withdraw button.
    html = client_of("officer_a").get(reverse("members:transfer_list")).content.decode()
    assert len(re.findall(r"/members/transfers/\d+/cancel/", html)) == 25
    assert 'href="?requested_page=2#requested"' in html
    assert not confirm_links(html)
    # A page number no section has answers its last page, never an error.
    response = client.get(reverse("members:transfer_list"), {"confirm_page": "9" * 20})
    assert response.status_code == 200 and len(confirm_links(response.content.decode())) == 2
