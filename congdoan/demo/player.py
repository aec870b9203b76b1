"""Play the demo's plan in date order through the services, as a union officer would have.

Each scheduled operation `(day, phase, seq, op, args)` calls `Player.op_<op>(day, *args)`, which
calls exactly one public service (or a few, for the 1/7/2025 reform); history, audit rows,
lineage and member spells are therefore the services' own. The actor is None (a system job).

Admissions are many and need nothing but the unit: they wait in a buffer and are written with
`members_admit_many` (card numbers from `cards.allocate`) as soon as an operation needs one of
the waiting members or the members of a unit (merge, closure, reform), or the play ends. Every
later event of a member goes through its own service (`member_exit`, `member_suspend`, …).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from congdoan.core.scoping import path_range_q
from congdoan.demo.records import REFORM, MemberPlan, Plan, commune_code
from congdoan.members import services as ms
from congdoan.members.cards import allocate, province_of
from congdoan.members.models import Ethnicity, ExitReason, Member, Religion, TransferStatus
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
        self.pending: dict[int, None] = {}  # admitted in the plan, not yet written (ordered)
        self.card_province: dict[str, int] = {}
        self.ethnicities = {e.code: e for e in Ethnicity.objects.all()}
        self.religions = {r.code: r for r in Religion.objects.all()}
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
        self.flush()

    # --- admissions in bulk ---------------------------------------------------------------

    def need(self, *indexes: int) -> int:
        """Write the waiting admissions if one of these members is among them; their pk."""
        if any(i in self.pending for i in indexes):
            self.flush()
        return self.member_pk[indexes[0]]

    def flush(self) -> None:
        """Write every waiting admission: card numbers per province and year, then the members,
        their history, spells and admission events in a few statements."""
        if not self.pending:
            return
        plans = [self.plan.members[i] for i in self.pending]
        self.pending.clear()
        groups: dict[tuple[int, int], list[MemberPlan]] = {}
        for m in plans:
            if m.unit not in self.card_province:
                self.card_province[m.unit] = province_of(self.units[m.unit])
            groups.setdefault((self.card_province[m.unit], m.admitted.year), []).append(m)
        cards: dict[int, str] = {}
        for group in groups.values():
            group.sort(key=lambda m: (m.admitted, m.index))
            numbers = allocate(self.units[group[0].unit], group[0].admitted, len(group))
            cards.update({m.index: n for m, n in zip(group, numbers, strict=True)})
        members = [self._member(m, cards[m.index]) for m in plans]
        created = ms.members_admit_many(actor=None, members=members)
        for m, row in zip(plans, created, strict=True):
            self.member_pk[m.index] = row.pk

    def _member(self, m: MemberPlan, card: str) -> Member:
        return Member(
            unit=self.units[m.unit],
            family_name=m.name.family,
            middle_name=m.name.middle,
            given_name=m.name.given,
            sex=m.name.sex,
            date_of_birth=m.dob,
            admitted_on=m.admitted,
            card_number=card,
            card_issued_on=m.admitted,
            ethnicity=self.ethnicities.get(m.ethnicity),
            religion=self.religions.get(m.religion),
            **m.details,
        )

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
        self.flush()
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
        self.flush()
        unit = self.units[code]
        ms.members_exit(
            actor=None, unit=unit, day=day, reason=ExitReason.LEFT_JOB, note=REASON_CLOSED
        )
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
        self.flush()
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
        self.pending[index] = None

    def op_admit_one(self, day: dt.date, index: int) -> None:
        """A second record of someone already registered elsewhere (the duplicate review)."""
        m = self.plan.members[index]
        if m.duplicate_of is not None:
            self.need(m.duplicate_of)
        member = ms.member_admit(
            actor=None,
            unit=self.units[m.unit],
            family_name=m.name.family,
            middle_name=m.name.middle,
            given_name=m.name.given,
            sex=m.name.sex,
            admitted_on=day,
            date_of_birth=m.dob,
            allocate_card=True,
            ethnicity=self.ethnicities.get(m.ethnicity),
            religion=self.religions.get(m.religion),
            **m.details,
        )
        self.member_pk[index] = member.pk

    def _member_ref(self, index: int) -> Member:
        return Member(pk=self.need(index))

    def op_transfer(self, day: dt.date, index: int, source: str, target: str) -> None:
        moved = ms.members_transfer(
            actor=None,
            from_unit=self.units[source],
            to_unit=self.units[target],
            day=day,
            member_ids=[self.need(index)],
            note="Chuyển công tác",
        )
        if moved != 1:
            raise PlayError(f"member {index} was not in {source} on {day}")

    def op_transfer_request(self, day: dt.date, index: int, source: str, target: str) -> None:
        """Recorded as a transfer request; with no actor (a system job) it is confirmed at once."""
        request = ms.transfer_request(
            actor=None,
            member=self._member_ref(index),
            to_unit=self.units[target],
            day=day,
            note="Điều động, chuyển công tác",
        )
        if (
            request.status != TransferStatus.CONFIRMED
            or request.from_unit_id != self.units[source].pk
        ):
            raise PlayError(f"member {index} was not moved from {source} on {day}")

    def op_exit(self, day: dt.date, unit: str, reason: str, indexes: list[int], note: str) -> None:
        """Members of one union leaving on one day for one reason: `member_exit` for one,
        `members_exit` for several (a lay-off, the year-end review of dues)."""
        ids = [self.need(i) for i in indexes]
        if len(ids) == 1:
            member = ms.member_exit(
                actor=None, member=Member(pk=ids[0]), day=day, reason=reason, note=note
            )
            if member.unit_id != self.units[unit].pk:
                raise PlayError(f"member {indexes[0]} was not in {unit} on {day}")
            return
        done = ms.members_exit(
            actor=None, unit=self.units[unit], day=day, reason=reason, member_ids=ids, note=note
        )
        if done != len(ids):
            raise PlayError(f"{len(ids) - done} of members {indexes} were not in {unit} on {day}")

    def op_suspend(self, day: dt.date, index: int, note: str) -> None:
        ms.member_suspend(actor=None, member=self._member_ref(index), day=day, note=note)

    def op_resume(self, day: dt.date, index: int) -> None:
        ms.member_resume(
            actor=None, member=self._member_ref(index), day=day, note="Trở lại sinh hoạt"
        )

    def op_discipline(self, day: dt.date, index: int, level: str) -> None:
        notes = {
            "reprimand": "Vi phạm nội quy cơ quan, đơn vị",
            "warning": "Tái phạm sau khi đã bị khiển trách",
            "expulsion": "Bị kết án về hành vi tham ô tài sản",
        }
        ms.member_discipline(
            actor=None,
            member=self._member_ref(index),
            day=day,
            level=level,
            decision_ref=f"Quyết định số {day.month:02d}{index % 97:02d}/QĐ-CĐCS ngày "
            f"{day:%d/%m/%Y}",
            note=notes[level],
        )

    def op_party_referral(self, day: dt.date, index: int) -> None:
        ms.member_party_referral(
            actor=None,
            member=self._member_ref(index),
            day=day,
            note="Giới thiệu đoàn viên ưu tú cho chi bộ xem xét kết nạp Đảng",
        )

    def op_party_admission(self, day: dt.date, index: int) -> None:
        ms.member_party_admission(
            actor=None, member=self._member_ref(index), day=day, note="Được kết nạp vào Đảng"
        )

    def op_readmit(self, day: dt.date, index: int, unit: str) -> None:
        ms.member_readmit(
            actor=None,
            member=self._member_ref(index),
            unit=self.units[unit],
            day=day,
            note="Kết nạp lại khi có việc làm mới",
        )

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
            member=None if member is None else Member.objects.get(pk=self.need(member)),
            job_title=title,
        )

    def op_seats_end(
        self, day: dt.date, term: str, member: int, end_date: dt.date, reason: str
    ) -> None:
        seats = CommitteeSeat.objects.filter(
            term=self.terms[term], member_id=self.need(member), end_date__isnull=True
        )
        for seat in seats.order_by("pk"):
            seat_end(actor=None, seat=seat, end_date=end_date, reason=reason)
