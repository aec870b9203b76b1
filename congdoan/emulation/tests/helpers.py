"""Objects the emulation tests (and the scoping cases) build in the standard world: a cluster
of unit A (A1 head, A2) in 2024 from the organisation's cases, a movement of unit A, a scoring
scheme of unit A, and officers of the grassroots unions A1 and A2."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.organisation.tests.url_cases import cluster_a

YEAR = 2024


def movement_a(w: Any) -> Any:
    """A yearly movement of unit A for 2024."""
    if "em_movement_a" not in w.extra:
        from congdoan.emulation import services

        w.extra["em_movement_a"] = services.movement_create(
            actor=None,
            organiser=w.unit_a,
            name=f"Phong trào thi đua {MARKER_A} 2024",
            kind="yearly",
            start_year=YEAR,
            theme="Đổi mới, sáng tạo",
        )
    return w.extra["em_movement_a"]


def registration_a(w: Any) -> Any:
    """CĐCS A1 registered for the movement in 2024."""
    if "em_registration_a" not in w.extra:
        from congdoan.emulation import services

        w.extra["em_registration_a"] = services.registration_create(
            actor=None,
            movement=movement_a(w),
            unit=w.grass_a1,
            year=YEAR,
            registered_on=dt.date(2024, 2, 1),
            commitments=f"Cam kết {MARKER_A}: 100% đoàn viên tham gia",
        )
    return w.extra["em_registration_a"]


SCHEME_GROUPS = [
    (
        "Công tác tổ chức",
        [
            {"name": "Phát triển đoàn viên", "max_points": 20, "auto_source": "admissions"},
            {"name": "Hoàn thành chỉ tiêu", "max_points": 30, "auto_source": "targets_met"},
        ],
    ),
    ("Chăm lo đời sống", [{"name": "Chăm lo, bảo vệ", "max_points": 50, "evidence": "Báo cáo"}]),
]


def scheme_a(w: Any) -> Any:
    """Unit A's scheme for all its clusters, from 2024: 100 points."""
    if "em_scheme_a" not in w.extra:
        from congdoan.emulation import services

        w.extra["em_scheme_a"] = services.scheme_create(
            actor=None,
            organiser=w.unit_a,
            name=f"Bảng điểm cụm {MARKER_A}",
            from_year=YEAR,
            groups=SCHEME_GROUPS,
        )
    return w.extra["em_scheme_a"]


def criteria(w: Any) -> list[Any]:
    from congdoan.emulation.models import Criterion

    return list(
        Criterion.objects.filter(group__scheme=scheme_a(w)).order_by("group__order", "order")
    )


def card(w: Any, unit: Any = None) -> Any:
    """The 2024 scorecard of A1 (or `unit`) in cluster A."""
    from congdoan.emulation import services

    scheme_a(w)
    return services.scorecard_open(
        actor=None, unit=unit or w.grass_a1, cluster=cluster_a(w), year=YEAR
    )


def points(w: Any, values: tuple[Any, ...]) -> dict[int, Any]:
    return {c.pk: v for c, v in zip(criteria(w), values, strict=True)}


def scored(w: Any, unit: Any, totals: tuple[Any, ...], stages: tuple[str, ...]) -> Any:
    from congdoan.emulation import services

    sc = card(w, unit)
    for stage in stages:
        services.scorecard_score(
            actor=None, scorecard=sc, stage=stage, points=points(w, totals), notes={}
        )
    return sc


def proposal_a(w: Any) -> Any:
    """Cluster A's draft proposal for 2024: A1 for a Bằng khen."""
    if "em_proposal_a" not in w.extra:
        from congdoan.emulation import services

        w.extra["em_proposal_a"] = services.proposal_save(
            actor=None,
            cluster=cluster_a(w),
            year=YEAR,
            entries=[(w.grass_a1, f"Bằng khen {MARKER_A}")],
            proposed_on=dt.date(2024, 12, 20),
        )
    return w.extra["em_proposal_a"]


def pledge_a(w: Any) -> Any:
    """The pledge of cluster A for 2024 signed by A1 and A2."""
    if "em_pledge_a" not in w.extra:
        from congdoan.meetings import services

        w.extra["em_pledge_a"] = services.pledge_create(
            actor=None,
            cluster=cluster_a(w),
            year=YEAR,
            signed_on=dt.date(2024, 3, 1),
            title=f"Giao ước thi đua cụm {MARKER_A} 2024",
            signatories=[w.grass_a1, w.grass_a2],
        )
    return w.extra["em_pledge_a"]


def officer_of(w: Any, unit: Any, name: str) -> Any:
    """A unit admin of `unit` (made once per world)."""
    key = f"em_officer_{name}"
    if key not in w.extra:
        w.extra[key] = make_user(name, "federation_admin", unit, full_name=name)
    return w.extra[key]
