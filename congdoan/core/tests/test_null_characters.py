"""A NUL character in a page's query or form field answers 400 naming the field, in Vietnamese,
and changes nothing (PostgreSQL cannot receive one: a look-up by the text typed answered 500).
The API's bodies: core/tests/test_api_fuzz.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congdoan.organisation.models import Cluster

pytestmark = pytest.mark.django_db


def test_a_query_field(client_of):
    answer = client_of("officer_a").get(reverse("members:member_list"), {"q": "Nguy\x00en"})
    assert answer.status_code == 400
    assert "q: không được dùng ký tự null" in answer.content.decode()


def test_a_form_field_changes_nothing(client_of, world):
    before = Cluster.objects.count()
    answer = client_of("officer_a").post(
        reverse("organisation:cluster_create"), {"name": "Cụm\x00 1", "unit": world.unit_a.code}
    )
    assert answer.status_code == 400
    assert "name: không được dùng ký tự null" in answer.content.decode()
    assert Cluster.objects.count() == before


def test_in_english_when_chosen(client_of, settings):
    client = client_of("officer_a")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.get(reverse("members:member_list"), {"unit": "\x00"})
    assert answer.status_code == 400
    assert "unit: null characters are not allowed." in answer.content.decode()
