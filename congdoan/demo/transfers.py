"""Transfer requests between the demo accounts' units, recorded after the history is played.

Officers ask for transfers (chuyển sinh hoạt) through `transfer_request`; the other side confirms
or refuses with `transfer_confirm` / `transfer_reject`, or the requester withdraws. Some stay
pending, so that each side has something to act on when signing in:

- the school's data-entry clerk (cs.nhaplieu) sends teachers to schools of other communes: the
  receiving side confirms (the provincial admin does), refuses, or has not answered yet;
- Điện Biên (dienbien.quantri) sends members to unions of phường Tân Phong: Tân Phong
  (xa.quantri) refuses one, one is pending; Tân Phong sends one to Điện Biên, which confirms;
- Tân Phong asks for a member of another commune's union (awaiting the sending side);
- the provincial admin, whose scope covers both units, moves a member at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from congdoan.accounts.models import RoleGrant, User
from congdoan.core.scoping import path_range_q
from congdoan.members import services as ms
from congdoan.members.models import Member, MemberEvent, MemberStatus, TransferRequest
from congdoan.organisation.models import Unit

NOTE = "Chuyển công tác theo quyết định điều động"


KINDS = ("Mầm non", "Tiểu học", "THCS", "THPT", "Bệnh viện", "Y tế", "Công ty", "Hợp tác xã")


def _kind(unit: Unit) -> str:
    """What kind of employer a union's name says (schools by level)."""
    return next((k for k in KINDS if k in unit.name), "")


def _like(units: list[Unit], member: Member, n: int = 0) -> Unit:
    """The `n`-th unit of the same kind as the member's (any unit if none)."""
    same = [u for u in units if _kind(u) == _kind(member.unit) and u.pk != member.unit_id]
    pool = same or [u for u in units if u.pk != member.unit_id]
    return pool[n % len(pool)]


def _grassroots(q: Q) -> list[Unit]:
    return list(
        Unit.objects.filter(q, dissolved_on__isnull=True, unit_type__is_grassroots=True).order_by(
            "code"
        )
    )


class _Members:
    """Active members of some units with nothing recorded on or after `day`, each used once."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.taken: set[int] = set()

    def take(self, units: list[Unit], count: int = 1) -> Iterator[Member]:
        busy = MemberEvent.objects.filter(date__gte=self.day).values("member_id")
        rows = (
            Member.objects.filter(
                unit__in=units, status=MemberStatus.ACTIVE, admitted_on__lt=self.day
            )
            .select_related("unit")
            .exclude(pk__in=busy)
            .exclude(pk__in=list(self.taken))
            .order_by("pk")[:count]
        )
        for m in rows:
            self.taken.add(m.pk)
            yield m


def play_transfer_requests(*, day: dt.date, rounds: int = 1) -> list[TransferRequest]:
    """The requests of the demo accounts, dated a few days before `day` (the end of history)."""
    users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    clerk, commune_admin = users["cs.nhaplieu"], users["xa.quantri"]
    province_admin, other_admin = users["tinh.quantri"], users["dienbien.quantri"]
    school = RoleGrant.objects.active().filter(user=clerk).select_related("unit").first()
    commune = RoleGrant.objects.active().filter(user=commune_admin).select_related("unit").first()
    dien_bien = Unit.objects.get(code="DB")
    lai_chau = Unit.objects.get(code="LC")
    if school is None or commune is None:
        return []
    school_unit, commune_unit = school.unit, commune.unit
    tan_phong = [
        u for u in _grassroots(path_range_q("path", commune_unit.path)) if u != school_unit
    ]
    elsewhere = [
        u
        for u in _grassroots(path_range_q("path", lai_chau.path))
        if not u.path.startswith(commune_unit.path) and u.code != "LC-CS0000" and u != school_unit
    ]
    schools = [u for u in elsewhere if _kind(u) in KINDS[:4]]
    db_units = _grassroots(path_range_q("path", dien_bien.path))
    if not (tan_phong and schools and db_units and len(elsewhere) > 3):
        return []
    pick = _Members(day - dt.timedelta(days=12))
    made: list[TransferRequest] = []

    def ask(actor: User, member: Member, to_unit: Unit, offset: int) -> TransferRequest:
        request = ms.transfer_request(
            actor=actor,
            member=member,
            to_unit=to_unit,
            day=day - dt.timedelta(days=offset),
            note=NOTE,
        )
        made.append(request)
        return request

    for r in range(rounds):
        shift = 3 * r
        # The school's clerk sends teachers away: the receiving side has not answered yet,
        # refused (the first time), or confirmed.
        for i, m in enumerate(pick.take([school_unit], 3)):
            request = ask(clerk, m, _like(schools, m, 7 * r + 3 * i), 10 - shift)
            if i == 1 and r == 0:
                ms.transfer_reject(
                    actor=province_admin,
                    request=request,
                    reason="Trường nhận chưa có nhu cầu tiếp nhận giáo viên; đề nghị trao đổi lại.",
                )
            elif i >= 1:
                ms.transfer_confirm(actor=province_admin, request=request)
        # Điện Biên sends members to Tân Phong: one refused (the first time), one pending.
        for i, m in enumerate(pick.take(db_units, 2)):
            request = ask(other_admin, m, _like(tan_phong, m, r + i), 9 - shift)
            if i == 1 and r == 0:
                ms.transfer_reject(
                    actor=commune_admin,
                    request=request,
                    reason="Chưa nhận được quyết định tiếp nhận công tác của người lao động.",
                )
        # Tân Phong asks for a member of another commune's union: the sending side decides.
        for m in pick.take(elsewhere[r::7], 1):
            ask(commune_admin, m, _like(tan_phong, m, r), 8 - shift)
        if r == 0:
            for m in pick.take(tan_phong, 1):  # to Điện Biên, which confirms
                request = ask(commune_admin, m, _like(db_units, m), 7)
                ms.transfer_confirm(actor=other_admin, request=request)
            for m in pick.take(elsewhere[3::5], 1):
                ask(province_admin, m, _like(elsewhere, m, 5), 6)  # at once: both units in scope
            for m in pick.take(tan_phong[1:], 1):  # asked, then withdrawn
                request = ask(commune_admin, m, _like(elsewhere, m, 9), 5)
                ms.transfer_cancel(actor=commune_admin, request=request)
    return made


_USERNAMES = ["cs.nhaplieu", "xa.quantri", "tinh.quantri", "dienbien.quantri"]
