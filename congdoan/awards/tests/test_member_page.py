"""The member page's awards section."""

import pytest
from django.urls import reverse

from congdoan.awards import services
from congdoan.awards.tests.helpers import decision, form
from congdoan.core.tests.support import MARKER_A

pytestmark = pytest.mark.django_db


def page(client, member):
    return client.get(reverse("members:member_detail", args=[member.pk])).content.decode()


def test_section_lists_the_members_awards(world, client_of):
    d = decision(world.province, number="125/QĐ-LĐLĐ")
    services.award_add(actor=None, decision=d, form=form("tinh_bang_khen"), member=world.member_a)
    services.award_add(actor=None, decision=d, form=form("tinh_bang_khen"), member=world.member_b)
    html = page(client_of("officer_a"), world.member_a)
    assert "Bằng khen của Liên đoàn Lao động tỉnh" in html
    assert "125/QĐ-LĐLĐ" in html and "15/01/2025" in html and "2025" in html
    # The page of officer A's member does not list member B's award (one row only).
    assert html.count("125/QĐ-LĐLĐ") == 1


def test_section_without_awards(world, client_of):
    html = page(client_of("officer_a"), world.member_a)
    assert "Chưa ghi nhận khen thưởng nào của đoàn viên." in html


def test_members_outside_scope_stay_hidden(world, client_of):
    d = decision(world.province, number="125/QĐ-LĐLĐ")
    services.award_add(actor=None, decision=d, form=form("tinh_bang_khen"), member=world.member_a)
    client = client_of("officer_b")
    response = client.get(reverse("members:member_detail", args=[world.member_a.pk]))
    assert response.status_code == 404
    assert MARKER_A not in response.content.decode()
    assert "125/QĐ-LĐLĐ" not in page(client, world.member_b)
