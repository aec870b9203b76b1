"""A small standard federation and the three personas every app's tests use.

    root (Tổng LĐLĐ) ─ province (LĐLĐ tỉnh Thử Nghiệm)
        ├─ unit_a: LĐLĐ huyện Alpha   ─ grass_a1 (CĐCS Alpha Một) ─ group_a1 (Tổ CĐ Alpha)
        │                               grass_a2 (CĐCS Alpha Hai)
        └─ unit_b: LĐLĐ huyện Beta    ─ grass_b1 (CĐCS Beta Một)

Every name in A's subtree contains "ALPHA" (MARKER_A), so a test can assert that nothing of A
appears in what officer B receives. Personas: `national` (unit admin at the root), `officer_a`
(unit admin of unit_a), `officer_b` (unit admin of unit_b).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

MARKER_A = "ALPHA"
MARKER_B = "BETA"
PASSWORD = "Mat-khau-thu-nghiem-2024"
START = dt.date(2020, 1, 1)


@dataclass
class World:
    root: Any
    province: Any
    unit_a: Any
    unit_b: Any
    grass_a1: Any
    grass_a2: Any
    group_a1: Any
    grass_b1: Any
    member_a: Any
    member_b: Any
    national: Any
    officer_a: Any
    officer_b: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def persona(self, name: str) -> Any:
        return getattr(self, name)


def unit_type(code: str) -> Any:
    from congdoan.organisation.models import UnitType

    return UnitType.objects.get(code=code)


def make_user(username: str, role_code: str | None = None, unit: Any = None, **extra: Any) -> Any:
    from congdoan.accounts.models import Role, RoleGrant, User

    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role_code and unit is not None:
        RoleGrant.objects.create(user=user, role=Role.objects.get(code=role_code), unit=unit)
    return user


def build_world() -> World:
    from congdoan.members.services import member_admit
    from congdoan.organisation import services as org

    root = org.unit_create_root(
        code="TLD",
        name="Tổng Liên đoàn Lao động Việt Nam",
        short_name="Tổng LĐLĐ",
        unit_type=unit_type("tld"),
        day=START,
    )

    def create(parent: Any, code: str, name: str, type_code: str) -> Any:
        return org.unit_create(
            actor=None,
            parent=parent,
            code=code,
            name=name,
            short_name=name,
            unit_type=unit_type(type_code),
            day=START,
        )

    province = create(root, "TN", "LĐLĐ tỉnh Thử Nghiệm", "ldld_tinh")
    unit_a = create(province, "HA", f"LĐLĐ huyện {MARKER_A}", "ldld_huyen")
    unit_b = create(province, "HB", f"LĐLĐ huyện {MARKER_B}", "ldld_huyen")
    grass_a1 = create(unit_a, "A1", f"CĐCS {MARKER_A} Một", "cdcs")
    grass_a2 = create(unit_a, "A2", f"CĐCS {MARKER_A} Hai", "cdcs")
    group_a1 = create(grass_a1, "A1T1", f"Tổ CĐ {MARKER_A}", "to_cd")
    grass_b1 = create(unit_b, "B1", f"CĐCS {MARKER_B} Một", "cdcs")
    member_a = member_admit(
        actor=None,
        unit=grass_a1,
        family_name="Nguyễn",
        middle_name="Thị",
        given_name=f"{MARKER_A}hoa",
        sex="F",
        admitted_on=START,
        date_of_birth=dt.date(1990, 5, 17),
        card_number="CDA0001",
    )
    member_b = member_admit(
        actor=None,
        unit=grass_b1,
        family_name="Trần",
        middle_name="Văn",
        given_name=f"{MARKER_B}nam",
        sex="M",
        admitted_on=START,
        date_of_birth=dt.date(1985, 2, 3),
        card_number="CDB0001",
    )
    national = make_user("national", "federation_admin", root, full_name="Quản trị Trung ương")
    officer_a = make_user("officer_a", "federation_admin", unit_a, full_name="Cán bộ A")
    officer_b = make_user("officer_b", "federation_admin", unit_b, full_name="Cán bộ B")
    return World(
        root=root,
        province=province,
        unit_a=unit_a,
        unit_b=unit_b,
        grass_a1=grass_a1,
        grass_a2=grass_a2,
        group_a1=group_a1,
        grass_b1=grass_b1,
        member_a=member_a,
        member_b=member_b,
        national=national,
        officer_a=officer_a,
        officer_b=officer_b,
    )


# ---------------------------------------------------------------------------------------------
# The generic scoping test (core/tests/test_url_scoping.py) walks every URL pattern. Each app
# describes how to exercise its URLs in `congdoan/<app>/tests/url_cases.py`:
#
#     CASES: dict[str, UrlCase] = {"organisation:unit_detail": UrlCase("object", kwargs=lambda w: {"pk": w.grass_a1.pk})}
#
# A URL pattern without a case makes the test fail.


@dataclass
class UrlCase:
    """How the generic scoping test exercises one URL pattern.

    kind:
      "object": the URL addresses something in unit A's subtree. `allowed` personas get a status
                in `ok`; officer B gets a status in `denied` (404: "missing" and "not yours" look
                the same) and MARKER_A never appears in what B receives.
      "list":   every signed-in persona may open it; MARKER_A never appears in what B receives,
                and it does appear for officer A when `expect_marker` is set.
      "own":    about the signed-in user only (profile, tokens); MARKER_A never reaches B.
      "public": reachable without signing in (login page, health check, OpenAPI schema).
    Anonymous visitors are always refused (redirect to login, 401 or 403) except for "public".
    """

    kind: str
    kwargs: Any = None  # callable(world) -> dict of URL kwargs
    query: Any = ""  # str or callable(world) -> str, without "?"
    method: str = "get"
    data: Any = None  # callable(world) -> dict for POST bodies
    ok: tuple[int, ...] = (200,)
    denied: tuple[int, ...] = (404,)
    allowed: tuple[str, ...] = ("national", "officer_a")
    expect_marker: bool = False
    htmx: bool = False
    setup: Any = None  # callable(world) -> None, run before the requests (create extra objects)
