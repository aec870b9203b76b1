"""Personal data: only "members.view_personal" (behind a second factor) reads the full citizen ID,
ethnicity, religion and Party data, only after stating a purpose, and every read is logged.
Everyone else never sees a full 12-digit citizen ID on any page of the registry."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant, User
from congdoan.accounts.tests.helpers import confirmed_device, password_login, totp_code
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.members import personal, services
from congdoan.members.models import Ethnicity, Member, PersonalDataAccess, Religion
from congdoan.members.tests.pdfs import flat, pdf_text
from congdoan.members.tests.url_cases_registry import (
    CCCD_A,
    access_a,
    cccd_a,
    duplicate_a,
    pending_transfer_a,
)

D = dt.date
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def personal_officer(world, unit=None, username="pdo_a"):
    """An officer with the personal-data role on `unit` (default unit A), signed in with the
    second factor the role requires."""
    user = make_user(username, "personal_data_officer", unit or world.unit_a, full_name="Cán bộ PD")
    device = confirmed_device(user)
    client = Client()
    password_login(client, username)
    response = client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert response.status_code == 302
    return user, client


def sensitive_member(world):
    """member_a with a citizen ID, ethnicity, religion, a Party referral and admission."""
    cccd_a(world)
    m = services.member_update(
        actor=None,
        member=world.member_a,
        ethnicity=Ethnicity.objects.get(code="03"),  # Thái
        religion=Religion.objects.get(code="phat_giao"),
    )
    services.member_party_referral(actor=None, member=m, day=D(2023, 1, 10))
    services.member_party_admission(actor=None, member=m, day=D(2023, 9, 2))
    world.member_a = Member.objects.get(pk=m.pk)
    return world.member_a


def page(client, name, *args, method="get", data=None, **kw):
    url = reverse(f"members:{name}", args=args)
    response = getattr(client, method)(url, data or {}, **kw)
    return response, response.content.decode()


# ---------------------------------------------------------------------------------------------
# Reveal with a purpose


def test_the_role_requires_a_second_factor(world):
    user = make_user("pdo", "personal_data_officer", world.unit_a)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("members:member_detail", args=[world.member_a.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")


def test_reveal_needs_a_purpose_and_is_logged(world):
    m = sensitive_member(world)
    user, client = personal_officer(world)
    response, text = page(client, "member_detail", m.pk)
    assert response.status_code == 200
    assert CCCD_A not in text and "**********45" in text and "Thái" not in text
    assert reverse("members:member_reveal", args=[m.pk]) in text
    assert not PersonalDataAccess.objects.exists()

    response, text = page(client, "member_reveal", m.pk, method="post", data={"purpose": "other"})
    assert response.status_code == 400 and CCCD_A not in text
    assert not PersonalDataAccess.objects.exists()

    response, text = page(
        client,
        "member_reveal",
        m.pk,
        method="post",
        data={"purpose": "member_request", "detail": "Đơn ngày 02/03/2024"},
    )
    assert response.status_code == 200
    assert CCCD_A in text and "Thái" in text and "Phật giáo" in text
    assert "02/09/2023" in text  # joined the Party
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert access.user == user and access.kind == "view" and access.member_count == 1
    assert list(access.members.all()) == [m]
    assert "Đơn ngày 02/03/2024" in access.purpose
    assert access.where == reverse("members:member_reveal", args=[m.pk])
    # Only for that response: the page is masked again afterwards.
    _, text = page(client, "member_detail", m.pk)
    assert CCCD_A not in text


def test_others_cannot_reveal(world, client_of):
    m = sensitive_member(world)
    data = {"purpose": "member_request"}
    response, text = page(client_of("officer_a"), "member_reveal", m.pk, method="post", data=data)
    assert response.status_code == 403 and CCCD_A not in text
    response, text = page(client_of("officer_b"), "member_reveal", m.pk, method="post", data=data)
    assert response.status_code == 404
    # The permission on another grassroots union does not reach this member.
    _, client = personal_officer(world, world.grass_a2, "pdo_a2")
    response, _ = page(client, "member_reveal", m.pk, method="post", data=data)
    assert response.status_code == 404  # not even visible
    _, client = personal_officer(world, world.grass_b1, "pdo_b1")
    assert page(client, "member_reveal", m.pk, method="post", data=data)[0].status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_party_data_is_hidden_from_timeline_and_audit_without_reveal(world, client_of):
    m = sensitive_member(world)
    _, text = page(client_of("officer_a"), "member_detail", m.pk)
    assert "10/01/2023" not in text and "02/09/2023" not in text  # Party dates
    assert "party_admission" not in text and "Đảng" not in text.split('id="timeline"')[1]
    assert "Thái" not in text and "Phật giáo" not in text
    # The citizen ID change is in the audit trail, masked.
    audit = text.split('id="audit"')[1]
    assert "**********45" in audit and CCCD_A not in audit
    user, client = personal_officer(world)
    RoleGrant.objects.create(
        user=user, role=Role.objects.get(code="inspector"), unit=world.unit_a
    )  # audit.view too
    _, text = page(client, "member_reveal", m.pk, method="post", data={"purpose": "party"})
    assert "10/01/2023" in text and "02/09/2023" in text
    assert CCCD_A in text.split('id="audit"')[1]


def test_no_full_citizen_id_on_any_registry_page_without_the_permission(world, client_of):
    """Walk every registry page a member of A appears on, as officer A (no personal-data
    permission) and as a viewer: the full citizen ID never appears."""
    m = sensitive_member(world)
    duplicate_a(world)
    t = pending_transfer_a(world)
    access_a(world)
    flag = world.extra["duplicate_a"]
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    auditor = make_user("inspector_a")
    RoleGrant.objects.create(
        user=auditor, role=Role.objects.get(code="inspector"), unit=world.unit_a
    )
    pages = [
        ("member_list", (), {}),
        ("member_list", (), {"q": "alpha"}),
        ("member_list", (), {"status": "all"}),
        ("member_detail", (m.pk,), {}),
        ("member_edit", (m.pk,), {}),
        ("member_transfer", (m.pk,), {}),
        ("member_suspend", (m.pk,), {}),
        ("member_resume", (m.pk,), {}),
        ("member_exit", (m.pk,), {}),
        ("member_discipline", (m.pk,), {}),
        ("member_readmit", (m.pk,), {}),
        ("member_admit", (), {}),
        ("transfer_list", (), {}),
        ("transfer_reject", (t.pk,), {}),
        ("duplicate_list", (), {}),
        ("duplicate_list", (), {"status": "distinct"}),
        ("access_log", (), {}),
        ("access_log", (), {"member": m.pk}),
    ]
    seen = 0
    for persona in ("officer_a", "viewer", "auditor"):
        client = client_of(persona) if persona == "officer_a" else Client()
        if persona == "viewer":
            client.force_login(viewer)
        elif persona == "auditor":
            client.force_login(auditor)
        for name, args, params in pages:
            response = client.get(reverse(f"members:{name}", args=args), params)
            text = response.content.decode()
            assert CCCD_A not in text, (persona, name)
            assert not TWELVE_DIGITS.search(text.replace(reverse("members:member_list"), "")), (
                persona,
                name,
            )
            seen += response.status_code == 200
        # The htmx fragment of the list, too.
        text = client.get(
            reverse("members:member_list"), {"q": "alpha"}, HTTP_HX_REQUEST="true"
        ).content.decode()
        assert CCCD_A not in text
    assert seen > 30
    # Errors: a duplicate citizen ID typed by someone else names a unit, not the person or ID.
    response = client_of("officer_b").post(
        reverse("members:member_admit"),
        {
            "unit": "B1",
            "family_name": "X",
            "given_name": "Y",
            "sex": "F",
            "date_of_birth": "17/05/1990",
            "admitted_on": "01/01/2024",
            "citizen_id": CCCD_A,
            "professional_level": "",
            "political_theory": "",
        },
    )
    text = response.content.decode()
    assert f"{MARKER_A}hoa" not in text and "**********45" not in text
    assert flag.pk  # the duplicate existed during the walk


def test_edit_form_of_a_personal_data_officer_is_logged(world):
    m = sensitive_member(world)
    user, client = personal_officer(world)
    response, text = page(client, "member_edit", m.pk)
    assert response.status_code == 200
    assert CCCD_A in text and 'name="ethnicity"' in text and 'name="party_member"' in text
    access = PersonalDataAccess.objects.get()
    assert access.user == user and access.where.endswith(f"/{m.pk}/edit/")
    response = client.post(
        reverse("members:member_edit", args=[m.pk]),
        {
            "family_name": m.family_name,
            "middle_name": m.middle_name,
            "given_name": m.given_name,
            "sex": "F",
            "date_of_birth": "17/05/1990",
            "citizen_id": CCCD_A,
            "ethnicity": Ethnicity.objects.get(code="01").pk,
            "religion": "",
            "party_member": "on",
            "party_joined_on": "02/09/2023",
            "card_number": m.card_number,
            "professional_level": "",
            "political_theory": "",
        },
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.ethnicity.code == "01" and m.religion is None and m.citizen_id == CCCD_A


def test_personal_filters_only_search_where_personal_data_may_be_read(world):
    m = sensitive_member(world)  # Party member in A1, ethnicity Thái
    twin = services.member_admit(
        actor=None,
        unit=world.grass_a2,
        family_name="Lò",
        given_name="Ơn",
        sex="M",
        admitted_on=D(2021, 1, 1),
        party_member=True,
        party_joined_on=D(2020, 5, 1),
        ethnicity=Ethnicity.objects.get(code="03"),
    )
    user, client = personal_officer(world, world.grass_a1)
    RoleGrant.objects.create(
        user=user, role=Role.objects.get(code="viewer"), unit=world.unit_a
    )  # sees A2's members, masked
    url = reverse("members:member_list")
    text = client.get(url).content.decode()
    assert m.full_name in text and twin.full_name in text
    assert 'name="party_member"' in text and 'name="ethnicity"' in text
    text = client.get(url, {"party_member": "true"}).content.decode()
    assert m.full_name in text and twin.full_name not in text
    text = client.get(url, {"ethnicity": "03"}).content.decode()
    assert m.full_name in text and twin.full_name not in text


# ---------------------------------------------------------------------------------------------
# Data-subject export, access log, log lines


def test_subject_export_json(world, client_of):
    m = sensitive_member(world)
    services.transfer_request(
        actor=world.officer_a, member=m, to_unit=world.grass_a2, day=D(2024, 1, 1)
    )
    access_a(world)
    user, client = personal_officer(world)
    response, text = page(client, "member_subject_export", m.pk)
    assert response.status_code == 200 and CCCD_A not in text
    response = client.post(
        reverse("members:member_subject_export", args=[m.pk]),
        {"format": "json", "purpose": "member_request", "detail": "Đơn yêu cầu số 5"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["record"]["citizen_id"] == CCCD_A
    assert data["record"]["ethnicity"] == {"code": "03", "name": "Thái"}
    assert data["record"]["religion"] == "Phật giáo" and data["record"]["party_member"] is True
    assert [s["unit"]["code"] for s in data["spells"]] == ["A1", "A2"]
    assert [e["date"] for e in data["events"]][:3] == ["2020-01-01", "2023-01-10", "2023-09-02"]
    assert data["transfers"][0]["to_unit"]["code"] == "A2"
    assert any(c["changes"] for c in data["changes"])
    reads = data["personal_data_reads"]  # the earlier read and this export itself
    assert reads[0]["purpose"] == "Kiểm tra hồ sơ"
    assert len(reads) == 2 and "Đơn yêu cầu số 5" in reads[1]["purpose"]
    last = PersonalDataAccess.objects.order_by("-pk").first()
    assert (
        last.kind == "subject_export" and last.user == user and "Đơn yêu cầu số 5" in last.purpose
    )
    # Officer A (no permission) and officer B (not theirs).
    assert (
        client_of("officer_a")
        .post(
            reverse("members:member_subject_export", args=[m.pk]),
            {"format": "json", "purpose": "member_request"},
        )
        .status_code
        == 403
    )
    assert (
        client_of("officer_b")
        .get(reverse("members:member_subject_export", args=[m.pk]))
        .status_code
        == 404
    )


def test_subject_export_pdf(world):
    """The data-subject PDF read back: every field with its Vietnamese label and the full
    citizen ID (the member's own data, for the personal-data officer), dates as dd/mm/yyyy."""
    m = sensitive_member(world)
    _, client = personal_officer(world)
    response = client.post(
        reverse("members:member_subject_export", args=[m.pk]),
        {"format": "pdf", "purpose": "member_request"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    assert "DỮ LIỆU CÁ NHÂN ĐANG LƯU GIỮ VỀ ĐOÀN VIÊN" in text and m.full_name in text
    assert f"Số CCCD hoặc CMND cũ {CCCD_A}" in text
    assert "Ngày sinh 17/05/1990" in text and "Ngày kết nạp 01/01/2020" in text
    assert "Dân tộc Thái (03)" in text and "Tôn giáo Phật giáo" in text
    assert "Đảng viên có" in text and "Ngày vào Đảng 02/09/2023" in text
    assert re.search(r"Ngày tạo hồ sơ \d\d/\d\d/\d{4} \d\d:\d\d", text)
    assert "01/01/2020 Kết nạp" in text and "Mục đích: Theo đề nghị của chính đoàn viên" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "no ISO dates"
    assert "Created at" not in text and "Updated at" not in text
    assert PersonalDataAccess.objects.get().kind == "subject_export"


def test_access_log_for_auditors(world, client_of):
    m = sensitive_member(world)
    access_a(world)
    personal.log_access(
        user=world.national,
        kind="export",
        purpose="Báo cáo",
        members=[m, world.member_b],
        where="/members/export/",
    )
    text = client_of("officer_a").get(reverse("members:access_log")).content.decode()
    assert "Kiểm tra hồ sơ" in text and "Báo cáo" in text and m.full_name in text
    assert world.member_b.full_name not in text  # named only where the auditor may see
    text_b = client_of("officer_b").get(reverse("members:access_log")).content.decode()
    assert "Kiểm tra hồ sơ" not in text_b and "Báo cáo" in text_b and MARKER_A not in text_b
    text = (
        client_of("officer_a")
        .get(reverse("members:access_log"), {"kind": "export"})
        .content.decode()
    )
    assert "Kiểm tra hồ sơ" not in text and "Báo cáo" in text
    # Without audit.view: nothing.
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    c = Client()
    c.force_login(viewer)
    text = c.get(reverse("members:access_log")).content.decode()
    assert "Kiểm tra hồ sơ" not in text


def test_log_access_rules_and_log_lines(world, caplog):
    m = sensitive_member(world)
    with pytest.raises(RuleViolation):  # no purpose
        personal.log_access(user=world.national, kind="view", purpose="  ", members=[m])
    with caplog.at_level(logging.INFO, logger="congdoan.members.personal"):
        access = personal.log_access(
            user=world.national, kind="export", purpose="Báo cáo", members=[m.pk, m.pk]
        )
    assert access.member_count == 1
    assert caplog.records and all(CCCD_A not in r.getMessage() for r in caplog.records)
    assert all(m.full_name not in r.getMessage() for r in caplog.records)


def test_profile_masks_by_default(world):
    m = sensitive_member(world)
    p = personal.profile(m)
    assert p.citizen_id == "**********45" and p.ethnicity is None and p.party_member is None
    with pytest.raises(PermissionDenied):
        personal.reveal(user=world.officer_a, member=m, purpose="x", where="")
    root = User.objects.create_superuser("root", password="x" * 20)
    full = personal.reveal(user=root, member=m, purpose="Kiểm tra", where="test")
    assert full.citizen_id == CCCD_A and full.ethnicity.code == "03" and full.party_member
    assert PersonalDataAccess.objects.filter(user=root, purpose="Kiểm tra").exists()


def test_admin_shows_members_read_only_and_masked(world, client):
    m = sensitive_member(world)
    root = User.objects.create_superuser("root", password="x" * 20)
    client.force_login(root)
    text = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert m.full_name in text and CCCD_A not in text
    response = client.get(reverse("admin:members_member_change", args=[m.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "**********45" in text and CCCD_A not in text
    assert "Thái" not in text
    assert client.get(reverse("admin:members_member_add")).status_code == 403
    assert client.get(reverse("admin:members_ethnicity_changelist")).status_code == 200
    assert client.get(reverse("admin:members_religion_add")).status_code == 200


def test_entering_sensitive_data_needs_the_permission(world, client_of):
    data = {
        "family_name": "Lò",
        "given_name": "Ín",
        "sex": "M",
        "date_of_birth": "01/01/1990",
        "admitted_on": "01/01/2024",
        "professional_level": "",
        "political_theory": "",
        "ethnicity": Ethnicity.objects.get(code="03").pk,
        "party_member": "on",
    }
    # Without the permission anywhere the form has no sensitive input, and none is stored.
    c = client_of("officer_a")
    assert 'name="ethnicity"' not in c.get(reverse("members:member_admit")).content.decode()
    assert c.post(reverse("members:member_admit"), {**data, "unit": "A1"}).status_code == 302
    m = Member.objects.get(given_name="Ín")
    assert m.ethnicity is None and not m.party_member
    # With it on A1 only (and the right to admit in all of A), only A1 may receive such data.
    user, client = personal_officer(world, world.grass_a1)
    RoleGrant.objects.create(user=user, role=Role.objects.get(code="data_entry"), unit=world.unit_a)
    assert 'name="ethnicity"' in client.get(reverse("members:member_admit")).content.decode()
    response = client.post(
        reverse("members:member_admit"), {**data, "unit": "A2", "given_name": "Ăn"}
    )
    assert response.status_code == 200 and not Member.objects.filter(given_name="Ăn").exists()
    assert "invalid-feedback" in response.content.decode()
    response = client.post(
        reverse("members:member_admit"), {**data, "unit": "A1", "given_name": "Ăn"}
    )
    assert response.status_code == 302
    m = Member.objects.get(given_name="Ăn")
    assert m.ethnicity.code == "03" and m.party_member
