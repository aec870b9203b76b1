"""The demo federation: LĐLĐ tỉnh Lai Châu from 2004 to mid-2026, and a small LĐLĐ tỉnh Điện Biên.

`build_demo()` first *plans* everything in memory from a seeded random generator (units.py:
units with their founding, renames, moves, merges, closures and the 1/7/2025 reform; people.py:
members with admission, transfer and exit, clusters, terms and seats), then *plays* the plan in
date order through the same services every page and API uses (player.py), so the demo's history
is exactly what those services record:

- 2004–2025: 8 district federations (Tân Uyên split off in 2009 and Nậm Nhùn in 2013, taking
  their communes' grassroots unions along), four provincial sector/zone unions, about 300
  grassroots unions of every ownership type, union groups and departments inside some, renames
  (thị xã → thành phố Lai Châu 2013, equitised state companies, semi-boarding schools), a school
  merger in 2023, some closed enterprises.
- 1/7/2025: commune unions for the 38 communes of the new map; unions of fully budget-funded
  agencies dissolved (their members leave: "unit dissolved"); grassroots unions moved to the
  union of their commune; district federations and Công đoàn Viên chức tỉnh dissolved, what is
  left going to the union of their seat commune (with a lineage link).
- Emulation cluster no. 3 (the sector unions), the block of districts, then the block of
  communes; the provincial terms XII and XIII (BCH, BTV, UBKT); terms of some district and
  commune unions. Demo accounts with one shared password.

- Members (about 30,000 at scale 1.0): the full record (names of the peoples of Lai Châu, CCCD,
  ethnicity, religion, schooling, job, salary base, Party membership…), admitted since their
  union's founding, then transferred, suspended and resumed, reprimanded, referred to and
  admitted into the Party, re-admitted, and leaving for every reason; a few registered twice for
  the duplicate review; transfer requests between the demo accounts' units, some still pending.
- Targets and figures: the year before the history's last day, complete (indicators.py), and
  the year of the day the demo is built, so far (current.py).

`scale` multiplies the number of grassroots unions beyond a fixed core that shows every feature
(about 45 at any scale, about 300 at 1.0); below 1.0 the unions are also smaller (at least 12 %
of their size). The same seed gives the same federation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from congdoan.accounts.models import Role, RoleGrant, User
from congdoan.accounts.services import role_grant, user_create
from congdoan.core.formats import number
from congdoan.demo.current import play_current_year
from congdoan.demo.indicators import play_indicators
from congdoan.demo.people import plan_bodies, plan_members
from congdoan.demo.player import Player, Writer
from congdoan.demo.records import BEFORE_REFORM, END, REFORM, SCHOOLS, Plan
from congdoan.demo.registers import load_registers
from congdoan.demo.reports import play_reports
from congdoan.demo.transfers import play_transfer_requests
from congdoan.demo.units import plan_units
from congdoan.indicators.models import Period, PeriodKind, Sheet, SheetStatus, SheetStep, Step
from congdoan.meetings.demo import load as load_meetings
from congdoan.members.models import (
    DuplicateFlag,
    DuplicateStatus,
    EventKind,
    Member,
    MemberEvent,
    MemberStatus,
    TransferRequest,
    TransferStatus,
)
from congdoan.organisation.models import Cluster, CommitteeSeat, Term, Unit, UnitVersion

DEMO_PASSWORD = "congdoan-demo-2025"  # shared by every demo account; printed by `congdoan demo`

# username, role, unit code ("@school": a school in phường Tân Phong), full name, job title
DEMO_ACCOUNTS = [
    ("quantri", "system_admin", "TLD", "Quản trị hệ thống", "Quản trị hệ thống (demo)"),
    ("tinh.quantri", "federation_admin", "LC", "Hoàng Thị Minh Thư", "Chánh Văn phòng LĐLĐ tỉnh"),
    ("tinh.pheduyet", "approver", "LC", "Phạm Văn Quyết", "Trưởng Ban Tổ chức LĐLĐ tỉnh"),
    ("tinh.xem", "viewer", "LC", "Lò Thị Ngân", "Chuyên viên Văn phòng LĐLĐ tỉnh"),
    ("tinh.kiemtra", "inspector", "LC", "Đỗ Văn Khiêm", "Ủy viên UBKT LĐLĐ tỉnh"),
    ("tinh.dulieu", "personal_data_officer", "LC", "Trần Thị Thu Hiền", "Chuyên viên Ban Tổ chức LĐLĐ tỉnh (quản lý dữ liệu đoàn viên)"),
    ("xa.quantri", "federation_admin", "LC-X03408", "Vũ Thị Hồng Nhung", "Chủ tịch Công đoàn phường Tân Phong"),
    ("cs.nhaplieu", "data_entry", "@school", "Tòng Văn Pánh", "Ủy viên BCH CĐCS"),
    ("dienbien.quantri", "federation_admin", "DB", "Quàng Thị Xuyến", "Chánh Văn phòng LĐLĐ tỉnh Điện Biên"),
]  # fmt: skip
SUPERUSER = "quantri"

REASON_LABELS = {
    "retired": "nghỉ hưu",
    "left_job": "thôi việc",
    "unit_dissolved": "giải thể đơn vị",
    "resigned": "xin ra",
    "non_payment": "không đóng đoàn phí",
    "deceased": "từ trần",
    "expelled": "khai trừ",
    "other": "lý do khác",
}


class DemoError(RuntimeError):
    """The demo cannot be built here (e.g. the database already holds data)."""


@dataclass
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: str
    note: str = ""


@dataclass
class DemoSummary:
    """What the database holds (counted in the database, not in the plan)."""

    seconds: float | None
    units_total: int
    units_dissolved: int
    by_type_before: dict[str, int]  # unit type → units on 30/06/2025
    by_type_after: dict[str, int]  # … on 01/07/2025
    by_type_now: dict[str, int]  # … today
    members_total: int
    members_active: int
    members_exited: int
    exits_by_reason: dict[str, int]
    transfers: int
    members_suspended: int = 0
    women_active: int = 0
    party_active: int = 0  # Party members among the active members
    transfers_pending: int = 0
    duplicates_open: int = 0
    clusters: int = 0
    terms: int = 0
    seats: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = DEMO_PASSWORD
    figures_year: int | None = None  # the latest year of targets and figures that has ended
    figures_period_id: int | None = None  # … its period
    current_year: int | None = None  # the year running today, if its period is open
    current_period_id: int | None = None  # … its period
    waiting: int = 0  # … its sheets sent and waiting for approval
    returned: list[str] = field(default_factory=list)  # … units whose sheet came back to them

    def lines(self) -> list[str]:
        out = []
        if self.seconds is not None:
            out.append(f"Thời gian tạo dữ liệu / build time: {self.seconds:.1f} s")
        out.append(
            f"Đơn vị / units: {number(self.units_total)} "
            f"(đã giải thể, sáp nhập / dissolved or merged: {number(self.units_dissolved)})"
        )
        kinds = list(dict.fromkeys([*self.by_type_before, *self.by_type_after, *self.by_type_now]))
        width = max([len(k) for k in kinds] + [12]) + 2
        out.append(f"  {'Loại đơn vị':<{width}}{'30/06/2025':>12}{'01/07/2025':>12}{'hôm nay':>10}")
        for key in kinds:
            before, after = self.by_type_before.get(key, 0), self.by_type_after.get(key, 0)
            now = self.by_type_now.get(key, 0)
            out.append(f"  {key:<{width}}{number(before):>12}{number(after):>12}{number(now):>10}")
        reasons = ", ".join(
            f"{REASON_LABELS.get(k, k)}: {number(v)}" for k, v in self.exits_by_reason.items()
        )
        share = (
            f"{100 * self.women_active / self.members_active:.0f}".replace(".", ",")
            if self.members_active
            else "0"
        )
        out.append(
            f"Đoàn viên / members: {number(self.members_total)} hồ sơ; "
            f"{number(self.members_active)} đang sinh hoạt (nữ {number(self.women_active)}, "
            f"{share}%; đảng viên {number(self.party_active)}), "
            f"{number(self.members_suspended)} tạm dừng sinh hoạt"
        )
        out.append(f"  Ra khỏi tổ chức / left: {number(self.members_exited)} ({reasons})")
        out.append(
            f"  Chuyển sinh hoạt / transfers: {number(self.transfers)}, "
            f"chờ xác nhận / pending: {number(self.transfers_pending)}; "
            f"nghi trùng cần rà soát / possible duplicates: {number(self.duplicates_open)}"
        )
        out.append(
            f"Cụm/khối thi đua: {self.clusters}; nhiệm kỳ: {self.terms}; "
            f"ủy viên BCH/BTV/UBKT: {self.seats}; tài khoản demo: {len(self.logins)}"
        )
        if self.current_year is not None:
            out.append(
                f"Chỉ tiêu và số liệu năm {self.current_year} (đang diễn ra): "
                f"{number(self.waiting)} phiếu chờ duyệt; bị trả lại để sửa: "
                f"{', '.join(self.returned) or 'không có'}"
            )
        return out


def make_plan(*, scale: float, seed: int, end: dt.date = END) -> Plan:
    """The whole demo as a plan in memory (no database)."""
    plan = Plan(scale=scale, seed=seed, end=end)
    plan_units(plan)
    plan_members(plan)
    plan_bodies(plan)
    return plan


def _create_accounts(units: dict[str, Unit], school: str) -> None:
    """The demo accounts, through the accounts services, created by the system administrator."""
    roles = {r.code: r for r in Role.objects.all()}
    admin: User | None = None
    for username, role, code, full_name, title in DEMO_ACCOUNTS:
        unit = units[school if code == "@school" else code]
        if username == SUPERUSER:
            admin = User.objects.create_superuser(
                username=username, email="", password=DEMO_PASSWORD, full_name=full_name
            )
            admin.job_title = title
            admin.save(update_fields=["job_title"])
            role_grant(actor=admin, user=admin, role=roles[role], unit=unit, note="Tài khoản demo")
            continue
        user_create(
            actor=admin,
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
            job_title=title,
            role=roles[role],
            unit=unit,
        )


def demo_logins() -> list[DemoLogin]:
    """The demo accounts found in the database, with their roles and units."""
    grants = {
        g.user.username: g
        for g in RoleGrant.objects.active()
        .filter(user__username__in=[a[0] for a in DEMO_ACCOUNTS])
        .select_related("user", "role", "unit")
    }
    out = []
    for username, *_rest in DEMO_ACCOUNTS:
        g = grants.get(username)
        if g is not None:
            note = (
                "thiết lập xác thực hai bước (OTP) ở lần đăng nhập đầu"
                if g.role.requires_otp
                else ""
            )
            out.append(DemoLogin(username, g.user.full_name, g.role.name, g.unit.name, note))
    return out


def summarise(seconds: float | None = None) -> DemoSummary:
    def by_type(day: dt.date) -> dict[str, int]:
        rows = (
            UnitVersion.objects.on(day)
            .values("unit_type__name", "unit_type__level__rank", "unit_type__order")
            .annotate(n=Count("id"))
            .order_by("unit_type__level__rank", "unit_type__order")
        )
        return {r["unit_type__name"]: r["n"] for r in rows}

    today = timezone.localdate()
    years = Period.objects.filter(kind=PeriodKind.YEAR, programme="")
    ended = years.filter(end__lt=today).order_by("-end").first()
    current = years.filter(start__lte=today, end__gte=today).first()
    exited = Member.objects.filter(status=MemberStatus.EXITED)
    reasons = exited.values("exit_reason").annotate(n=Count("id")).order_by("-n", "exit_reason")
    active = Member.objects.filter(status=MemberStatus.ACTIVE)
    return DemoSummary(
        seconds=seconds,
        units_total=Unit.objects.count(),
        units_dissolved=Unit.objects.filter(dissolved_on__isnull=False).count(),
        by_type_before=by_type(BEFORE_REFORM),
        by_type_after=by_type(REFORM),
        by_type_now=by_type(today),
        members_total=Member.objects.count(),
        members_active=Member.objects.filter(status=MemberStatus.ACTIVE).count(),
        members_exited=exited.count(),
        exits_by_reason={r["exit_reason"]: r["n"] for r in reasons},
        transfers=MemberEvent.objects.filter(
            kind=EventKind.TRANSFER, reorg_event__isnull=True
        ).count(),
        members_suspended=Member.objects.filter(status=MemberStatus.SUSPENDED).count(),
        women_active=active.filter(sex="F").count(),
        party_active=active.filter(party_member=True).count(),
        transfers_pending=TransferRequest.objects.filter(status=TransferStatus.PENDING).count(),
        duplicates_open=DuplicateFlag.objects.filter(status=DuplicateStatus.OPEN).count(),
        clusters=Cluster.objects.count(),
        terms=Term.objects.count(),
        seats=CommitteeSeat.objects.count(),
        logins=demo_logins(),
        figures_year=ended.year if ended else None,
        figures_period_id=ended.pk if ended else None,
        current_year=current.year if current else None,
        current_period_id=current.pk if current else None,
        waiting=Sheet.objects.filter(period=current, status=SheetStatus.SUBMITTED).count(),
        returned=returned_units(current) if current else [],
    )


def returned_units(period: Period) -> list[str]:
    """The units whose sheet of `period` was returned to them and is a draft again."""
    returned = SheetStep.objects.filter(sheet__period=period, step=Step.RETURN)
    return list(
        Sheet.objects.filter(pk__in=returned.values("sheet_id"), status=SheetStatus.DRAFT)
        .order_by("unit__name")
        .values_list("unit__name", flat=True)
    )


@contextmanager
def _queries_not_logged() -> Iterator[None]:
    """With DEBUG on (development), Django keeps and formats every query it runs; the build runs
    about a quarter of a million, which costs it a tenth of its time. Not logged meanwhile."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


def database_is_empty() -> bool:
    """No units and no members (accounts may exist, e.g. an administrator created first)."""
    return not (Unit.objects.exists() or Member.objects.exists())


def build_demo(
    *, scale: float = 1.0, seed: int = 2025, stdout: Writer | None = None
) -> DemoSummary:
    """Build the demo federation in an empty database and return what it holds."""
    if scale <= 0:
        raise DemoError("scale must be positive")
    if not database_is_empty():
        raise DemoError(
            "Cơ sở dữ liệu đã có dữ liệu; demo chỉ được tạo trên CSDL trống "
            "(với SQLite: `congdoan load_demo --reset`). / The database is not empty."
        )
    taken = User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS])
    if taken.exists():
        names = ", ".join(taken.values_list("username", flat=True))
        raise DemoError(f"Tài khoản đã tồn tại / accounts already exist: {names}.")
    end = min(END, timezone.localdate())
    if end < REFORM + dt.timedelta(days=90):
        raise DemoError("The demo's history runs to 2026; the system date is too early.")
    started = time.perf_counter()
    plan = make_plan(scale=scale, seed=seed, end=end)
    if stdout is not None:
        grassroots = sum(1 for s in plan.specs.values() if s.grassroots)
        stdout.write(
            f"Tạo liên đoàn demo: {len(plan.specs)} đơn vị ({grassroots} công đoàn cơ sở), "
            f"{len(plan.members)} đoàn viên…\n"
        )
    # Texts the services write (e.g. "merged into …") are stored in the site's language.
    with (
        _queries_not_logged(),
        transaction.atomic(),
        translation.override(settings.LANGUAGE_CODE),
    ):
        player = Player(plan, stdout)
        player.play()
        school = next(
            s.code
            for s in plan.specs.values()
            if s.grassroots and s.kind in SCHOOLS and s.ward == 3408 and s.active_on(end)
            and s.parent != "LC-GD"
        )  # fmt: skip
        _create_accounts(player.units, school)
        play_transfer_requests(day=end, rounds=1 if scale < 0.5 else 2)
        play_indicators(end=end, seed=seed, out=stdout)
        play_current_year(today=timezone.localdate(), seed=seed, out=stdout)
        load_meetings(today=end)
        load_registers(today=end, out=stdout)
        play_reports(today=timezone.localdate(), out=stdout)
    return summarise(time.perf_counter() - started)
