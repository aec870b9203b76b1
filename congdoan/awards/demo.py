"""The demo's award cycle in LĐLĐ tỉnh Lai Châu, built through the services (actor None: system
work), for the last full year before `today` (the emulation year):

1. Each of the first three unions directly above grassroots unions (phường Tân Phong first, the
   demo's commune account) proposes its first two grassroots unions for its own Giấy khen, and
   each of those unions proposes two of its members; the union's council approves them in
   January, and its decision is signed at its year-end review.
2. Each of them also proposes to the province: its first grassroots union for the province's
   Bằng khen, a member for the same; the province proposes the union of each commune graded best
   (grading demo, good or better) for its Cờ thi đua, the leader of each cluster it organises
   from the cluster's proposal (emulation demo) for its Bằng khen, and an enterprise that
   supported the union ("… & …", a body outside the union). The province's council turns one
   down (with its reason) and approves the rest; the province's decision is signed at the
   year-end review (hội nghị tổng kết) in January.
3. The Confederation's Kỷ niệm chương to members of the province with 15 years and more in the
   union (over the medal's floor of 10) (signed on 28/7), and a People's Committee's Bằng khen
   recorded by the province.
4. For the current year: two nominations still before the province's council and one draft, so
   the council's page has work in the demo.

Deterministic; returns the number of awards and nominations created (nothing when the province
is missing or already has award decisions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.awards import services
from congdoan.awards.models import AwardForm, Decision, Nomination
from congdoan.awards.selectors import regulation_in_force
from congdoan.core.scoping import path_range_q
from congdoan.members.models import Member
from congdoan.organisation.models import Unit

PROVINCE = "LC"
COMMUNE_FIRST = "LC-X03408"  # phường Tân Phong: the demo account xa.quantri
COMMUNES = 3
PER_COMMUNE = 2
ENTERPRISE = "Công ty Cổ phần Thủy điện Nậm Na & Đối tác"
MEDALS = 12


def _form(code: str, day: dt.date) -> AwardForm:
    regulation = regulation_in_force(day)
    assert regulation is not None
    return regulation.forms.get(code=code)


def _communes(province: Unit) -> list[tuple[Unit, list[Unit]]]:
    parents = (
        Unit.objects.filter(
            path_range_q("path", province.path),
            unit_type__level__code="above_grassroots",
            dissolved_on__isnull=True,
        )
        .order_by("code")
        .select_related("unit_type")
    )
    out = []
    for parent in sorted(parents, key=lambda u: (u.code != COMMUNE_FIRST, u.code)):
        below = list(
            Unit.objects.filter(
                parent=parent, unit_type__is_grassroots=True, dissolved_on__isnull=True
            ).order_by("code")[:PER_COMMUNE]
        )
        if len(below) == PER_COMMUNE:
            out.append((parent, below))
        if len(out) == COMMUNES:
            break
    return out


def _leader(commune: Unit, year: int) -> Unit | None:
    """The commune's grassroots union graded best for `year` (grading app), if any was graded
    good or better: the province's flag goes to it."""
    from congdoan.grading.selectors import is_good_or_better, result_for

    graded = []
    for union in Unit.objects.filter(
        parent=commune, unit_type__is_grassroots=True, dissolved_on__isnull=True
    ):
        grading = result_for(union, year)
        if grading is not None and is_good_or_better(grading):
            graded.append((grading.total, -union.pk, union))
    return max(graded, key=lambda row: row[:2])[2] if graded else None


def _members(unit: Unit, n: int, day: dt.date) -> list[Member]:
    return list(
        Member.objects.filter(
            unit=unit, admitted_on__lte=day - dt.timedelta(days=400), exited_on__isnull=True
        ).order_by("admitted_on", "pk")[:n]
    )


def _approve_all(
    nominations: list[Nomination], submitted: dt.date, council: dt.date, turned_down: Any = None
) -> list[Nomination]:
    approved = []
    for n in nominations:
        n = services.nomination_submit(actor=None, nomination=n, today=submitted)
        if turned_down is not None and n.pk == turned_down.pk:
            services.nomination_review(
                actor=None,
                nomination=n,
                approve=False,
                council_on=council,
                note="Chưa đủ điều kiện: đơn vị mới hoàn thành nhiệm vụ năm đầu tiên.",
            )
            continue
        approved.append(
            services.nomination_review(
                actor=None, nomination=n, approve=True, council_on=council, note="Nhất trí 9/9."
            )
        )
    return approved


def load(*, today: dt.date, province_code: str = PROVINCE) -> int:
    province = Unit.objects.filter(code=province_code).first()
    if province is None or Decision.objects.filter(recorded_by_unit=province).exists():
        return 0
    year = today.year - 1
    proposed = dt.date(year, 12, 10)
    council = min(today, dt.date(year + 1, 1, 8))
    review = min(today, dt.date(year + 1, 1, 15))  # the year-end reviews
    communes = _communes(province)
    created = 0
    theme = f"Đã có thành tích xuất sắc trong phong trào thi đua năm {year}"
    province_nominations: list[Nomination] = []
    for commune, unions in communes:
        own: list[Nomination] = []
        for union in unions:
            own.append(
                services.nomination_create(
                    actor=None, proposing_unit=commune, issuer_unit=commune,
                    form=_form("tren_cs_giay_khen", proposed), year=year, unit=union,
                    achievement=theme, today=proposed,
                )
            )  # fmt: skip
            for member in _members(union, 2, proposed):
                own.append(
                    services.nomination_create(
                        actor=None, proposing_unit=union, issuer_unit=commune,
                        form=_form("tren_cs_giay_khen", proposed), year=year, member=member,
                        achievement=theme, today=proposed,
                    )
                )  # fmt: skip
        approved = _approve_all(own, proposed, council)
        services.decision_from_nominations(
            actor=None, issuer_unit=commune, nominations=approved,
            number=f"{len(approved) + 10}/QĐ-CĐ", signed_on=review,
            signer="Chủ tịch " + (commune.short_name or commune.name),
        )  # fmt: skip
        created += 2 * len(own)
        best = unions[0]
        leader = _leader(commune, year)
        if leader is not None:
            province_nominations.append(
                services.nomination_create(
                    actor=None, proposing_unit=province, issuer_unit=province,
                    form=_form("tinh_co", proposed), year=year, unit=leader,
                    achievement=f"Dẫn đầu phong trào thi đua năm {year}", today=proposed,
                )
            )  # fmt: skip
        province_nominations.append(
            services.nomination_create(
                actor=None, proposing_unit=commune, issuer_unit=province,
                form=_form("tinh_bang_khen", proposed), year=year, unit=unions[1],
                achievement=theme, today=proposed,
            )
        )  # fmt: skip
        for member in _members(best, 1, proposed):
            province_nominations.append(
                services.nomination_create(
                    actor=None, proposing_unit=commune, issuer_unit=province,
                    form=_form("tinh_bang_khen", proposed), year=year, member=member,
                    achievement=theme, today=proposed,
                )
            )  # fmt: skip
    if not province_nominations:
        return created
    province_nominations.append(
        services.nomination_create(
            actor=None, proposing_unit=province, issuer_unit=province,
            form=_form("tinh_bang_khen", proposed), year=year, outside_name=ENTERPRISE,
            outside_kind="body", today=proposed,
            achievement="Đã có nhiều đóng góp cho hoạt động Công đoàn và chăm lo người lao động",
        )
    )  # fmt: skip
    province_nominations += _from_clusters(province, year, proposed)
    turned_down = province_nominations[1]
    approved = _approve_all(province_nominations, proposed, council, turned_down)
    services.decision_from_nominations(
        actor=None, issuer_unit=province, nominations=approved, number="125/QĐ-LĐLĐ",
        signed_on=review, signer="Giàng A Dình",
        note=f"Trao tại Hội nghị tổng kết phong trào công nhân, viên chức, lao động năm {year}.",
    )  # fmt: skip
    created += len(province_nominations) + len(approved)
    created += _confederation(province, year) + _outside(province, communes, year, review)
    created += _current(province, communes, today)
    return created


def _from_clusters(province: Unit, year: int, day: dt.date) -> list[Nomination]:
    """The leader of each cluster the province organises, from the cluster's submitted proposal
    (emulation demo), for the province's Bằng khen."""
    from congdoan.emulation.selectors import submitted_proposals

    made: list[Nomination] = []
    for proposal in submitted_proposals(year=year, organiser=province).order_by("cluster__name"):
        first = next(iter(proposal.entries.all()), None)
        if first is None:
            continue
        made += services.nominations_from_proposal(
            actor=None, proposal=proposal, issuer_unit=province,
            form=_form("tinh_bang_khen", day), units=[first.unit], today=day,
        )  # fmt: skip
    return made


def _confederation(province: Unit, year: int) -> int:
    root = Unit.objects.filter(path=province.path[: Unit.steplen]).first()
    if root is None:
        return 0
    if root.pk == province.pk:
        return 0
    day = dt.date(year, 7, 28)
    long_service = list(
        Member.objects.filter(
            path_range_q("unit__path", province.path),
            admitted_on__lte=dt.date(year - 15, 7, 28),
            exited_on__isnull=True,
        ).order_by("admitted_on", "pk")[:MEDALS]
    )
    if not long_service:
        return 0
    decision = services.decision_create(
        actor=None, issuer_unit=root, number=f"{9000 + year % 100}/QĐ-TLĐ", signed_on=day,
        signer="Nguyễn Đình Khang",
        note="Tặng Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn” nhân dịp 28/7.",
    )  # fmt: skip
    for member in long_service:
        services.award_add(
            actor=None, decision=decision, form=_form("kyniemchuong", day), member=member,
            year=year,
        )  # fmt: skip
    return len(long_service)


def _outside(province: Unit, communes: list[Any], year: int, day: dt.date) -> int:
    decision = services.decision_create(
        actor=None, issuer_name="Chủ tịch Ủy ban nhân dân tỉnh Lai Châu",
        recorded_by_unit=province, number="58/QĐ-UBND", signed_on=day,
        signer="Lê Văn Lương",
    )  # fmt: skip
    form = _form("ubnd_bang_khen", day)
    recipients = [province, *[unions[0] for _commune, unions in communes[:2]]]
    for unit in recipients:
        services.award_add(
            actor=None, decision=decision, form=form, unit=unit, year=year,
            achievement=f"Đã có thành tích trong công tác Công đoàn năm {year}",
        )  # fmt: skip
    return len(recipients)


def _current(province: Unit, communes: list[Any], today: dt.date) -> int:
    """This year's nominations before the province's council (a commune's best union each) and
    a draft of the province's own (its first commune union)."""
    if not communes:
        return 0
    day = today - dt.timedelta(days=10)
    form = _form("tinh_bang_khen", day)
    achievement = f"Thành tích xuất sắc 6 tháng đầu năm {today.year}"
    for commune, unions in communes[:2]:
        n = services.nomination_create(
            actor=None, proposing_unit=commune, issuer_unit=province, form=form,
            year=today.year, unit=unions[0], today=day, achievement=achievement,
        )  # fmt: skip
        services.nomination_submit(actor=None, nomination=n, today=day)
    services.nomination_create(
        actor=None, proposing_unit=province, issuer_unit=province, form=form, year=today.year,
        unit=communes[0][0], today=day, achievement=achievement,
    )  # fmt: skip
    return len(communes[:2]) + 1
