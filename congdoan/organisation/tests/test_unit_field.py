"""Unit fields with a picker: the suggestions endpoint (names and codes, diacritics optional,
only units within the user's scope for the field's action) and forms that still take a typed
code without JavaScript."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django import forms
from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.permissions import Action
from congdoan.core.tests.support import MARKER_A, make_user, unit_type
from congdoan.organisation import services as org
from congdoan.organisation.forms import UnitChoiceField, UnitCodesPicker, UnitPickerInput
from congdoan.organisation.models import ClusterMembership, Unit

FIELD = {"kind": "unit", "name": "new_parent", "id": "id_new_parent", "css": "form-control"}


def suggest(client, text, *, action=Action.ORGANISATION_REORGANISE, active=True, **extra):
    params = {**FIELD, "action": action.value, "new_parent": text, **extra}
    if active:
        params["active"] = "1"
    response = client.get(
        f"{reverse('organisation:unit_field')}?{urlencode(params)}", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.fixture
def schools(world):
    def make(code, name):
        return org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=code,
            name=name,
            unit_type=unit_type("cdcs"),
            day=dt.date(2021, 1, 1),
        )

    make("TH1", "CĐCS Trường Tiểu học Hòa Bình")
    old = make("TH2", "CĐCS Trường Tiểu học Hoà Lạc")
    org.unit_dissolve(actor=None, unit=old, day=dt.date(2022, 1, 1))
    return world


def test_names_and_codes_with_or_without_diacritics(client_of, schools):
    client = client_of("officer_a")
    for text in ("hoa binh", "Hòa Bình", "HÒA", "th1"):
        body = suggest(client, text)
        assert "CĐCS Trường Tiểu học Hòa Bình" in body and "<code" in body, text
    # Each suggestion draws the field again with its code; the path tells namesakes apart.
    body = suggest(client, "hoa binh")
    assert "pick=TH1" in body and 'hx-target="#id_new_parent-unit-field"' in body
    assert f"LĐLĐ huyện {MARKER_A}" in body


def test_only_units_in_scope_for_the_fields_action(client_of, client, schools):
    assert "Hòa Bình" not in suggest(client_of("officer_b"), "hoa binh")
    assert "ALPHA" not in suggest(client_of("officer_b"), "alpha")
    assert "Không tìm thấy đơn vị nào trong phạm vi của bạn." in suggest(
        client_of("officer_b"), "alpha"
    )
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=schools.unit_a)
    client.force_login(viewer)
    # A viewer may not reorganise: a reorganisation field suggests nothing to them …
    assert "Hòa Bình" not in suggest(client, "hoa binh")
    # … a field that needs only the view does.
    assert "Hòa Bình" in suggest(client, "hoa binh", action=Action.ORGANISATION_VIEW)


def test_dissolved_units_only_where_the_field_takes_them(client_of, schools):
    client = client_of("officer_a")
    assert "Hoà Lạc" not in suggest(client, "hoa lac")
    assert "Hoà Lạc" in suggest(client, "hoa lac", active=False)


def test_picking_draws_the_field_with_the_code_and_the_name(client_of, schools):
    body = suggest(client_of("officer_a"), "", pick="TH1", required="1")
    assert 'name="new_parent" value="TH1"' in body
    assert 'id="id_new_parent"' in body and "required" in body and "autofocus" in body
    assert "CĐCS Trường Tiểu học Hòa Bình" in body  # the unit it names, under the box
    assert 'id="id_new_parent-unit-field"' in body  # the element the suggestion replaces
    # A unit outside the scope is not named (the code stays, as if typed).
    body = suggest(client_of("officer_b"), "", pick="TH1")
    assert 'value="TH1"' in body and "Hòa Bình" not in body


def test_picking_adds_to_a_list_of_codes(client_of, world):
    client = client_of("officer_a")
    params = {
        **FIELD,
        "kind": "codes",
        "name": "sources",
        "id": "id_sources",
        "action": Action.ORGANISATION_REORGANISE.value,
        "active": "1",
        "sources": "A1",
    }
    url = reverse("organisation:unit_field")
    body = client.get(f"{url}?{urlencode({**params, 'pick': 'A2'})}").content.decode()
    assert '<textarea name="sources"' in body and ">\nA1\nA2</textarea>" in body
    assert f"CĐCS {MARKER_A} Một" in body and f"CĐCS {MARKER_A} Hai" in body
    # Picking one already listed changes nothing; the search box takes the focus back.
    body = client.get(f"{url}?{urlencode({**params, 'pick': 'a1'})}").content.decode()
    assert ">\nA1</textarea>" in body and 'name="sources__find"' in body
    assert body.count("autofocus") == 1
    # What is typed in the search box is what is searched.
    body = client.get(f"{url}?{urlencode({**params, 'sources__find': 'alpha hai'})}").content
    assert "pick=A2" in body.decode() and 'hx-include="#id_sources"' in body.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "dropdown"},
        {"action": "organisation.everything"},
        {"name": '"><script>'},
        {"id": ""},
        {"css": 'x" onmouseover="y'},
    ],
)
def test_bad_parameters_answer_400(client_of, world, bad):
    params = {**FIELD, "action": Action.ORGANISATION_VIEW.value, **bad}
    response = client_of("officer_a").get(
        f"{reverse('organisation:unit_field')}?{urlencode(params)}"
    )
    assert response.status_code == 400
    assert "Không vẽ được ô đơn vị" in response.content.decode()


def test_forms_draw_the_picker(client_of, world):
    body = (
        client_of("officer_a")
        .get(reverse("reorganisation:move") + f"?unit={world.grass_a1.pk}")
        .content.decode()
    )
    assert 'id="id_unit-unit-field"' in body and 'id="id_new_parent-unit-field"' in body
    assert "action=organisation.reorganise" in body and 'value="A1"' in body
    assert f"CĐCS {MARKER_A} Một" in body  # the preselected unit, named under its box
    merge = client_of("officer_a").get(reverse("reorganisation:merge")).content.decode()
    assert 'name="sources__find"' in merge and "kind=codes" in merge


def test_a_typed_code_still_works_without_javascript(client_of, world):
    """The move form posted with codes typed by hand (no suggestion picked) previews the move."""
    response = client_of("officer_a").post(
        reverse("reorganisation:move"),
        {"unit": "a2", "new_parent": "A1", "day": "01/01/2024", "preview": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Xem trước" in body
    assert 'class="invalid-feedback' not in body
    assert f"CĐCS {MARKER_A} Hai" in body  # named under its box and in the preview


def test_a_cluster_member_added_by_typed_code(client_of, world):
    from congdoan.organisation.tests.url_cases import cluster_a

    cluster = cluster_a(world)
    client = client_of("officer_a")
    url = reverse("organisation:cluster_member_add", args=[cluster.pk])
    response = client.post(url, {"unit": "a1t1", "year": 2025})
    assert response.status_code == 302
    assert ClusterMembership.objects.filter(
        cluster=cluster, unit=world.group_a1, year=2025
    ).exists()
    # A code outside the scope is "not found", like a code of no unit.
    body = client.post(url, {"unit": "B1", "year": 2025}).content.decode()
    assert "Không tìm thấy đơn vị có mã này trong phạm vi của bạn." in body


def test_unit_choice_field_gives_every_unit_field_the_picker(world):
    field = UnitChoiceField(user=world.officer_a, action=Action.MEMBERS_CHANGE, active_only=False)
    assert isinstance(field.widget, UnitPickerInput)
    assert (field.widget.action, field.widget.active_only) == (Action.MEMBERS_CHANGE, False)
    html = field.widget.render("unit", "A1", {"id": "id_unit"})
    assert "action=members.change" in html and "active=" not in html
    # Another widget given stays (e.g. a drop-down list for a small scope).
    assert isinstance(
        UnitChoiceField(
            user=world.officer_a, action=Action.MEMBERS_VIEW, widget=forms.Select()
        ).widget,
        forms.Select,
    )
    assert isinstance(UnitCodesPicker(user=world.officer_a), UnitPickerInput)


def test_a_huge_id_is_not_found(world):
    field = UnitChoiceField(user=world.national, action=Action.ORGANISATION_VIEW)
    with pytest.raises(forms.ValidationError):
        field.clean("99999999999999999999")
    assert field.clean(str(world.grass_a1.pk)) == Unit.objects.get(pk=world.grass_a1.pk)
