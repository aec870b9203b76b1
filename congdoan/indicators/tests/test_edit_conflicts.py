"""Two officers entering the same sheet at once: no figure is lost (core/concurrency.py).

The sheet carries each figure and comment as shown (o-<code>, oc-<code>): a save writes only what
the officer changed, figures changed by the other officer meanwhile stay, and the same figure
changed differently by both is refused, nothing written, with who and the value now stored; the
officer's input stays on the sheet, and saving it again is their decision."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from congdoan.core.concurrency import EditConflict
from congdoan.indicators import services
from congdoan.indicators.models import PeriodKind, Value
from congdoan.indicators.periods import period_open

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def value(world, year, code):
    row = Value.objects.filter(unit=world.grass_a1, period=year, indicator__code=code).first()
    return (row.value, row.comment) if row else None


def save(world, year, who, entries, shown, comments=None, shown_comments=None):
    return services.values_save(
        actor=world.persona(who),
        unit=world.grass_a1,
        period=year,
        entries=entries,
        comments=comments,
        shown=shown,
        shown_comments=shown_comments,
    )


def test_different_figures_both_land_and_untouched_ones_are_not_written(world, year):
    save(world, year, "national", {"suat_qua": "5", "phat_trien_dv": "3"}, shown=None)
    opened = {"suat_qua": "5", "phat_trien_dv": "3"}
    save(world, year, "officer_a", {"suat_qua": "7", "phat_trien_dv": "3"}, shown=opened)
    # The national officer's sheet still shows 5 and 3; they change the admissions only.
    save(world, year, "national", {"suat_qua": "5", "phat_trien_dv": "4"}, shown=opened)
    assert value(world, year, "suat_qua")[0] == 7
    assert value(world, year, "phat_trien_dv")[0] == 4


def test_the_same_figure_is_refused_and_nothing_is_written(world, year):
    save(world, year, "national", {"suat_qua": "5"}, shown=None)
    opened = {"suat_qua": "5", "phat_trien_dv": ""}
    save(world, year, "officer_a", {"suat_qua": "7"}, shown=opened)
    with pytest.raises(EditConflict) as refused:
        save(world, year, "national", {"suat_qua": "6", "phat_trien_dv": "2"}, shown=opened)
    text = str(refused.value)
    assert text.startswith(f"Cán bộ A đã lưu số liệu của {world.grass_a1.name} lúc "), text
    assert "(nay: 7)" in text and [c.name for c in refused.value.changed] == ["suat_qua"]
    assert value(world, year, "suat_qua")[0] == 7 and value(world, year, "phat_trien_dv") is None
    # The same change by both is no conflict; a comment is merged the same way.
    save(world, year, "national", {"suat_qua": "7"}, shown=opened)
    save(world, year, "officer_a", {}, {"suat_qua": "7"}, {"suat_qua": "Theo sổ"}, {"suat_qua": ""})
    with pytest.raises(EditConflict, match="Theo sổ"):
        save(world, year, "national", {}, {"suat_qua": "7"}, {"suat_qua": "Khác"}, {"suat_qua": ""})
    assert value(world, year, "suat_qua") == (Decimal(7), "Theo sổ")


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def test_the_sheet_keeps_what_the_officer_entered(world, year, client_of):
    save(world, year, "national", {"suat_qua": "5"}, shown=None)
    client = client_of("officer_a")
    sheet = reverse("indicators:sheet", kwargs={"unit": world.grass_a1.pk, "period": year.pk})
    page = client.get(sheet).content.decode()
    assert _hidden(page, "o-suat_qua") == "5" and _hidden(page, "o-phat_trien_dv") == ""
    form = {
        "v-suat_qua": "8",
        "o-suat_qua": "5",
        "v-phat_trien_dv": "",
        "o-phat_trien_dv": "",
        "c-suat_qua": "",
        "oc-suat_qua": "",
    }
    # Meanwhile the national officer changes the same figure and adds another.
    save(world, year, "national", {"suat_qua": "6", "phat_trien_dv": "2"}, shown=None)

    answer = client.post(sheet, form)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Quản trị Trung ương đã lưu số liệu" in html and "(nay: 6)" in html
    assert 'name="v-suat_qua" id="v-suat_qua" value="8"' in html  # the officer's input
    assert _hidden(html, "o-suat_qua") == "6"  # the sheet as now stored
    assert value(world, year, "suat_qua")[0] == 6

    again = client.post(sheet, {**form, "o-suat_qua": _hidden(html, "o-suat_qua")})
    assert again.status_code == 302
    assert value(world, year, "suat_qua")[0] == 8
    assert value(world, year, "phat_trien_dv")[0] == 2  # not touched by the officer: kept


def test_one_cell_saved_by_htmx_is_merged_too(world, year, client_of):
    save(world, year, "national", {"suat_qua": "5"}, shown=None)
    client = client_of("officer_a")
    cell = reverse(
        "indicators:sheet_cell",
        kwargs={"unit": world.grass_a1.pk, "period": year.pk, "code": "suat_qua"},
    )
    save(world, year, "national", {"suat_qua": "6"}, shown=None)
    row = client.post(cell, {"v-suat_qua": "9", "o-suat_qua": "5"}, **HX).content.decode()
    assert "(nay: 6)" in row and 'value="9"' in row and _hidden(row, "o-suat_qua") == "6"
    assert value(world, year, "suat_qua")[0] == 6
    row = client.post(cell, {"v-suat_qua": "9", "o-suat_qua": "6"}, **HX).content.decode()
    assert value(world, year, "suat_qua")[0] == 9 and _hidden(row, "o-suat_qua") == "9"


def test_the_api_takes_the_figures_as_read(world, year):
    from rest_framework.test import APIClient

    save(world, year, "national", {"suat_qua": "5"}, shown=None)
    client = APIClient()
    client.force_authenticate(world.officer_a)
    body = {"unit": world.grass_a1.code, "period": year.pk}
    read = {"suat_qua": "5", "phat_trien_dv": None}
    save(world, year, "national", {"suat_qua": "6"}, shown=None)  # meanwhile

    stale = client.post(
        "/api/v1/sheets/values/",
        {**body, "entries": {"suat_qua": "8", "phat_trien_dv": "2"}, "read": read},
        format="json",
    )
    assert stale.status_code == 412, stale.content
    assert stale.json()["changed"] == ["suat_qua"] and "(nay: 6)" in stale.json()["detail"]
    assert value(world, year, "suat_qua")[0] == 6 and value(world, year, "phat_trien_dv") is None
    # The figure not changed meanwhile lands, and the other one is kept.
    ok = client.post(
        "/api/v1/sheets/values/",
        {**body, "entries": {"suat_qua": "5", "phat_trien_dv": "2"}, "read": read},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert value(world, year, "suat_qua")[0] == 6 and value(world, year, "phat_trien_dv")[0] == 2
