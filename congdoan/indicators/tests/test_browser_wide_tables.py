"""The wide tables in real Chromium (issue 12): a unit with 45 units below. The targets matrix
and the dashboard's table of units below fit their cells in a 1366 px window, scroll inside their
box with the first column and the header row in place, and the dashboard in English shows no
Vietnamese wording of the engine's own."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from congdoan.core.tests.support import MARKER_A, PASSWORD

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1366, 900
UNITS = 45


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "viewport": {"width": WIDTH, "height": HEIGHT},
    }


@pytest.fixture
def setup(transactional_db):
    from congdoan.core.tests.support import build_world, unit_type
    from congdoan.indicators.models import PeriodKind
    from congdoan.indicators.periods import period_open
    from congdoan.indicators.tests.figures_world import enter, target
    from congdoan.organisation import services as org
    from congdoan.organisation.models import Unit

    world = build_world()
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    for i in range(UNITS - 2):
        org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"AW{i:02d}",
            name=f"Công đoàn cơ sở {MARKER_A} Công ty cổ phần xây dựng và thương mại số {i:02d}",
            short_name="",
            unit_type=unit_type("cdcs"),
            day=dt.date(2020, 1, 1),
        )
    target(world, world.national, world.unit_a, year, phat_trien_dv=200, suat_qua=900)
    target(world, world.national, world.unit_a, year, tien_qua=450_000_000)
    for n, kid in enumerate(Unit.objects.filter(parent=world.unit_a).order_by("code")):
        target(world, world.officer_a, kid, year, phat_trien_dv=4, suat_qua=20)
        enter(world, kid, year, phat_trien_dv=n % 7, suat_qua=15 + n, tien_qua=1_234_567 * n)
    return world, year


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


# The widest cell of the wide tables, the box and whether it scrolls sideways.
MEASURE = """() => {
  const box = document.querySelector('.wide-table');
  const cells = [...box.querySelectorAll('th, td')];
  return {
    widest: Math.max(...cells.map((c) => c.getBoundingClientRect().width)),
    scrolls: box.scrollWidth > box.clientWidth + 50,
    boxWidth: box.getBoundingClientRect().width,
  };
}"""

# Scroll the box right and down: the first column and the header row stay where they were.
SCROLL = """async () => {
  const box = document.querySelector('.wide-table');
  const first = box.querySelector('tbody tr:nth-child(2) > :first-child');
  const other = box.querySelector('tbody tr:nth-child(2) > :nth-child(4)');
  const head = box.querySelector('thead th:nth-child(4)');
  const before = [first.getBoundingClientRect(), other.getBoundingClientRect(),
                  head.getBoundingClientRect()];
  box.scrollLeft = 900;
  box.scrollTop = 300;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const after = [first.getBoundingClientRect(), other.getBoundingClientRect(),
                 head.getBoundingClientRect()];
  return {
    firstLeft: [before[0].left, after[0].left],
    otherLeft: [before[1].left, after[1].left],
    headTop: [before[2].top, after[2].top],
    scrolled: [box.scrollLeft, box.scrollTop],
  };
}"""


def check_wide_table(page) -> None:
    size = page.evaluate(MEASURE)
    assert size["widest"] <= WIDTH, size
    assert size["scrolls"], size  # wider than the window: it scrolls inside its box
    assert size["boxWidth"] <= WIDTH, size
    moved = page.evaluate(SCROLL)
    assert moved["scrolled"][0] > 0, moved
    assert abs(moved["firstLeft"][0] - moved["firstLeft"][1]) < 1, moved  # sticky
    assert moved["otherLeft"][1] < moved["otherLeft"][0] - 100, moved  # the rest scrolled
    assert abs(moved["headTop"][0] - moved["headTop"][1]) < 1, moved  # header stays


def name_lines(page, selector: str) -> int:
    """The most lines any of these names takes."""
    return page.evaluate(
        """(selector) => Math.max(...[...document.querySelectorAll(selector)].map((el) => {
          const style = getComputedStyle(el);
          const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
          return Math.round(el.getBoundingClientRect().height / line);
        }))""",
        selector,
    )


def test_wide_tables(live_server, page, setup, artifacts_dir):
    world, year = setup
    base = live_server.url
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts_dir / f"indicators-wide-{name}.png"))

    login(page, base, "officer_a")

    # The targets matrix: an indicator a row, 20 units a page across the top.
    targets = f"{base}/indicators/units/{world.unit_a.pk}/periods/{year.pk}/targets/"
    page.goto(targets)
    expect(page.locator(".targets-matrix thead th.unit-col")).to_have_count(20)
    assert name_lines(page, ".targets-matrix .unit-col .clamp-2") <= 2
    shot("1-targets")
    check_wide_table(page)
    shot("2-targets-scrolled")
    page.locator("nav .page-link", has_text="3").click()
    expect(page.locator(".targets-matrix thead th.unit-col")).to_have_count(UNITS - 40)

    # A unit a row: 45 rows, names on one or two lines.
    page.goto(f"{targets}?rows=units")
    expect(page.locator(".targets-matrix tbody tr")).to_have_count(UNITS + 2)
    size = page.evaluate(MEASURE)
    assert size["widest"] <= WIDTH, size
    assert name_lines(page, ".targets-matrix tbody th.name-col .unit-name") <= 2
    shot("3-targets-by-unit")

    # The dashboard: a unit a row (the default), then a unit a column (20 a page).
    dashboard = f"{base}/indicators/dashboard/{world.unit_a.pk}/{year.pk}/"
    page.goto(dashboard)
    expect(page.locator(".dashboard-children tbody tr")).to_have_count(UNITS)
    size = page.evaluate(MEASURE)
    assert size["widest"] <= WIDTH, size
    assert name_lines(page, ".dashboard-children tbody th.name-col a") <= 2
    shot("4-dashboard")
    page.get_by_role("link", name="Mỗi đơn vị một cột").click()  # htmx turns the table
    expect(page.locator(".dashboard-children.units-across thead th.unit-col")).to_have_count(20)
    assert "rows=indicators" in page.url
    shot("5-dashboard-by-unit-column")
    check_wide_table(page)
    shot("6-dashboard-scrolled")
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_the_dashboard_in_english(live_server, page, setup, artifacts_dir):
    from congdoan.indicators.tests.test_english import generated_text, vietnamese_in

    world, year = setup
    base = live_server.url
    login(page, base, "officer_a")
    page.goto(f"{base}/indicators/dashboard/{world.unit_a.pk}/{year.pk}/")
    page.select_option("select[name=language]", "en")  # app.js submits the language form
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#dashboard-trend table")).to_have_count(1)  # loaded by htmx
    page.screenshot(
        path=str(artifacts_dir / "indicators-wide-7-dashboard-english.png"), full_page=True
    )
    text = generated_text(page.locator("body").inner_text())
    assert vietnamese_in(text) == [], vietnamese_in(text)
    assert "Year 2025" in text and "Ranked" in text and "targets reached" in text
