"""The member API: scoping, masking of personal data, the access log, lifecycle actions,
transfers seen from both sides, import jobs and counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congdoan.core.tests.support import make_user
from congdoan.members.models import (
    AccessKind,
    ImportJob,
    Member,
    PersonalDataAccess,
    TransferRequest,
    TransferStatus,
)
from congdoan.members.services import member_admit
from congdoan.members.tests.test_counts import assert_counts_agree

pytestmark = pytest.mark.django_db
D = dt.date
CCCD = "001190123456"  # Hà Nội, a woman born in 1990
FULL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")


@pytest.fixture
def lan(world):
    return member_admit(
        actor=None,
        unit=world.grass_a1,
        family_name="Đặng",
        middle_name="Thị",
        given_name="Lan",
        sex="F",
        admitted_on=D(2021, 3, 1),
        date_of_birth=D(1990, 4, 2),
        citizen_id=CCCD,
        phone="0912345678",
    )


def token_client(user) -> Client:
    """A client authenticated by an API token created in a session verified by a second factor
    (how roles that need one call the API)."""
    from congdoan.accounts.services import token_create

    _instance, key = token_create(actor=user, name="test", otp_verified=True)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def personal_a(world):
    """An officer of unit A who may read personal data (the role requires a second factor)."""
    return token_client(make_user("pd_a", "personal_data_officer", world.unit_a))


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# ---------------------------------------------------------------------------------------------
# Scope


def test_lists_are_scoped(world, client_of, lan):
    assert ids(client_of("officer_a").get("/api/v1/members/")) == {world.member_a.pk, lan.pk}
    assert ids(client_of("officer_b").get("/api/v1/members/")) == {world.member_b.pk}
    assert len(ids(client_of("national").get("/api/v1/members/"))) == 3
    assert client_of("officer_b").get(f"/api/v1/members/{lan.pk}/").status_code == 404
    assert (
        client_of("officer_b")
        .post(f"/api/v1/members/{lan.pk}/exit/", {"day": "01/01/2024", "reason": "retired"})
        .status_code
        == 404
    )
    assert Member.objects.get(pk=lan.pk).status == "active"


def test_list_filters_like_the_page(world, client_of, lan):
    api = client_of("national")
    assert ids(api.get("/api/v1/members/", {"q": "dang thi lan"})) == {lan.pk}
    assert ids(api.get("/api/v1/members/", {"unit": "HB"})) == {world.member_b.pk}
    assert ids(api.get("/api/v1/members/", {"sex": "F"})) == {world.member_a.pk, lan.pk}
    response = api.get("/api/v1/members/", {"unit": "NOPE"})
    assert response.status_code == 400 and response.json()["field"] == "unit"
    # Former members only with the status filter; one member by id whatever its status.
    api.post(f"/api/v1/members/{lan.pk}/exit/", {"day": "01/01/2024", "reason": "retired"})
    assert lan.pk not in ids(api.get("/api/v1/members/"))
    assert ids(api.get("/api/v1/members/", {"status": "exited"})) == {lan.pk}
    assert api.get(f"/api/v1/members/{lan.pk}/").json()["status"] == "exited"


def test_list_query_budget(world, client_of):
    for i in range(20):
        member_admit(
            actor=None, unit=world.grass_a2, family_name="Lê", given_name=f"Tên {i}", sex="M",
            admitted_on=D(2022, 1, 1),
        )  # fmt: skip
    api = client_of("officer_a")
    api.get("/api/v1/members/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/members/")
    assert response.status_code == 200 and response.json()["count"] == 21
    # Session, user, second factor (2), grants, scope, count, page: not one more per member.
    assert len(queries) <= 8, [q["sql"][:120] for q in queries]


# ---------------------------------------------------------------------------------------------
# Personal data


def test_no_full_citizen_id_without_the_permission(world, client_of, lan):
    """Officer A may change A's members but not read personal data: no endpoint gives the full
    number, even with a purpose, and nothing is logged."""
    api = client_of("officer_a")
    ImportJob.objects.create(
        unit=world.unit_a,
        filename="ds.xlsx",
        created_by=world.officer_a,
        errors=[{"row": 3, "column": "Số CCCD", "message": f"Số {CCCD} đã có trong hệ thống."}],
    )
    job = ImportJob.objects.get()
    responses = [
        api.get("/api/v1/members/", {"purpose": "kiểm tra"}),
        api.get(f"/api/v1/members/{lan.pk}/", {"purpose": "kiểm tra"}),
        api.get(f"/api/v1/members/{lan.pk}/events/", HTTP_X_PURPOSE="kiểm tra"),
        api.get("/api/v1/member-transfers/"),
        api.get("/api/v1/member-imports/"),
        api.get(f"/api/v1/member-imports/{job.pk}/"),
        api.get("/api/v1/member-counts/", {"unit": "HA"}),
        api.patch(
            f"/api/v1/members/{lan.pk}/", {"note": "Đã xác minh"}, content_type="application/json"
        ),
        api.post(f"/api/v1/members/{lan.pk}/suspend/", {"day": "01/02/2024"}),
        api.post(
            "/api/v1/members/",
            {
                "unit": "A2", "family_name": "Đặng", "given_name": "Lan", "sex": "F",
                "admitted_on": "01/01/2024", "date_of_birth": "02/04/1990", "citizen_id": CCCD,
            },
        ),  # a duplicate: the answer names the existing record, not the number
    ]  # fmt: skip
    for response in responses:
        assert response.status_code < 500
        body = response.content.decode()
        assert CCCD not in body and not FULL_ID.search(body), response.request["PATH_INFO"]
    detail = responses[1].json()
    assert detail["citizen_id_masked"] == "**********56" and detail["personal"] is None
    assert responses[-1].status_code == 400 and responses[-1].json()["existing_member"] == lan.pk
    # Only the duplicate check is logged (a look-up by identity number), no read.
    [access] = PersonalDataAccess.objects.all()
    assert access.kind == "duplicate" and access.sought == CCCD and access.lookups == 1


def test_personal_data_with_permission_and_purpose_is_logged(world, personal_a, lan):
    # Without a purpose: masked, nothing logged.
    detail = personal_a.get(f"/api/v1/members/{lan.pk}/").json()
    assert detail["personal"] is None and CCCD not in str(detail)
    assert not PersonalDataAccess.objects.exists()
    # With a purpose: revealed and logged (kind view, this member, the purpose, where).
    detail = personal_a.get(f"/api/v1/members/{lan.pk}/", {"purpose": "Xác minh kết nạp Đảng"})
    personal = detail.json()["personal"]
    assert personal["citizen_id"] == CCCD and personal["party_member"] is False
    access = PersonalDataAccess.objects.get()
    assert access.kind == AccessKind.VIEW and access.purpose == "Xác minh kết nạp Đảng"
    assert list(access.members.all()) == [lan] and access.where == f"/api/v1/members/{lan.pk}/"
    # The list: a page is an export of the members on it.
    rows = personal_a.get("/api/v1/members/", HTTP_X_PURPOSE="Rà soát danh sách").json()["results"]
    assert {r["id"] for r in rows if r["personal"]} == {lan.pk, world.member_a.pk}
    export = PersonalDataAccess.objects.get(kind=AccessKind.EXPORT)
    assert set(export.members.values_list("pk", flat=True)) == {lan.pk, world.member_a.pk}
    # Party events appear in the timeline only when revealed.
    personal_a.post(f"/api/v1/members/{lan.pk}/party-referral/", {"day": "01/03/2024"})
    kinds = [e["kind"] for e in personal_a.get(f"/api/v1/members/{lan.pk}/events/").json()]
    assert "party_referral" not in kinds
    kinds = [
        e["kind"]
        for e in personal_a.get(f"/api/v1/members/{lan.pk}/events/", {"purpose": "x"}).json()
    ]
    assert "party_referral" in kinds


def test_sensitive_inputs_need_the_permission(world, client_of, personal_a, lan):
    response = client_of("officer_a").patch(
        f"/api/v1/members/{lan.pk}/", {"ethnicity": "01"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["field"] == "ethnicity"
    response = personal_a.patch(
        f"/api/v1/members/{lan.pk}/",
        {"ethnicity": "01", "religion": "khong"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Member.objects.get(pk=lan.pk).ethnicity.code == "01"


# ---------------------------------------------------------------------------------------------
# Writes


def test_admit_update_and_lifecycle(world, client_of, lan):
    api = client_of("officer_a")
    response = api.post(
        "/api/v1/members/",
        {
            "unit": "A2",
            "family_name": "Hoàng",
            "middle_name": "Văn",
            "given_name": "Nam",
            "sex": "M",
            "admitted_on": "2023-05-01",
            "allocate_card": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    nam = response.json()
    assert nam["unit"]["code"] == "A2" and nam["card_number"]
    response = api.patch(
        f"/api/v1/members/{nam['id']}/",
        {"phone": "+84 912 000 111"},
        content_type="application/json",
    )
    assert response.json()["phone"] == "0912000111"
    # Rules answer 400 with the service's message and field.
    response = api.post(f"/api/v1/members/{nam['id']}/resume/", {"day": "01/06/2024"})
    assert response.status_code == 400 and response.json()["detail"]
    response = api.post(f"/api/v1/members/{nam['id']}/suspend/", {"day": "2099-01-01"})
    assert response.status_code == 400 and response.json()["field"] == "day"
    for path, data in [
        ("suspend", {"day": "01/06/2024"}),
        ("resume", {"day": "01/09/2024"}),
        ("discipline", {"day": "02/09/2024", "level": "reprimand", "decision_ref": "5/QĐ"}),
        ("party-referral", {"day": "03/09/2024"}),
        ("party-admission", {"day": "04/10/2024"}),
        ("exit", {"day": "01/12/2024", "reason": "left_job"}),
        ("readmit", {"day": "01/03/2025", "unit": "A1"}),
    ]:
        response = api.post(f"/api/v1/members/{nam['id']}/{path}/", data)
        assert response.status_code == 200, (path, response.json())
    member = Member.objects.get(pk=nam["id"])
    assert member.status == "active" and member.unit == world.grass_a1 and member.party_member
    events = api.get(f"/api/v1/members/{nam['id']}/events/").json()
    assert [e["kind"] for e in events] == [
        "admit", "suspend", "resume", "discipline", "exit", "admit",
    ]  # fmt: skip
    response = api.post(f"/api/v1/members/{nam['id']}/exit/", {"day": "01/04/2025", "reason": "x"})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert_counts_agree([D(2024, 6, 30), D(2024, 12, 31), D(2025, 3, 1)])


def test_viewer_may_not_change(world, lan):
    viewer = Client()
    viewer.force_login(make_user("viewer_a", "viewer", world.unit_a))
    assert viewer.get(f"/api/v1/members/{lan.pk}/").status_code == 200
    response = viewer.patch(
        f"/api/v1/members/{lan.pk}/", {"note": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        viewer.post(f"/api/v1/members/{lan.pk}/suspend/", {"day": "01/01/2024"}).status_code == 403
    )


def test_transfer_between_units_both_sides(world, client_of, lan):
    a, b = client_of("officer_a"), client_of("officer_b")
    response = a.post(f"/api/v1/members/{lan.pk}/transfer/", {"to_unit": "B1", "day": "01/02/2024"})
    assert response.status_code == 201
    transfer = response.json()
    assert transfer["status"] == "pending" and transfer["to_unit"]["code"] == "B1"
    # Both sides see it; the receiving side confirms.
    assert transfer["id"] in ids(a.get("/api/v1/member-transfers/"))
    assert transfer["id"] in ids(b.get("/api/v1/member-transfers/", {"status": "pending"}))
    assert a.post(f"/api/v1/member-transfers/{transfer['id']}/confirm/").status_code == 400
    response = b.post(f"/api/v1/member-transfers/{transfer['id']}/confirm/")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert Member.objects.get(pk=lan.pk).unit == world.grass_b1
    assert b.get(f"/api/v1/members/{lan.pk}/").status_code == 200
    assert a.get(f"/api/v1/members/{lan.pk}/").status_code == 404
    # Counted: out of unit A, into unit B.
    counts_a = a.get("/api/v1/member-counts/", {"unit": "HA", "as_of": "2024-12-31"}).json()
    assert counts_a["total"]["transfers_out"] == 1 and counts_a["total"]["members"] == 1
    counts_b = b.get("/api/v1/member-counts/", {"as_of": "2024-12-31"}).json()
    assert counts_b["code"] == "HB" and counts_b["total"]["transfers_in"] == 1
    # Refused and withdrawn requests.
    t = b.post(f"/api/v1/members/{lan.pk}/transfer/", {"to_unit": "A2", "day": "01/03/2024"})
    t_id = t.json()["id"]
    response = a.post(f"/api/v1/member-transfers/{t_id}/reject/", {"reason": "Không tiếp nhận"})
    assert response.json()["status"] == "rejected"
    t_id = b.post(
        f"/api/v1/members/{lan.pk}/transfer/", {"to_unit": "A2", "day": "01/03/2024"}
    ).json()["id"]
    assert b.post(f"/api/v1/member-transfers/{t_id}/cancel/").json()["status"] == "cancelled"
    assert TransferRequest.objects.filter(status=TransferStatus.CONFIRMED).count() == 1


# ---------------------------------------------------------------------------------------------
# Import jobs and counts


def test_import_jobs(world, client_of):
    job = ImportJob.objects.create(
        unit=world.grass_a1,
        filename="doan-vien.xlsx",
        created_by=world.officer_a,
        status="importing",
        rows_total=200,
        rows_done=50,
        errors=[{"file": "doan-vien.xlsx", "row": 7, "column": "Ngày sinh", "message": "Sai ngày"}],
    )
    body = client_of("officer_a").get(f"/api/v1/member-imports/{job.pk}/").json()
    assert body["progress"] == 0.25 and body["status"] == "importing"
    assert body["errors"] == [
        {"file": "doan-vien.xlsx", "row": 7, "column": "Ngày sinh", "message": "Sai ngày"}
    ]
    assert client_of("officer_b").get(f"/api/v1/member-imports/{job.pk}/").status_code == 404
    assert ids(client_of("officer_b").get("/api/v1/member-imports/")) == set()


def test_counts_endpoints(world, client_of, lan):
    from django.utils import timezone

    from congdoan.organisation.models import Cluster, ClusterMembership

    api = client_of("officer_a")
    body = api.get("/api/v1/member-counts/", {"unit": "HA", "date_from": "2021-01-01"}).json()
    assert body["code"] == "HA" and body["total"]["members"] == 2
    assert body["total"]["admissions"] == 1 and body["total"]["women"] == 2
    assert {r["code"] for r in body["rows"]} == {"A1"}
    assert set(body["total"]["exits_by_reason"]) >= {"retired", "unit_dissolved"}
    response = api.get("/api/v1/member-counts/", {"date_from": "2025-01-02", "as_of": "2025-01-01"})
    assert response.status_code == 400 and response.json()["field"] == "date_from"
    assert client_of("officer_b").get("/api/v1/member-counts/", {"unit": "A1"}).status_code == 404
    year = timezone.localdate().year
    cluster = Cluster.objects.create(code="cum-x", name="Cụm X", organiser=world.province)
    for unit in (world.unit_a, world.unit_b):
        ClusterMembership.objects.create(cluster=cluster, year=year, unit=unit)
    body = client_of("national").get("/api/v1/member-counts/cluster/", {"cluster": cluster.pk})
    assert body.json()["total"]["members"] == 3 and body.json()["hidden_units"] == 0
    # Officers of the units see the cluster (their unit is a member) but only their own row.
    body = api.get("/api/v1/member-counts/cluster/", {"cluster": cluster.pk}).json()
    assert [r["code"] for r in body["rows"]] == ["HA"] and body["hidden_units"] == 1
