"""Play the demo's plan in date order through the services, as a union officer would have.

Each scheduled operation `(day, phase, seq, op, args)` calls `Player.op_<op>(day, *args)`, which
calls exactly one public service (or a few, for the 1/7/2025 reform); history, audit rows,
lineage and member spells are therefore the services' own. The actor is None (a system job).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from congdoan.core.scoping import path_range_q
from congdoan.demo.records import REFORM, Plan, commune_code
from congdoan.members.models import ExitReason, Member
from congdoan.members.services import member_admit, members_exit, members_transfer
from congdoan.organisation import divisions
from congdoan.organisation.models import (
    CommitteeSeat,
    OwnershipType,
    Position,
    Sector,
    Unit,
    UnitType,
)
from congdoan.organisation.services import (
    unit_create,
    unit_create_root,
    unit_dissolve,
    unit_move,
    unit_update,
    units_merge,
)
from congdoan.organisation.services.clusters import cluster_create, cluster_member_add
from congdoan.organisation.services.terms import seat_add, seat_end, term_create

REASON_CLOSED = "Doanh nghiệp giải thể, chấm dứt hoạt động"
REASON_BUDGET = (
    "Cơ quan hành chính nhà nước hưởng lương từ ngân sách: giải thể công đoàn cơ sở từ 01/07/2025"
)
REASON_UPPER = (
    "Kết thúc hoạt động theo chủ trương sắp xếp tổ chức bộ máy từ 01/07/2025; các đơn vị trực "
    "thuộc chuyển về công đoàn xã, phường nơi đặt trụ sở"
)


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


class PlayError(RuntimeError):
    """The plan and what the services did disagree (a bug in the demo, not in the data)."""


class Player:
    def __init__(self, plan: Plan, out: Writer | None = None) -> None:
        self.plan = plan
        self.out = out
        self.types = {t.code: t for t in UnitType.objects.all()}
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.ownerships = {o.code: o for o in OwnershipType.objects.all()}
        self.positions = {p.code: p for p in Position.objects.all()}
        self.units: dict[str, Unit] = {}
        self.member_pk: dict[int, int] = {}
        self.clusters: dict[str, Any] = {}
        self.terms: dict[str, Any] = {}

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text + "\n")

    def play(self) -> None:
        year = 0
        for day, _phase, _seq, op, args in self.plan.sorted_events():
            if day.year != year and day.year >= 2004:
                year = day.year
                if year % 5 == 0 or year >= 2025:
                    self.say(f"  … {year}")
            getattr(self, f"op_{op}")(day, *args)

    # --- units ----------------------------------------------------------------------------

    def op_create(self, day: dt.date, code: str) -> None:
        s = self.plan.specs[code]
        unit_type = self.types[s.type]
        if not s.parent:
            self.units[code] = unit_create_root(
                code=code, name=s.name, short_name=s.short_name, unit_type=unit_type, day=day
            )
            return
        self.units[code] = unit_create(
            actor=None,
            parent=self.units[s.parent],
            code=code,
            name=s.name,
            short_name=s.short_name,
            unit_type=unit_type,
            day=day,
            sector=self.sectors.get(s.sector or ""),
            ownership=self.ownerships.get(s.ownership or ""),
            province_code=s.province,
            ward_code=s.ward if s.founded >= REFORM else None,  # communes of the new map
            address=s.address,
        )

    def op_update(self, day: dt.date, code: str, values: dict[str, Any]) -> None:
        values = dict(values)
        if "ownership" in values:
            values["ownership"] = self.ownerships[values["ownership"]]
        unit_update(actor=None, unit=self.units[code], day=day, **values)

    def op_move(self, day: dt.date, code: str, parent: str) -> None:
        self.units[code] = unit_move(
            actor=None, unit=self.units[code], new_parent=self.units[parent], day=day
        )

    def op_merge(self, day: dt.date, source: str, target: str) -> None:
        units_merge(actor=None, sources=[self.units[source]], target=self.units[target], day=day)

    def _dissolve_below(self, unit: Unit, day: dt.date, reason: str) -> None:
        """Dissolve the union groups and departments inside `unit`, deepest first."""
        fresh = Unit.objects.get(pk=unit.pk)
        below = (
            Unit.objects.filter(path_range_q("path", fresh.path), dissolved_on__isnull=True)
            .exclude(pk=fresh.pk)
            .order_by("-depth", "path")
        )
        for sub in below:
            unit_dissolve(actor=None, unit=sub, day=day, reason=reason)

    def op_close(self, day: dt.date, code: str) -> None:
        """An enterprise closes: its members lose their jobs, then its union is dissolved."""
        unit = self.units[code]
        members_exit(actor=None, unit=unit, day=day, reason=ExitReason.LEFT_JOB)
        self._dissolve_below(unit, day, REASON_CLOSED)
        unit_dissolve(actor=None, unit=unit, day=day, reason=REASON_CLOSED)

    def op_reform(self, day: dt.date) -> None:
        """1/7/2025, in both provinces.

        1. Unions of fully budget-funded agencies are dissolved; their members leave the union.
        2. Each district federation (and Công đoàn Viên chức tỉnh) hands its grassroots unions
           to the commune union of their commune, and is dissolved; what is left (the unions in
           its seat commune) goes to the union of its seat commune, with a lineage link.
        3. Units still active get their address on the new map (province and commune codes).
        """
        self.say("  … 01/07/2025: sắp xếp tổ chức công đoàn theo mô hình mới")
        specs = self.plan.specs
        for spec in specs.values():
            if spec.end == day and spec.end_kind == "reform_exit":
                self._dissolve_below(self.units[spec.code], day, REASON_BUDGET)
                unit_dissolve(actor=None, unit=self.units[spec.code], day=day, reason=REASON_BUDGET)
        for spec in specs.values():
            if spec.end != day or spec.end_kind != "reform_upper" or spec.ward is None:
                continue
            prefix = spec.code.split("-", 1)[0]
            seat = self.units[commune_code(prefix, spec.ward)]
            children = Unit.objects.filter(parent=self.units[spec.code], dissolved_on__isnull=True)
            for child in children.order_by("path"):
                target = self.units[commune_code(prefix, specs[child.code].ward or spec.ward)]
                if target.pk != seat.pk:
                    self.units[child.code] = unit_move(
                        actor=None, unit=child, new_parent=target, day=day
                    )
            unit_dissolve(
                actor=None,
                unit=self.units[spec.code],
                day=day,
                members_to=seat,
                children_to=seat,
                reason=REASON_UPPER,
            )
        for spec in specs.values():
            if spec.ward is None or spec.founded >= day or not spec.active_on(day):
                continue
            if spec.type in ("to_cd", "cd_bo_phan", "tld"):
                continue
            province = divisions.province_name(spec.province)
            unit_update(
                actor=None,
                unit=self.units[spec.code],
                day=day,
                province_code=spec.province,
                ward_code=spec.ward,
                address=f"{divisions.ward_name(spec.ward)}, tỉnh {province}",
            )

    # --- members --------------------------------------------------------------------------

    def op_admit(self, day: dt.date, index: int) -> None:
        m = self.plan.members[index]
        member = member_admit(
            actor=None,
            unit=self.units[m.unit],
            family_name=m.name.family,
            middle_name=m.name.middle,
            given_name=m.name.given,
            sex=m.name.sex,
            admitted_on=day,
            date_of_birth=m.dob,
            card_number=m.card,
        )
        self.member_pk[index] = member.pk

    def op_transfer(self, day: dt.date, index: int) -> None:
        m = self.plan.members[index]
        assert m.transfer is not None
        _day, source, target = m.transfer
        moved = members_transfer(
            actor=None,
            from_unit=self.units[source],
            to_unit=self.units[target],
            day=day,
            member_ids=[self.member_pk[index]],
            note="Chuyển công tác",
        )
        if moved != 1:
            raise PlayError(f"member {m.card} was not in {source} on {day}")

    def op_exit(self, day: dt.date, index: int) -> None:
        m = self.plan.members[index]
        assert m.exit is not None
        _day, unit, reason = m.exit
        done = members_exit(
            actor=None,
            unit=self.units[unit],
            day=day,
            reason=reason,
            member_ids=[self.member_pk[index]],
        )
        if done != 1:
            raise PlayError(f"member {m.card} was not in {unit} on {day}")

    # --- clusters and terms ---------------------------------------------------------------

    def op_cluster(self, day: dt.date, code: str, name: str, kind: str, description: str) -> None:
        self.clusters[code] = cluster_create(
            actor=None,
            organiser=self.units["LC"],
            code=code,
            name=name,
            kind=kind,
            description=description,
        )

    def op_cluster_year(
        self, day: dt.date, code: str, year: int, units: list[str], head: str
    ) -> None:
        for unit in units:
            cluster_member_add(
                actor=None,
                cluster=self.clusters[code],
                unit=self.units[unit],
                year=year,
                is_head=unit == head,
            )

    def op_term(
        self,
        day: dt.date,
        key: str,
        unit: str,
        number: int,
        start: int,
        end: int,
        congress: dt.date | None,
        note: str,
    ) -> None:
        self.terms[key] = term_create(
            actor=None,
            unit=self.units[unit],
            number=number,
            start_year=start,
            end_year=end,
            congress_date=congress,
            note=note,
        )

    def op_seat(
        self,
        day: dt.date,
        term: str,
        committee: str,
        position: str,
        name: str,
        title: str,
        member: int | None,
    ) -> None:
        seat_add(
            actor=None,
            term=self.terms[term],
            committee=committee,
            position=self.positions[position],
            full_name=name,
            start_date=day,
            member=None if member is None else Member.objects.get(pk=self.member_pk[member]),
            job_title=title,
        )

    def op_seats_end(
        self, day: dt.date, term: str, member: int, end_date: dt.date, reason: str
    ) -> None:
        seats = CommitteeSeat.objects.filter(
            term=self.terms[term], member_id=self.member_pk[member], end_date__isnull=True
        )
        for seat in seats.order_by("pk"):
            seat_end(actor=None, seat=seat, end_date=end_date, reason=reason)
