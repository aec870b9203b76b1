"""The current year of the demo: an officer arriving on the day the demo is built finds the year's
period open, its targets handed down and figures on their way in.

Played after last year's season (indicators.py), for the year of the day the demo is built
(2026 for a demo built on 06/12/2026), whatever that day is:

- Targets: in the year's first days Tổng LĐLĐ (the system administrator) gives the province its
  targets, a little above what its units will do; tinh.pheduyet hands them down to the units
  directly below the province, and each of these (xa.quantri for phường Tân Phong) to its
  grassroots unions, in proportion to their members, as `services.targets_allocate` splits
  them (`CurrentYear.hand_down`).
- Figures so far, sized by the share of the year gone by: of the grassroots unions active
  today about a quarter have entered nothing yet, most have a draft with some of their figures,
  a few have sent the whole sheet and wait for approval (by tinh.pheduyet, and by xa.quantri
  for some unions of phường Tân Phong); the school of cs.nhaplieu sent its sheet with a slip
  and xa.quantri returned it with a reason, to correct. Above the grassroots, the province, the
  union of phường Tân Phong and about half the others have drafts of their own figures, and two
  have sent theirs to tinh.pheduyet.
- Every step is dated on a day of the year so far, before the day the demo is built (on the
  year's first day, before the moment it is built: `sheets.at`).

The sheets are written in bulk (`sheets.write_sheets`, `rollup.apply_many`), like the
departments' of last year; the returned one goes through the services.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from congdoan.demo.figures import (
    GRASSROOTS_STOCKS,
    MILLION,
    UPPER_STOCKS,
    figures_for,
    in_progress,
    round_to_step,
    so_far,
)
from congdoan.demo.indicators import (
    APPROVER_ACCOUNT,
    COMMUNE_ACCOUNT,
    NATIONAL_ACCOUNT,
    TARGETED,
    UPPER_RETURN_REASON,
    Season,
)
from congdoan.demo.player import Writer
from congdoan.demo.sheets import Move, Planned, clock, deltas, write_sheets
from congdoan.indicators import rollup, services
from congdoan.indicators.models import Period, PeriodKind, Sheet, SheetStep, Step, Target, Value
from congdoan.indicators.periods import period_open
from congdoan.indicators.selectors import target_children
from congdoan.members.counts import members_per_unit
from congdoan.organisation.models import Unit

# An upper level's facts of the year so far, kept as they are.
UPPER_FACTS = (*UPPER_STOCKS, "thanh_lap_cdcs", "thanh_lap_cdcs_ngoai_nn")


@dataclass
class CurrentSummary:
    year: int
    seconds: float
    targets: int
    values: int
    sheets: Counter[str] = field(default_factory=Counter)  # status → sheets
    returned: int = 0

    def line(self) -> str:
        states = ", ".join(f"{k}: {v}" for k, v in sorted(self.sheets.items()))
        return (
            f"Năm {self.year} đang diễn ra: {self.targets} chỉ tiêu giao, {self.values} số liệu; "
            f"phiếu {sum(self.sheets.values())} ({states}); trả lại {self.returned} "
            f"({self.seconds:.1f} s)"
        )


class CurrentYear:
    """The year of `today` so far, through a `Season` of that year (who enters and approves
    what, its seeded generator, the units above the grassroots and their figures)."""

    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.season = Season(seed=seed, year=today.year)
        self.rng = self.season.rng
        self.period = period_open(actor=None, kind=PeriodKind.YEAR, year=today.year)
        start, end = self.period.start, self.period.end
        # Steps happen up to the day before the demo is built (its first day: that day).
        self.last = max(start, min(end, today - dt.timedelta(days=1)))
        self.share = min(1.0, ((self.last - start).days + 1) / ((end - start).days + 1))
        self.today = today
        self.targets = 0

    def day(self, start: dt.date, days: int = 0) -> dt.date:
        """`days` after `start`, within the year so far."""
        return min(self.last, max(self.period.start, start + dt.timedelta(days=days)))

    def recent(self, days: int) -> dt.date:
        """A day among the last `days` of the year so far."""
        return self.day(self.last, -self.rng.randint(0, days))

    # --- targets ------------------------------------------------------------------------------

    def assign_targets(self, plans: dict[int, dict[str, int]]) -> int:
        """The province's targets from Tổng LĐLĐ, handed down two levels by members."""
        s, period, start = self.season, self.period, self.period.start
        national, approver = s.users[NATIONAL_ACCOUNT], s.users[APPROVER_ACCOUNT]
        totals: dict[int, dict[str, Decimal]] = {s.province.pk: {}}
        with clock(self.day(start, 9)):
            for code in TARGETED:
                planned = sum(p.get(code, 0) for p in plans.values())
                step = MILLION if code.startswith(("tien_", "thu_")) else 10
                target = services.target_set(
                    actor=national,
                    unit=s.province,
                    indicator=s.indicators[code],
                    period=period,
                    value=round_to_step(planned * self.rng.uniform(1.0, 1.08), step),
                    note=f"Tổng LĐLĐ Việt Nam giao năm {period.year}",
                )
                assert target is not None
                totals[s.province.pk][code] = target.value
        with clock(self.day(start, 19)):
            totals.update(self.hand_down(s.province, totals[s.province.pk], approver))
        with clock(self.day(start, 30)):
            for unit in self.allocating():
                actor = s.users[COMMUNE_ACCOUNT] if s.is_commune(unit) else approver
                self.hand_down(unit, totals[unit.pk], actor)
        return Target.objects.filter(period=period).count()

    def hand_down(
        self, parent: Unit, totals: dict[str, Decimal], actor: Any
    ) -> dict[int, dict[str, Decimal]]:
        """`parent`'s targets split among the units below it in proportion to their members,
        as `services.targets_allocate` splits them (its preview gives the units and their
        weights, counted once for every indicator); the shares, by unit."""
        s = self.season
        rows = services.allocation_preview(
            parent=parent,
            indicator=s.indicators[TARGETED[0]],
            period=self.period,
            total=1,
            method="members",
        )
        # Their parents at hand: the service checks the actor acts for each unit's parent.
        kids = Unit.objects.select_related("parent").in_bulk([row.unit.pk for row in rows])
        weights = [row.weight for row in rows]
        shares: dict[int, dict[str, Decimal]] = {row.unit.pk: {} for row in rows}
        for code in TARGETED:  # counts and amounts in đồng: whole numbers
            split = services.allocate(totals[code], weights, 0)
            services.targets_set_many(
                actor=actor,
                indicator=s.indicators[code],
                period=self.period,
                values={kids[row.unit.pk]: share for row, share in zip(rows, split, strict=True)},
            )
            for row, share in zip(rows, split, strict=True):
                shares[row.unit.pk][code] = share
        return shares

    def allocating(self) -> list[Unit]:
        """The units directly below the province that have units below them to hand targets
        to, on the day of the call (`selectors.target_children`, as the targets page)."""
        s, period = self.season, self.period
        found = target_children(s.province.pk, period)
        kids = Unit.objects.select_related("unit_type").in_bulk([u for u, _n, _c in found])
        return [
            unit
            for unit in sorted(kids.values(), key=lambda u: u.code)
            if not unit.unit_type.is_grassroots and target_children(unit.pk, period)
        ]

    # --- figures ------------------------------------------------------------------------------

    def plans(self) -> tuple[dict[Unit, dict[str, int]], dict[Unit, dict[str, int]]]:
        """The year's figures planned by every grassroots union active today and by the units
        above them that enter figures of their own."""
        s, period = self.season, self.period
        units = s.grassroots(self.today)
        members = members_per_unit(self.today, [u.pk for u in units])
        grassroots = {
            u: figures_for(self.rng, members.get(u.pk, (0, 0))[0], s.is_enterprise(u))
            for u in units
        }
        below = s.below(period)
        uppers = {u: s.upper_plan(u, period, below[u.pk]) for u in s.uppers(period)}
        return grassroots, uppers

    def planned_sheet(self, unit: Unit, figures: dict[str, int], send: bool) -> Planned:
        """A draft with some of `figures`, or (`send`) all of them sent for approval."""
        entered = self.recent(40)
        enterer = self.season.enterer(unit, entered)
        if not send:
            return Planned(unit, in_progress(self.rng, figures), entered, enterer)
        sent = self.day(entered, self.rng.randint(0, 5))
        return Planned(unit, figures, entered, enterer, [Move(Step.SUBMIT, sent, 15, enterer)])

    def grassroots_sheets(self, plans: dict[Unit, dict[str, int]]) -> list[Planned]:
        """A quarter nothing yet, a few sent (one at least under phường Tân Phong), the rest
        drafts; the school of cs.nhaplieu is left for `returned`."""
        s = self.season
        units = [u for u in plans if u != s.school]
        self.rng.shuffle(units)
        commune = [u for u in units if s.under_commune(u, self.today)][:1]
        others = [u for u in units if u not in commune]
        few = max(2, len(units) * 8 // 100)
        sent = {*commune, *others[:few]}
        idle = set(others[few : few + len(units) // 4])
        return [
            self.planned_sheet(
                u, so_far(self.rng, plans[u], self.share, GRASSROOTS_STOCKS), u in sent
            )
            for u in sorted(units, key=lambda u: u.code)
            if u not in idle
        ]

    def upper_sheets(self, plans: dict[Unit, dict[str, int]]) -> list[Planned]:
        """Drafts of the province, of phường Tân Phong and of half the others; two sent."""
        s = self.season
        others = [u for u in plans if u != s.province and not s.is_commune(u)]
        self.rng.shuffle(others)
        sent = set(others[:2])
        drafts = {s.province, *(u for u in plans if s.is_commune(u)), *others[2 : len(others) // 2]}
        return [
            self.planned_sheet(u, so_far(self.rng, plans[u], self.share, UPPER_FACTS), u in sent)
            for u in sorted(plans, key=lambda u: u.code)
            if u in sent or u in drafts
        ]

    def returned(self, plan: dict[str, int]) -> None:
        """The school of cs.nhaplieu: sent with an extra zero in its gifts' value, returned by
        its commune union's officer with the reason, now a draft to correct."""
        s = self.season
        unit = s.school
        if unit is None:
            return
        figures = so_far(self.rng, plan, self.share, GRASSROOTS_STOCKS)
        gifts = max(1, figures.get("suat_qua", 0))  # Tết gifts, given early in the year
        slip = dict(
            figures, suat_qua=gifts, tien_qua=gifts * plan["tien_qua"] // plan["suat_qua"] * 10
        )
        returned_on = self.day(self.last, -1)
        sent = self.day(returned_on, -2)
        sheet = s.enter(unit, self.period, slip, self.day(sent, -3))
        sheet = s.submit(sheet, sent)
        with clock(returned_on):
            services.sheet_return(
                actor=s.approver(unit, returned_on), sheet=sheet, reason=UPPER_RETURN_REASON
            )

    def play(self) -> None:
        """Targets first, then the sheets in bulk and their roll-up, then the returned one."""
        grassroots, uppers = self.plans()
        self.targets = self.assign_targets({u.pk: p for u, p in {**grassroots, **uppers}.items()})
        planned = self.grassroots_sheets(grassroots) + self.upper_sheets(uppers)
        sheets, values = write_sheets(self.period, planned, self.season.indicators)
        rollup.apply_many(self.period, deltas(sheets, values))
        if self.season.school in grassroots:
            self.returned(grassroots[self.season.school])


def play_current_year(*, today: dt.date, seed: int, out: Writer | None = None) -> CurrentSummary:
    """The year of `today` so far for the demo province (see the module's docstring)."""
    started = time.perf_counter()
    year = CurrentYear(seed=seed, today=today)
    year.play()
    period: Period = year.period
    summary = CurrentSummary(
        year=period.year,
        seconds=time.perf_counter() - started,
        targets=year.targets,
        values=Value.objects.filter(period=period).count(),
        sheets=Counter(Sheet.objects.filter(period=period).values_list("status", flat=True)),
        returned=SheetStep.objects.filter(sheet__period=period, step=Step.RETURN).count(),
    )
    if out is not None:
        out.write(summary.line() + "\n")
    return summary
