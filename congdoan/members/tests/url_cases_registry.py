"""Scoping cases of the registry pages (members/views/: members, admission, lifecycle,
transfers, duplicates, access_log).

Helpers create, inside unit A's subtree, what some pages address: a member with a citizen ID, a
pending transfer between A1 and A2 (requested by an officer of A1 only), a likely-duplicate pair
in A, a logged read of personal data. The registry tests reuse them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase

CCCD_A = "001190012345"  # a woman born 1990 (matches member_a), Hà Nội


def cccd_a(w: Any) -> Any:
    """Give member_a a citizen ID (once per world)."""
    if "cccd_a" not in w.extra:
        from congdoan.members.services import member_update

        w.member_a = member_update(actor=None, member=w.member_a, citizen_id=CCCD_A)
        w.extra["cccd_a"] = CCCD_A
    return w.member_a


def personal_national(w: Any) -> None:
    """Make the national persona a superuser: it then holds "members.view_personal" (the role
    that normally gives it requires a second factor, which the walk cannot pass)."""
    w.national.is_superuser = True
    w.national.save(update_fields=["is_superuser"])


def officer_a1(w: Any) -> Any:
    """An officer of grassroots union A1 only (A2 is outside their scope)."""
    if "officer_a1" not in w.extra:
        from congdoan.core.tests.support import make_user

        w.extra["officer_a1"] = make_user("officer_a1", "federation_admin", w.grass_a1)
    return w.extra["officer_a1"]


def pending_transfer_a(w: Any) -> Any:
    """member_a from A1 to A2, requested by the officer of A1: A2 (unit A) must confirm."""
    if "transfer_a" not in w.extra:
        from congdoan.members.services import transfer_request

        w.extra["transfer_a"] = transfer_request(
            actor=officer_a1(w),
            member=w.member_a,
            to_unit=w.grass_a2,
            day=dt.date(2024, 3, 1),
            note=f"Chuyển {MARKER_A}",
        )
    return w.extra["transfer_a"]


def duplicate_a(w: Any) -> Any:
    """A second record in A2 with member_a's name and date of birth: flagged for review."""
    if "duplicate_a" not in w.extra:
        from congdoan.members.models import DuplicateFlag
        from congdoan.members.services import member_admit

        twin = member_admit(
            actor=None,
            unit=w.grass_a2,
            family_name="NGUYỄN",
            middle_name="thị",
            given_name=f"{MARKER_A}HOA",
            sex="F",
            admitted_on=dt.date(2021, 1, 1),
            date_of_birth=w.member_a.date_of_birth,
        )
        w.extra["duplicate_twin"] = twin
        w.extra["duplicate_a"] = DuplicateFlag.objects.get(member=twin, other=w.member_a)
    return w.extra["duplicate_a"]


def access_a(w: Any) -> Any:
    """A logged read of member_a's personal data by the national persona."""
    if "access_a" not in w.extra:
        from congdoan.members.personal import log_access

        w.extra["access_a"] = log_access(
            user=w.national,
            kind="view",
            purpose="Kiểm tra hồ sơ",
            members=[w.member_a],
            where="/members/",
        )
    return w.extra["access_a"]


def _member(w: Any) -> dict[str, int]:
    return {"pk": w.member_a.pk}


def _transfer(w: Any) -> dict[str, int]:
    return {"pk": pending_transfer_a(w).pk}


def _duplicate(w: Any) -> dict[str, int]:
    return {"pk": duplicate_a(w).pk}


def _setup_member(w: Any) -> None:
    cccd_a(w)


def _setup_personal(w: Any) -> None:
    cccd_a(w)
    personal_national(w)


def _purpose(w: Any) -> dict[str, str]:
    return {"purpose": "member_request", "detail": "Đơn đề nghị"}


CASES: dict[str, UrlCase] = {
    "members:member_list": UrlCase("list", setup=_setup_member, expect_marker=True),
    "members:member_count": UrlCase("list", setup=_setup_member, query="q=alpha", htmx=True),
    "members:member_admit": UrlCase("list"),
    "members:member_detail": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_edit": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_transfer": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_suspend": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_resume": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_exit": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_discipline": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_readmit": UrlCase("object", kwargs=_member, setup=_setup_member),
    "members:member_party_referral": UrlCase(
        "object", kwargs=_member, setup=_setup_personal, allowed=("national",)
    ),
    "members:member_party_admission": UrlCase(
        "object", kwargs=_member, setup=_setup_personal, allowed=("national",)
    ),
    "members:member_reveal": UrlCase(
        "object",
        kwargs=_member,
        method="post",
        data=_purpose,
        setup=_setup_personal,
        allowed=("national",),
    ),
    "members:member_subject_export": UrlCase(
        "object", kwargs=_member, setup=_setup_personal, allowed=("national",)
    ),
    "members:transfer_list": UrlCase(
        "list", setup=lambda w: pending_transfer_a(w), expect_marker=True
    ),
    "members:transfer_confirm": UrlCase("object", kwargs=_transfer, method="post", ok=(302,)),
    "members:transfer_reject": UrlCase("object", kwargs=_transfer),
    "members:transfer_cancel": UrlCase("object", kwargs=_transfer, method="post", ok=(302,)),
    "members:duplicate_list": UrlCase("list", setup=lambda w: duplicate_a(w), expect_marker=True),
    "members:duplicate_resolve": UrlCase(
        "object",
        kwargs=_duplicate,
        method="post",
        data=lambda w: {"status": "distinct"},
        ok=(302,),
    ),
    "members:access_log": UrlCase("list", setup=lambda w: access_a(w), expect_marker=True),
}
