"""Objects the initiatives tests (and the scoping cases) build in the standard world.

The programme's period is shared by the whole federation, so its name carries no marker of
unit A; what belongs to A (the programme's organiser, initiatives, contests) does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from congdoan.core.tests.support import MARKER_A

PROGRAMME = "Chương trình 1 triệu sáng kiến (thử nghiệm)"
START, END = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
PHASES = [
    ("Giai đoạn 1", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("Giai đoạn 2", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
]


def programme(w: Any, organiser: Any = None, name: str = PROGRAMME) -> Any:
    """A programme of two phases (2024, 2025) organised by unit A (or `organiser`)."""
    key = f"initiatives_programme_{name}_{getattr(organiser, 'pk', 'a')}"
    if key not in w.extra:
        from congdoan.initiatives import services

        w.extra[key] = services.programme_create(
            actor=None,
            unit=organiser or w.unit_a,
            name=name,
            start=START,
            end=END,
            phases=PHASES,
        )
    return w.extra[key]


def phases(programme: Any) -> list[Any]:
    from congdoan.indicators.models import Period

    return list(Period.objects.filter(parent=programme.period).order_by("start"))


def target(unit: Any, code: str, period: Any, value: int) -> Any:
    """A target written directly (past periods' targets are closed to the services)."""
    from congdoan.indicators.models import Indicator, Target

    return Target.objects.update_or_create(
        unit=unit,
        indicator=Indicator.objects.get(code=code),
        period=period,
        defaults={"value": Decimal(value)},
    )[0]


def initiative(w: Any, **extra: Any) -> Any:
    """An initiative of A1 by member A, submitted on 10/03/2024, valid."""
    from congdoan.initiatives import services

    fields: dict[str, Any] = {
        "actor": None,
        "unit": w.grass_a1,
        "programme": extra.pop("programme", None) or programme(w),
        "title": f"Sáng kiến {MARKER_A} cải tiến băng chuyền",
        "submitted_on": dt.date(2024, 3, 10),
        "authors": [services.AuthorIn(member=w.member_a)],
        "field": "technical",
        "benefit": 120_000_000,
        "status": "valid",
        "decided_on": dt.date(2024, 5, 2),
    }
    fields.update(extra)
    return services.initiative_create(**fields)


def initiative_a(w: Any) -> Any:
    if "initiatives_initiative_a" not in w.extra:
        w.extra["initiatives_initiative_a"] = initiative(w)
    return w.extra["initiatives_initiative_a"]


def contest_a(w: Any) -> Any:
    """The 3rd technical-innovation contest of unit A (2024), with two entries of A1."""
    if "initiatives_contest_a" not in w.extra:
        from congdoan.initiatives import services

        contest = services.contest_create(
            actor=None,
            unit=w.unit_a,
            kind="innovation",
            title=f"Hội thi sáng tạo kỹ thuật {MARKER_A} lần thứ III",
            number=3,
            starts_on=dt.date(2024, 4, 1),
            ends_on=dt.date(2024, 9, 30),
        )
        w.extra["initiatives_entry_a"] = services.entry_add(
            actor=None, contest=contest, unit=w.grass_a1, title=f"Đề tài {MARKER_A} số 1",
            authors="Nguyễn Thị Hoa", prize="second",
        )  # fmt: skip
        services.entry_add(
            actor=None, contest=contest, unit=w.grass_a2, title="Đề tài số 2", prize="consolation"
        )
        w.extra["initiatives_contest_a"] = contest
    return w.extra["initiatives_contest_a"]


def quiz_a(w: Any) -> Any:
    """A quiz of unit A (2024) with 120 participants of A1 and member A named."""
    if "initiatives_quiz_a" not in w.extra:
        from congdoan.initiatives import services

        quiz = services.contest_create(
            actor=None,
            unit=w.unit_a,
            kind="quiz",
            title=f"Cuộc thi tìm hiểu Nghị quyết 02 {MARKER_A}",
            starts_on=dt.date(2024, 3, 1),
            ends_on=dt.date(2024, 4, 30),
        )
        services.participant_add(actor=None, contest=quiz, unit=w.grass_a1, count=120)
        w.extra["initiatives_participant_a"] = services.participant_add(
            actor=None, contest=quiz, member=w.member_a
        )
        w.extra["initiatives_quiz_a"] = quiz
    return w.extra["initiatives_quiz_a"]


def keep(w: Any, unit: Any, register: str = "initiatives", year: int = 2024) -> Any:
    from congdoan.activities.services import keeping_start

    return keeping_start(actor=None, unit=unit, register=register, from_year=year)
