"""English mode is fully English: the wording the engine generates (ranks, period names,
amounts, units of measure, number formats) follows the chosen language, and Vietnamese stays
exactly as the reports write it. Names from the data (units, indicators) may stay Vietnamese."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from congdoan.core import formats
from congdoan.indicators import dashboards, wording
from congdoan.indicators.models import Indicator, IndicatorGroup, Period, PeriodKind
from congdoan.indicators.periods import name_of, period_create, period_open
from congdoan.indicators.tests.figures_world import build_figures, enter, target
from congdoan.organisation.models import Cluster, Unit

D = Decimal
# Words the engine writes in Vietnamese; none may reach an English page (outside data names).
VIETNAMESE = (
    "thứ",
    "Năm ",
    "Tháng",
    "Quý",
    "gần",
    "hơn",
    "tỷ đồng",
    "triệu đồng",
    "nghìn đồng",
    "đồng",
    "người",
    "suất",
    "đạt",
    "vượt",
    "chỉ tiêu",
    "đơn vị",
    "chưa",
    "trong",
)


@pytest.fixture
def figures(world):
    year = build_figures(world, period_open(actor=None, kind=PeriodKind.YEAR, year=2024))
    target(world, world.national, world.unit_a, year, tien_qua=3_000_000_000)
    enter(world, world.grass_a2, year, tien_qua=2_960_000_000)
    return year


def test_numbers_and_ordinals_follow_the_language():
    with translation.override("en"):
        assert formats.number(1234567) == "1,234,567"
        assert formats.number(D("1234.5"), 1) == "1,234.5"
        assert [formats.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
        ]  # fmt: skip
    with translation.override("vi"):
        assert formats.number(1234567) == "1.234.567"
        assert formats.number(D("1234.5"), 1) == "1.234,5"
        assert [formats.ordinal(n) for n in (1, 2, 4)] == ["nhất", "2", "tư"]


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (D("3.8e9"), "3,8 tỷ đồng", "3.8 billion dong"),
        (D(2_960_000_000), "gần 3 tỷ đồng", "nearly 3 billion dong"),
        (D(15_240_000_000), "hơn 15,2 tỷ đồng", "over 15.2 billion dong"),
        (D(126_100_000), "126,1 triệu đồng", "126.1 million dong"),
        (D(6_480_000_000), "gần 6,5 tỷ đồng", "nearly 6.5 billion dong"),
        (D(45_000), "45 nghìn đồng", "45 thousand dong"),
        (D(950), "950 đồng", "950 dong"),
    ],
)
def test_amounts(value, vi, en):
    with translation.override("vi"):
        assert wording.money(value) == vi
    with translation.override("en"):
        assert wording.money(value) == en


def test_ranks_percentages_and_counts():
    with translation.override("vi"):
        assert (wording.rank(1, 2), wording.rank(3, 15)) == ("thứ nhất/2", "thứ 3/15")
        assert wording.percent(D(4750)) == "4.750%" and wording.amount(D("12.50"), 2) == "12,5"
        assert wording.indicators_reached(10, 10, 4).startswith("10/10 chỉ tiêu đạt và vượt")
    with translation.override("en"):
        assert (wording.rank(1, 2), wording.rank(3, 15)) == ("1st of 2", "3rd of 15")
        assert wording.percent(D(4750)) == "4,750%" and wording.amount(D("12.50"), 2) == "12.5"
        assert wording.fraction(D(2392), D(2300)) == "2,392/2,300"
        assert wording.indicators_reached(10, 10, 4) == (
            "10/10 targets reached or exceeded, of which 4 targets exceeded"
        )


CALENDAR = [
    (PeriodKind.MONTH, 3, "Tháng 3/2025", "Month 3 2025"),
    (PeriodKind.QUARTER, 3, "Quý III/2025", "Quarter 3 2025"),
    (PeriodKind.HALF, 1, "6 tháng đầu năm 2025", "First half 2025"),
    (PeriodKind.HALF, 2, "6 tháng cuối năm 2025", "Second half 2025"),
    (PeriodKind.NINE, 1, "9 tháng đầu năm 2025", "9 months 2025"),
    (PeriodKind.YEAR, 1, "Năm 2025", "Year 2025"),
    (PeriodKind.SCHOOL_YEAR, 1, "Năm học 2025 - 2026", "School year 2025–2026"),
]


@pytest.mark.parametrize(("kind", "number", "vi", "en"), CALENDAR)
def test_period_names_follow_the_language(db, kind, number, vi, en):
    period = period_open(actor=None, kind=kind, year=2025, number=number)
    assert period.name == name_of(kind, 2025, number) == vi  # stored: the reports' name
    with translation.override("vi"):
        assert period.label == str(period) == vi
    with translation.override("en"):
        assert period.label == str(period) == en


def test_a_custom_period_keeps_its_name(db):
    phase = period_create(
        actor=None,
        kind=PeriodKind.PHASE,
        name="Giai đoạn 1",
        start=dt.date(2020, 7, 1),
        end=dt.date(2021, 12, 31),
    )
    with translation.override("en"):
        assert phase.label == "Giai đoạn 1"


def test_units_of_measure(db):
    stored = set(Indicator.objects.values_list("unit_of_measure", flat=True))
    assert stored <= {*wording.STANDARD_UNITS, "%"}, stored - set(wording.STANDARD_UNITS)
    with translation.override("vi"):
        assert all(wording.unit_of_measure(u) == u for u in stored)
    with translation.override("en"):
        assert wording.unit_of_measure("người") == "people"
        assert wording.unit_of_measure("suất") == "gifts"
        assert wording.unit_of_measure("căn nhà") == "houses"
        assert wording.unit_of_measure("cây xanh") == "cây xanh"  # not a standard one: as stored
        english = [wording.unit_of_measure(u) for u in stored]
        assert not [u for u in english if re.search(r"[^\x00-\x7f]", u)], english


# --- the pages --------------------------------------------------------------------------------


def data_names() -> list[str]:
    """Names that come from the data and may stay Vietnamese, longest first."""
    names = [
        *Indicator.objects.values_list("name", flat=True),
        *Indicator.objects.exclude(short_name="").values_list("short_name", flat=True),
        *IndicatorGroup.objects.values_list("name", flat=True),
        *Unit.objects.values_list("name", flat=True),
        *Cluster.objects.values_list("name", flat=True),
        *Period.objects.exclude(kind__in=[k for k, *_ in CALENDAR]).values_list("name", flat=True),
        "Cán bộ A",  # the user's name in the navbar
        "Tiếng Việt",  # the language switch offers Vietnamese in Vietnamese
    ]
    return sorted(set(names), key=len, reverse=True)


def generated_text(html: str) -> str:
    """What a person reads (tags dropped), without the names from the data."""
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    for name in data_names():
        text = text.replace(name, " ")
    return " ".join(text.split())


def vietnamese_in(text: str) -> list[str]:
    return [w for w in VIETNAMESE if w in text]


def test_the_dashboard_in_english(world, figures, client_of):
    client = client_of("officer_a")
    client.cookies["django_language"] = "en"
    kwargs = {"pk": world.unit_a.pk, "period": figures.pk}
    keys = {"key": ["dv_cuoi_ky", "phat_trien_dv", "suat_qua", "tien_qua"]}
    pages = {
        "page": client.get(reverse("indicators:dashboard", kwargs=kwargs), keys),
        "across": client.get(
            reverse("indicators:dashboard", kwargs=kwargs), {**keys, "rows": "indicators"}
        ),
        "children": client.get(
            reverse("indicators:dashboard_children", kwargs=kwargs),
            {**keys, "sort": "-tien_qua"},
            HTTP_HX_REQUEST="true",
        ),
        "trend": client.get(
            reverse("indicators:dashboard_trend", kwargs=kwargs), keys, HTTP_HX_REQUEST="true"
        ),
        "ranking": client.get(reverse("indicators:ranking", kwargs=kwargs), {"by": "suat_qua"}),
    }
    texts = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        texts[name] = generated_text(response.content.decode())
        assert vietnamese_in(texts[name]) == [], (name, vietnamese_in(texts[name]))
    page = texts["page"]
    assert "Year 2024" in page and "Year 2023" in page
    assert "Ranked 2nd of 2 among the 2 units under the same parent by targets reached" in page
    assert "nearly 3 billion dong" in page and "people" in page
    assert "1/3 targets reached or exceeded, of which 1 target exceeded" in page
    assert "(million dong)" in texts["children"] and "2,960" in texts["children"]
    assert "Year 2023" in texts["trend"]
    assert "Ranked 2nd of 2 among the 2 units under the same parent by" in texts["ranking"]


def test_the_dashboard_in_vietnamese_is_unchanged(world, figures, client_of):
    body = client_of("officer_a").get(
        reverse("indicators:dashboard", kwargs={"pk": world.unit_a.pk, "period": figures.pk}),
        {"key": ["phat_trien_dv", "tien_qua"]},
    )
    text = generated_text(body.content.decode())
    assert "Năm 2024" in text and "Năm 2023" in text
    assert "gần 3 tỷ đồng" in text and "Chỉ tiêu giao: 3 tỷ đồng 99% · chưa đạt" in text
    assert "Xếp hạng trong số 2 đơn vị cùng cấp trên theo số chỉ tiêu đạt: thứ nhất/2" in text
    assert "(triệu đồng)" in text and "2.960" in text


def test_the_data_object_in_english(world, figures):
    with translation.override("en"):
        d = dashboards.dashboard(world.officer_a, world.unit_a, figures, with_trends=False)
        assert (d.period_name, d.previous_name) == ("Year 2024", "Year 2023")
        assert [r.text for r in d.ranks] == ["2nd of 2", "2nd of 2"]
        money = next(k for k in d.key if k.indicator.code == "tien_qua")
        assert money.value_text == "nearly 3 billion dong" and money.target_text == (
            "3 billion dong"
        )
