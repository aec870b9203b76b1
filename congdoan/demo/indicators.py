"""A year of targets and figures for the demo federation (LĐLĐ tỉnh Lai Châu), played through the
indicator services, so that history, workflow steps and roll-up are exactly what they record.

The year is the one before the demo's last day (2025 for a demo ending 30/06/2026); its
first six months (sơ kết) are reported too. A seeded random generator decides every figure, so
the same seed gives the same data.

- Targets of the year: Tổng LĐLĐ (the system administrator) assigns the province's targets in
  January; after the 1/7/2025 reform the province assigns them again to the units below it at
  the year's end (commune unions, sector unions), in proportion to their members
  (`services.allocate` with member weights, set with `target_set`: `targets_allocate` splits
  among the children active at the period's *start*, which in 2025 are the dissolved district
  federations); each commune and sector union then allocates its target to its grassroots
  unions with `services.targets_allocate(method="members")`.
- Figures: every grassroots union of the province enters ~25 indicators (`values_save`) of a
  size that fits its members (gifts of 300,000–1,000,000 đồng each, union dues of 1 % of a
  salary of 5–9 million đồng…). The six months' sheets are all locked (tree of 30/06/2025:
  district federations) and written in bulk, then rolled up with `rollup.rebuild`; the year's sheets are mostly locked, some only approved, some
  submitted and waiting, a few still draft past the due date; one was returned for correction
  and two were reopened after locking with a recorded reason, corrected and locked again (one
  of them the school of the demo account cs.nhaplieu, reopened by xa.quantri).
- The departments and union groups below the grassroots unions enter their own small figures
  (data set "bieu_to_cong_doan": a handful of gifts and activities; the engine adds them to their
  union's), sent by their union's officer with or before its own sheet and approved and locked
  with it; two are still draft past the due date. Written in bulk for both periods, like the
  six months' sheets; the year's added to the totals with `rollup.apply_many`.
- The units above the grassroots enter their own figures too (data set "bieu_cap_tren": what
  they do themselves — grassroots unions founded and assessed, their own care programmes,
  inspections and supervisions of the units below, classes, contests…; the engine adds the
  grassroots unions' figures): the units directly below the province (commune, sector and
  economic-zone unions; before the reform the district federations) and the province itself,
  sized by the units and members below them. Their six months' sheets are locked with the
  grassroots ones; in the year most are locked, a few approved or waiting, two are still draft
  past the due date, one was sent late and one returned for correction (approved by
  tinh.pheduyet; the province's own by the system administrator; the commune of xa.quantri
  enters its own). The province's dashboard thus shows a few units late, not all of them.
- Each step happens on its own day: the services run under a simulated clock
  (`django.utils.timezone.now` patched), so submission, approval and history dates read like a
  real reporting season (late sheets are late, on-time ones are not).

Clusters for ranking are the demo's own (people.py): "Khối thi đua công đoàn các xã, phường"
and "Cụm thi đua số 3" have members for the year.

The year running on the day the demo is built (its targets, drafts, sheets waiting for approval
and one returned) is played after this one, in current.py.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.core.scoping import path_range_q
from congdoan.demo.figures import (
    ASSESSED,
    MILLION,
    Below,
    figures_for,
    half_of,
    part_figures_for,
    part_half_of,
    round_to_step,
    upper_figures_for,
    upper_half_of,
)
from congdoan.demo.parts import parts_below
from congdoan.demo.player import Writer
from congdoan.demo.sheets import Move, Planned, clock, deltas, write_sheets
from congdoan.indicators import rollup, services
from congdoan.indicators.models import (
    Indicator,
    Period,
    PeriodKind,
    Sheet,
    SheetStatus,
    SheetStep,
    Step,
    Target,
    Value,
)
from congdoan.indicators.periods import period_open
from congdoan.members.counts import members_per_unit
from congdoan.organisation.models import Unit, UnitVersion

PROVINCE = "LC"
SCHOOL_ACCOUNT = "cs.nhaplieu"
COMMUNE_ACCOUNT = "xa.quantri"  # Công đoàn phường Tân Phong
ENTRY_ACCOUNT = "tinh.quantri"
APPROVER_ACCOUNT = "tinh.pheduyet"
NATIONAL_ACCOUNT = "quantri"

# Indicators with targets (the province's "chỉ tiêu giao"), allocated by members.
TARGETED = [
    "phat_trien_dv",
    "gioi_thieu_dang",
    "ket_nap_dang",
    "suat_qua",
    "tien_qua",
    "dv_huong_phuc_loi",
    "sang_kien",
    "hd_vhtt",
    "luot_tap_huan",
    "thu_doan_phi",
    "thu_kpcd",
]
RETURN_REASON = (
    "Số suất quà và giá trị quà chưa khớp với sổ theo dõi chi; đề nghị rà soát, nhập lại."
)
REOPEN_REASONS = [
    "Bổ sung 12 suất quà Tết Nguyên đán do công đoàn cơ sở trao sau ngày chốt số liệu; "
    "điều chỉnh giá trị quà tương ứng.",
    "Số đoàn viên kết nạp mới nhập nhầm (gồm cả đoàn viên chuyển đến); sửa theo sổ đoàn viên.",
]
UPPER_RETURN_REASON = (
    "Giá trị quà thăm hỏi nhập thừa một chữ số 0 so với sổ theo dõi chi; đề nghị kiểm tra, "
    "nhập lại."
)


@dataclass
class IndicatorSummary:
    year: int
    seconds: float
    targets: int
    values: int
    sheets: dict[str, Counter[str]] = field(default_factory=dict)  # period name → status counts
    reopened: int = 0
    returned: int = 0
    late: int = 0
    upper: int = 0  # the year's sheets of the units above the grassroots (own figures)
    parts: int = 0  # the year's sheets of the departments and union groups

    def line(self) -> str:
        parts = []
        for name, counts in self.sheets.items():
            states = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
            parts.append(f"{name}: {sum(counts.values())} ({states})")
        return (
            f"Chỉ tiêu và số liệu năm {self.year}: {self.targets} chỉ tiêu giao, {self.values} "
            f"số liệu; phiếu {'; '.join(parts)}; phiếu năm của công đoàn cấp trên: {self.upper}, "
            f"của công đoàn bộ phận, tổ công đoàn: {self.parts}; "
            f"trả lại {self.returned}, mở lại {self.reopened}, "
            f"nộp muộn/quá hạn {self.late} ({self.seconds:.1f} s)"
        )


class Season:
    """One reporting season of the province, through the services."""

    def __init__(self, *, seed: int, year: int) -> None:
        self.rng = random.Random(f"indicators-{seed}-{year}")
        # Departments and union groups draw from their own generator: the others' figures stay
        # what they were before these entered any.
        self.parts_rng = random.Random(f"indicator-parts-{seed}-{year}")
        self.year = year
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[
                    SCHOOL_ACCOUNT,
                    COMMUNE_ACCOUNT,
                    ENTRY_ACCOUNT,
                    APPROVER_ACCOUNT,
                    NATIONAL_ACCOUNT,
                ]
            )
        }
        self.province = Unit.objects.get(code=PROVINCE)
        self.commune = Unit.objects.filter(code="LC-X03408").first()
        school = self.users[SCHOOL_ACCOUNT].grants.select_related("unit").first()
        self.school = school.unit if school else None
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.entered_by_type: dict[int, set[str]] = {}  # unit type → codes its units enter
        self.part_ids: set[int] = set()  # departments and groups with a sheet of the year
        self.targets = 0
        self.values = 0
        self.returned = 0
        self.reopened = 0

    # --- who does what ----------------------------------------------------------------------

    def under_commune(self, unit: Unit, day: dt.date) -> bool:
        if self.commune is None:
            return False
        parent = (
            UnitVersion.objects.on(day).filter(unit=unit).values_list("parent_id", flat=True)
        ).first()
        return parent == self.commune.pk

    def is_commune(self, unit: Unit) -> bool:
        return self.commune is not None and unit.pk == self.commune.pk

    def enterer(self, unit: Unit, day: dt.date) -> Any:
        if self.school is not None and unit.pk == self.school.pk:
            return self.users[SCHOOL_ACCOUNT]
        if self.is_commune(unit) or self.under_commune(unit, day):
            return self.users[COMMUNE_ACCOUNT]
        return self.users[ENTRY_ACCOUNT]

    def approver(self, unit: Unit, day: dt.date) -> Any:
        if unit.pk == self.province.pk:
            return self.users[NATIONAL_ACCOUNT]  # the unit above the province: Tổng LĐLĐ
        if self.under_commune(unit, day):
            return self.users[COMMUNE_ACCOUNT]
        return self.users[APPROVER_ACCOUNT]

    def grassroots(self, day: dt.date, existed_from: dt.date | None = None) -> list[Unit]:
        qs = Unit.objects.filter(
            path_range_q("path", self.province.path), unit_type__is_grassroots=True
        ).select_related("ownership")
        if existed_from is None:
            qs = qs.active_on(day)
        else:
            qs = qs.filter(founded_on__lte=day).exclude(dissolved_on__lte=existed_from)
        return list(qs.order_by("code"))

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    # --- units above the grassroots -----------------------------------------------------------

    def entered_by(self, unit: Unit, period: Period) -> set[str]:
        """The codes of the indicators `unit` enters itself (its type's data sets)."""
        if unit.unit_type_id not in self.entered_by_type:
            self.entered_by_type[unit.unit_type_id] = {
                i.code for i in services.indicators_for(unit, period)
            }
        return self.entered_by_type[unit.unit_type_id]

    def uppers(self, period: Period) -> list[Unit]:
        """The province and the units directly below it at the period's end that are not
        grassroots unions and enter figures of their own."""
        kids = UnitVersion.objects.on(period.end).filter(
            parent_id=self.province.pk, unit_type__is_grassroots=False
        )
        units = Unit.objects.filter(pk__in=kids.values("unit_id")).order_by("code")
        return [u for u in [self.province, *units] if self.entered_by(u, period)]

    def below(self, period: Period) -> defaultdict[int, Below]:
        """What is below each unit of the province as the tree stood at the period's end."""
        day = period.end
        rows = list(
            UnitVersion.objects.on(day)
            .filter(path_range_q("path", self.province.path))
            .values_list(
                "unit_id",
                "parent_id",
                "path",
                "unit_type__is_grassroots",
                "unit__founded_on",
                "ownership__is_enterprise",
                "ownership__is_state",
            )
        )
        owner = {path: unit_id for unit_id, _p, path, *_rest in rows}
        members = members_per_unit(day, list(owner.values()))
        out: defaultdict[int, Below] = defaultdict(Below)
        for unit_id, parent_id, path, grassroots, founded_on, enterprise, state in rows:
            if parent_id is not None:
                b = out[parent_id]
                b.units += 1
                if grassroots:
                    b.grassroots += 1
                    if period.start <= founded_on <= day:
                        b.founded += 1
                        if enterprise and not state:
                            b.founded_non_state += 1
            count = members.get(unit_id, (0, 0))[0]
            for i in range(Unit.steplen, len(path) + 1, Unit.steplen):
                if path[:i] in owner:
                    out[owner[path[:i]]].members += count
        return out

    def upper_plan(self, unit: Unit, period: Period, below: Below) -> dict[str, int]:
        """An upper level's own figures for the part of `period` it existed in."""
        start = max(period.start, unit.founded_on)
        end = period.end + dt.timedelta(days=1)  # the first day after, like `dissolved_on`
        if unit.dissolved_on is not None:
            end = min(end, unit.dissolved_on)
        months = min(12, max(1, round((end - start).days / 30.44)))
        entered = self.entered_by(unit, period)
        return {c: v for c, v in upper_figures_for(self.rng, below, months).items() if c in entered}

    # --- departments and union groups ---------------------------------------------------------

    def parts(self, period: Period) -> dict[Unit, Unit]:
        """The departments and union groups (công đoàn bộ phận, tổ công đoàn) below the
        grassroots unions as the tree stood at the period's end that enter figures, each with its
        grassroots union, by code."""
        union_of = parts_below(self.province, period.end)
        units = Unit.objects.in_bulk([*union_of, *union_of.values()])
        parts = sorted((units[u] for u in union_of), key=lambda u: u.code)
        return {u: units[union_of[u.pk]] for u in parts if self.entered_by(u, period)}

    def own(self, unit: Unit, period: Period, figures: dict[str, int]) -> dict[str, int]:
        """The figures `unit` enters itself among `figures`."""
        entered = self.entered_by(unit, period)
        return {c: v for c, v in figures.items() if c in entered}

    def parts_year(
        self,
        period: Period,
        parts: dict[Unit, Unit],
        plans: dict[int, dict[str, int]],
        due: dt.date,
        lock_day: dt.date,
    ) -> None:
        """The year's figures of the departments and union groups, entered and sent by their
        grassroots union's officer before its own sheet (by the due day at the latest),
        approved and locked with it by the union's approver; those of a union still waiting or
        in draft wait too, and two are still draft past the due day.

        Written in bulk (some 200 small sheets) and added to the totals with
        `rollup.apply_many`."""
        rng = self.parts_rng
        unions = {union.pk for union in parts.values()}
        sheets = {s.unit_id: s for s in Sheet.objects.filter(period=period, unit_id__in=unions)}
        approved_on = dict(
            SheetStep.objects.filter(
                sheet__period=period, sheet__unit_id__in=unions, step=Step.APPROVE
            )
            .values("sheet__unit_id")
            .annotate(first=Min("at"))
            .values_list("sheet__unit_id", "first")
        )
        drafts = set(rng.sample(sorted(u.pk for u in parts), min(2, len(parts))))
        actors: dict[int, tuple[Any, Any]] = {}
        planned = []
        for unit, union in parts.items():
            if union.pk not in actors:
                actors[union.pk] = (self.enterer(union, due), self.approver(union, due))
            enterer, approver = actors[union.pk]
            sheet = sheets.get(union.pk)
            sent = due
            if sheet is not None and sheet.first_submitted_at is not None:
                sent = min(due, timezone.localdate(sheet.first_submitted_at))
            sent -= dt.timedelta(days=rng.randint(0, 3))
            entered = sent - dt.timedelta(days=rng.randint(0, 4))
            plan = Planned(unit, self.own(unit, period, plans[unit.pk]), entered, enterer)
            planned.append(plan)
            if unit.pk in drafts:
                continue
            plan.moves.append(Move(Step.SUBMIT, sent, 15, enterer))
            first = approved_on.get(union.pk)
            if sheet is None or not sheet.is_approved or first is None:
                continue  # waiting with its union's own sheet
            approved = max(sent + dt.timedelta(days=1), timezone.localdate(first))
            plan.moves.append(Move(Step.APPROVE, approved, 9, approver))
            if sheet.status == SheetStatus.LOCKED:
                plan.moves.append(Move(Step.LOCK, lock_day, 16, approver))
        new, values = write_sheets(period, planned, self.indicators)
        rollup.apply_many(period, deltas(new, values))
        self.values += len(values)
        self.part_ids = {sheet.unit_id for sheet in new}

    # --- figures ------------------------------------------------------------------------------

    def enter(self, unit: Unit, period: Period, entries: dict[str, int], day: dt.date) -> Sheet:
        with clock(day, 10):
            sheet = services.values_save(
                actor=self.enterer(unit, day), unit=unit, period=period, entries=entries
            )
        self.values += len(entries)
        return sheet

    def submit(self, sheet: Sheet, day: dt.date) -> Sheet:
        with clock(day, 15):
            return services.sheet_submit(actor=self.enterer(sheet.unit, day), sheet=sheet)

    def approve(self, sheet: Sheet, day: dt.date) -> Sheet:
        with clock(day, 9):
            return services.sheet_approve(actor=self.approver(sheet.unit, day), sheet=sheet)

    def lock(self, sheet: Sheet, day: dt.date) -> Sheet:
        with clock(day, 16):
            return services.sheet_lock(actor=self.approver(sheet.unit, day), sheet=sheet)

    def half_year(
        self,
        plans: dict[int, dict[str, int]],
        upper_plans: dict[int, dict[str, int]],
        part_plans: dict[int, dict[str, int]],
    ) -> Period:
        """Six months' figures of every grassroots union that existed then, the own figures of
        the units above them (the district federations before the reform among them) and of
        the departments and union groups below them, all locked.

        Written in bulk (with their history rows and workflow steps) and then rolled up with
        `rollup.rebuild`: through the services they would double the demo's indicator time.
        """
        period = period_open(actor=None, kind=PeriodKind.HALF, year=self.year, number=1)
        units = self.grassroots(period.end, existed_from=period.start)
        submitted = dt.date(self.year, 7, 3)
        approved, locked = dt.date(self.year, 7, 10), dt.date(self.year, 7, 20)
        entries = {}
        for unit in units:
            year = plans.get(unit.pk)
            if year is None:
                members = members_per_unit(period.end, [unit.pk]).get(unit.pk, (0, 0))[0]
                year = figures_for(self.rng, members, self.is_enterprise(unit))
            entries[unit.pk] = half_of(self.rng, year)
        below = self.below(period)
        for unit in self.uppers(period):
            year = upper_plans.get(unit.pk)
            if year is not None:
                half = upper_half_of(self.rng, year)
            else:  # dissolved in the reform: its whole year is these six months
                half = self.upper_plan(unit, period, below[unit.pk])
                half = {c: v for c, v in half.items() if c not in ASSESSED}
            half["thanh_lap_cdcs"] = below[unit.pk].founded
            half["thanh_lap_cdcs_ngoai_nn"] = below[unit.pk].founded_non_state
            units.append(unit)
            entries[unit.pk] = half
        for unit in self.parts(period):  # departments and union groups: a share of their year
            year = part_plans.get(unit.pk) or part_figures_for(self.parts_rng)
            units.append(unit)
            entries[unit.pk] = self.own(unit, period, part_half_of(self.parts_rng, year))
        entered_by, approved_by = self.users[ENTRY_ACCOUNT], self.users[APPROVER_ACCOUNT]
        planned = []
        for unit in units:
            approver = self.users[NATIONAL_ACCOUNT] if unit.pk == self.province.pk else approved_by
            moves = [
                Move(Step.SUBMIT, submitted, 15, entered_by),
                Move(Step.APPROVE, approved, 9, approver),
                Move(Step.LOCK, locked, 16, approver),
            ]
            entered = dt.date(self.year, 7, 1)
            planned.append(Planned(unit, entries[unit.pk], entered, entered_by, moves))
        _sheets, values = write_sheets(period, planned, self.indicators)
        self.values += len(values)
        rollup.rebuild([period])
        return period

    @staticmethod
    def is_enterprise(unit: Unit) -> bool:
        return unit.ownership is not None and unit.ownership.is_enterprise

    # --- targets ------------------------------------------------------------------------------

    def assign_targets(self, period: Period, plans: dict[int, dict[str, int]]) -> None:
        national, approver = self.users[NATIONAL_ACCOUNT], self.users[APPROVER_ACCOUNT]
        totals: dict[str, int] = {}
        with clock(dt.date(self.year, 1, 10)):
            for code in TARGETED:
                planned = sum(p.get(code, 0) for p in plans.values())
                step = MILLION if code.startswith(("tien_", "thu_")) else 10
                totals[code] = round_to_step(planned * self.rng.uniform(0.88, 1.03), step)
                services.target_set(
                    actor=national,
                    unit=self.province,
                    indicator=self.indicators[code],
                    period=period,
                    value=totals[code],
                    note=f"Tổng LĐLĐ Việt Nam giao năm {self.year}",
                )
                self.targets += 1
        # The units below the province at the year's end and their members after the reform.
        day = dt.date(self.year, 7, 15)
        kids = list(
            UnitVersion.objects.on(period.end)
            .filter(parent_id=self.province.pk)
            .select_related("unit")
            .order_by("code")
        )
        paths = {v.unit_id: v.unit.path for v in kids}
        rows = list(
            Unit.objects.filter(path_range_q("path", self.province.path)).values_list("id", "path")
        )
        per_unit = members_per_unit(day, [u for u, _p in rows])
        weights = [
            Decimal(sum(per_unit.get(u, (0, 0))[0] for u, p in rows if p.startswith(paths[k])))
            for k in paths
        ]
        with clock(day):
            for code in TARGETED:
                shares = services.allocate(Decimal(totals[code]), weights, 0)
                made = services.targets_set_many(
                    actor=approver,
                    indicator=self.indicators[code],
                    period=period,
                    values={v.unit: share for v, share in zip(kids, shares, strict=True)},
                    note="Giao lại chỉ tiêu năm sau sắp xếp tổ chức công đoàn từ 01/07/2025",
                )
                self.targets += len(made)
        with clock(dt.date(self.year, 7, 22)):
            for v in kids:
                if v.unit.unit_type.is_grassroots:
                    continue
                actor = (
                    self.users[COMMUNE_ACCOUNT]
                    if self.commune is not None and v.unit_id == self.commune.pk
                    else approver
                )
                if not Unit.objects.filter(parent=v.unit).active_on(period.start).exists():
                    continue
                for code in TARGETED:
                    made = services.targets_allocate(
                        actor=actor,
                        parent=v.unit,
                        indicator=self.indicators[code],
                        period=period,
                        method="members",
                    )
                    self.targets += len(made)

    # --- the year's season --------------------------------------------------------------------

    def full_year(self) -> Period:
        period = period_open(actor=None, kind=PeriodKind.YEAR, year=self.year)
        units = self.grassroots(period.end)
        members = members_per_unit(period.end, [u.pk for u in units])
        plans = {
            u.pk: figures_for(self.rng, members.get(u.pk, (0, 0))[0], self.is_enterprise(u))
            for u in units
        }
        uppers = self.uppers(period)
        below = self.below(period)
        upper_plans = {u.pk: self.upper_plan(u, period, below[u.pk]) for u in uppers}
        parts = self.parts(period)
        part_plans = {u.pk: part_figures_for(self.parts_rng) for u in parts}
        self.assign_targets(period, {**plans, **upper_plans, **part_plans})
        self.half_year(plans, upper_plans, part_plans)
        due = period.due_on or period.end + dt.timedelta(days=15)
        # Who ends where: most locked; some approved only, some waiting, a few draft and late.
        special = [u for u in units if self.school is not None and u.pk == self.school.pk]
        others = [u for u in units if u not in special]
        self.rng.shuffle(others)
        reopen = [*special, *others[:1]]
        returned = others[1:2]
        rest = others[2:]
        n = len(rest)
        drafts = rest[: max(2, n * 4 // 100)]
        waiting = rest[len(drafts) : len(drafts) + max(3, n * 8 // 100)]
        approved_only = rest[len(drafts) + len(waiting) : len(drafts) + len(waiting) + n // 12]
        fate = {u.pk: "locked" for u in units}
        fate.update({u.pk: "draft" for u in drafts})
        fate.update({u.pk: "submitted" for u in waiting})
        fate.update({u.pk: "approved" for u in approved_only})
        fate.update({u.pk: "returned" for u in returned})
        fate.update({u.pk: "reopened" for u in reopen})
        lock_day = dt.date(self.year + 1, 2, 27)
        for unit in units:
            plan = plans[unit.pk]
            entered = self.day_between(dt.date(self.year, 12, 15), dt.date(self.year + 1, 1, 12))
            sheet = self.enter(unit, period, plan, entered)
            what = fate[unit.pk]
            if what == "draft":
                continue
            # One in ten submits a few days after the due date.
            if self.rng.random() < 0.1:
                submitted = due + dt.timedelta(days=self.rng.randint(1, 12))
            else:
                submitted = min(due, entered + dt.timedelta(days=self.rng.randint(0, 5)))
            sheet = self.submit(sheet, submitted)
            if what == "submitted":
                continue
            if what == "returned":
                with clock(submitted + dt.timedelta(days=2)):
                    sheet = services.sheet_return(
                        actor=self.approver(unit, submitted), sheet=sheet, reason=RETURN_REASON
                    )
                self.returned += 1
                fixed = dict(plan, tien_qua=plan["suat_qua"] * 500_000)
                sheet = self.enter(unit, period, fixed, submitted + dt.timedelta(days=4))
                sheet = self.submit(sheet, submitted + dt.timedelta(days=4))
            assert sheet.submitted_at is not None
            sheet = self.approve(sheet, sheet.submitted_at.date() + dt.timedelta(days=3))
            if what == "approved":
                continue
            sheet = self.lock(sheet, lock_day)
            if what == "reopened":
                reason = REOPEN_REASONS[self.reopened % len(REOPEN_REASONS)]
                when = dt.date(self.year + 1, 3, 10 + self.reopened)
                with clock(when):
                    sheet = services.sheet_reopen(
                        actor=self.approver(unit, when), sheet=sheet, reason=reason
                    )
                if self.reopened % 2 == 0:
                    fixed = {
                        "suat_qua": plan["suat_qua"] + 12,
                        "tien_qua": plan["tien_qua"] + 12 * 500_000,
                    }
                else:
                    fixed = {"phat_trien_dv": max(0, plan["phat_trien_dv"] - 2)}
                self.reopened += 1
                later = when + dt.timedelta(days=2)
                sheet = self.enter(unit, period, fixed, later)
                sheet = self.submit(sheet, later)
                sheet = self.approve(sheet, later + dt.timedelta(days=1))
                self.lock(sheet, later + dt.timedelta(days=2))
        self.parts_year(period, parts, part_plans, due, lock_day)
        self.upper_year(period, uppers, upper_plans, due, lock_day)
        return period

    def upper_year(
        self,
        period: Period,
        uppers: list[Unit],
        plans: dict[int, dict[str, int]],
        due: dt.date,
        lock_day: dt.date,
    ) -> None:
        """The year's own figures of the units above the grassroots, entered once their
        grassroots unions' figures are in: most locked, a few approved or waiting, two still
        draft past the due date, one sent late, one returned for correction. The province's
        and the commune of xa.quantri's are locked."""
        ri = self.rng.randint
        others = [u for u in uppers if u.pk != self.province.pk and not self.is_commune(u)]
        self.rng.shuffle(others)
        fate = {u.pk: "locked" for u in uppers}
        for what, chosen in (
            ("draft", others[:2]),
            ("late", others[2:3]),
            ("returned", others[3:4]),
            ("submitted", others[4:6]),
            ("approved", others[6 : 6 + len(others) // 10]),
        ):
            fate.update({u.pk: what for u in chosen})
        for unit in uppers:
            plan, what = plans[unit.pk], fate[unit.pk]
            if what == "returned":
                # Sent early with a slip (an extra zero in the gifts' value), back for correction.
                submitted = due - dt.timedelta(days=ri(5, 8))
                slip = dict(plan, tien_qua=plan["tien_qua"] * 10)
                sheet = self.enter(unit, period, slip, submitted - dt.timedelta(days=1))
            else:
                entered = self.day_between(dt.date(self.year + 1, 1, 2), due - dt.timedelta(days=3))
                sheet = self.enter(unit, period, plan, entered)
                if what == "late":
                    submitted = due + dt.timedelta(days=ri(2, 12))
                else:
                    submitted = min(due, entered + dt.timedelta(days=ri(0, 3)))
            if what == "draft":
                continue
            sheet = self.submit(sheet, submitted)
            if what == "submitted":
                continue
            if what == "returned":
                with clock(submitted + dt.timedelta(days=1)):
                    sheet = services.sheet_return(
                        actor=self.approver(unit, submitted),
                        sheet=sheet,
                        reason=UPPER_RETURN_REASON,
                    )
                self.returned += 1
                fixed = submitted + dt.timedelta(days=3)
                sheet = self.enter(unit, period, {"tien_qua": plan["tien_qua"]}, fixed)
                sheet = self.submit(sheet, fixed)
            assert sheet.submitted_at is not None
            sheet = self.approve(sheet, sheet.submitted_at.date() + dt.timedelta(days=ri(1, 4)))
            if what == "approved":
                continue
            self.lock(sheet, lock_day)


def play_indicators(*, end: dt.date, seed: int, out: Writer | None = None) -> IndicatorSummary:
    """Targets and figures of the year before `end`'s year for the demo province."""
    started = time.perf_counter()
    season = Season(seed=seed, year=end.year - 1)
    year = season.full_year()
    half = period_open(actor=None, kind=PeriodKind.HALF, year=season.year, number=1)
    today = timezone.localdate()
    summary = IndicatorSummary(
        year=season.year,
        seconds=0.0,
        targets=Target.objects.filter(period=year).count(),
        values=Value.objects.filter(period__in=[year, half]).count(),
        reopened=SheetStep.objects.filter(sheet__period=year, step="reopen").count(),
        returned=SheetStep.objects.filter(sheet__period=year, step="return").count(),
        upper=Sheet.objects.filter(period=year, unit__unit_type__is_grassroots=False)
        .exclude(unit_id__in=season.part_ids)
        .count(),
        parts=len(season.part_ids),
    )
    for period in (half, year):
        summary.sheets[period.name] = Counter(
            Sheet.objects.filter(period=period).values_list("status", flat=True)
        )
    due = year.due_on
    if due is not None and today > due:
        late = Sheet.objects.filter(period=year, first_submitted_at__isnull=True).count()
        late += Sheet.objects.filter(period=year, first_submitted_at__date__gt=due).count()
        summary.late = late
    summary.seconds = time.perf_counter() - started
    if out is not None:
        out.write(summary.line() + "\n")
    return summary
