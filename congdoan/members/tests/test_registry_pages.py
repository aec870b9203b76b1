"""The registry pages through HTTP with the standard personas: list, member page, admission with
the duplicate-CCCD paths, corrections, lifecycle forms, transfers from both sides, duplicates."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A, MARKER_B, make_user
from congdoan.members import services
from congdoan.members.models import (
    DuplicateFlag,
    Member,
    MemberStatus,
    TransferRequest,
    TransferStatus,
)
from congdoan.members.tests.url_cases_registry import (
    CCCD_A,
    cccd_a,
    duplicate_a,
    pending_transfer_a,
)

D = dt.date


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def list_page(client, **params) -> str:
    return body(client.get(reverse("members:member_list"), params))


def admit(unit, given, **kw):
    values = {
        "family_name": "Lường",
        "middle_name": "Thị",
        "sex": "F",
        "admitted_on": D(2021, 1, 1),
        "date_of_birth": D(1990, 1, 1),
    }
    values.update(kw)
    return services.member_admit(actor=None, unit=unit, given_name=given, **values)


# ---------------------------------------------------------------------------------------------
# The list


def test_list_is_scoped(client_of, world):
    page = list_page(client_of("officer_a"))
    assert f"{MARKER_A}hoa" in page and MARKER_B not in page
    page = list_page(client_of("officer_b"))
    assert f"{MARKER_B}nam" in page and MARKER_A not in page
    page = list_page(client_of("national"))
    assert f"{MARKER_A}hoa" in page and f"{MARKER_B}nam" in page


def test_list_search_and_filters(client_of, world):
    admit(
        world.grass_a1,
        "Hòa",
        family_name="Nguyễn",
        middle_name="Đức",
        sex="M",
        date_of_birth=D(1960, 5, 1),
        hardship=True,
        phone="0912 345 678",
    )
    admit(
        world.grass_a2,
        "Thủy",
        family_name="Vàng",
        middle_name="Thị",
        disability=True,
        date_of_birth=D(2000, 1, 1),
        card_number="LC0002",
    )
    c = client_of("officer_a")
    assert "Nguyễn Đức Hòa" in list_page(c, q="nguyen duc hoa")
    assert "Nguyễn Đức Hòa" in list_page(c, q="NGUYỄN ĐỨC HOÀ")  # other tone placement
    assert "Nguyễn Đức Hòa" in list_page(c, q="0912345678")
    assert "Vàng Thị Thủy" in list_page(c, q="lc0002")
    assert "Vàng Thị Thủy" not in list_page(c, q="nguyen")
    page = list_page(c, sex="M")
    assert "Nguyễn Đức Hòa" in page and "Vàng Thị Thủy" not in page
    page = list_page(c, age_band="50plus")
    assert "Nguyễn Đức Hòa" in page and "Vàng Thị Thủy" not in page
    page = list_page(c, age_band="lt30")
    assert "Vàng Thị Thủy" in page and "Nguyễn Đức Hòa" not in page
    assert f"{MARKER_A}hoa" in list_page(c, age_band="30_39")
    page = list_page(c, hardship="on")
    assert "Nguyễn Đức Hòa" in page and "Vàng Thị Thủy" not in page
    page = list_page(c, disability="true")
    assert "Vàng Thị Thủy" in page and "Nguyễn Đức Hòa" not in page
    page = list_page(c, unit="A2")
    assert "Vàng Thị Thủy" in page and "Nguyễn Đức Hòa" not in page
    # A unit outside the scope is "not found", like one that does not exist.
    page = list_page(c, unit="B1")
    assert MARKER_B not in page and "Nguyễn Đức Hòa" not in page
    # Personal-data filters are ignored for users without the permission.
    page = list_page(c, party_member="true")
    assert "Nguyễn Đức Hòa" in page


def test_list_status_filter_defaults_to_current_members(client_of, world):
    services.member_exit(actor=None, member=world.member_a, day=D(2024, 1, 1), reason="retired")
    c = client_of("officer_a")
    admit(world.grass_a1, "Lan")
    assert f"{MARKER_A}hoa" not in list_page(c)
    assert f"{MARKER_A}hoa" in list_page(c, status="exited")
    assert f"{MARKER_A}hoa" in list_page(c, status="all")
    assert "Lan" not in list_page(c, status="exited")


def test_list_in_vietnamese_order(client_of, world):
    for family, given in [
        ("Ân", "Anh"),
        ("Bùi", "Ánh"),
        ("An", "Anh"),
        ("Đỗ", "Dũng"),
        ("Cao", "Đức"),
        ("Lê", "Hà"),
        ("Lê", "Hạ"),
        ("Lê", "Ha"),
    ]:
        admit(world.grass_a2, given, family_name=family, middle_name="")
    page = list_page(client_of("officer_a"), unit="A2")
    names = re.findall(r'href="/members/\d+/">([^<]+)</a>', page)
    assert names == [
        "An Anh",
        "Ân Anh",
        "Bùi Ánh",
        "Đỗ Dũng",
        "Cao Đức",
        "Lê Ha",
        "Lê Hà",
        "Lê Hạ",
    ]


def test_list_htmx_returns_the_results_only(client_of, world):
    response = client_of("officer_a").get(
        reverse("members:member_list"), {"q": "alpha"}, HTTP_HX_REQUEST="true"
    )
    text = body(response)
    assert f"{MARKER_A}hoa" in text and "<nav" not in text and "<html" not in text


def test_list_query_budget(client_of, world):
    c = client_of("officer_a")
    list_page(c)  # warm caches (content types, …)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            list_page(c)
        return len(ctx.captured_queries)

    few = count()
    for i in range(40):
        admit(world.grass_a1 if i % 2 else world.grass_a2, f"Người{i}")
    assert count() == few
    assert few <= 12, few


def test_list_pages_lazily(client_of, world):
    for i in range(55):
        admit(world.grass_a1, f"Ngân{i:02d}")
    c = client_of("officer_a")
    first = list_page(c)
    assert "page=2" in first
    second = list_page(c, page=2)
    assert second.count('href="/members/') >= 6


def test_export_links_carry_the_filters(client_of, world):
    url = reverse("members:export_xlsx")
    page = list_page(client_of("officer_a"), q="alpha", sex="F")
    assert f"{url}?q=alpha" in page.replace("&amp;", "&")


# ---------------------------------------------------------------------------------------------
# The member page


def test_member_page_sections(client_of, world):
    cccd_a(world)
    duplicate_a(world)
    services.transfer_request(
        actor=world.officer_a, member=world.member_a, to_unit=world.grass_a2, day=D(2023, 5, 1)
    )
    services.member_discipline(
        actor=world.officer_a,
        member=world.member_a,
        day=D(2024, 1, 5),
        level="warning",
        decision_ref="07/QĐ",
    )
    page = body(
        client_of("officer_a").get(reverse("members:member_detail", args=[world.member_a.pk]))
    )
    assert "Nguyễn Thị ALPHAhoa" in page
    assert "**********45" in page and CCCD_A not in page
    assert "CĐCS ALPHA Một → CĐCS ALPHA Hai" in page  # the transfer with both units
    assert "07/QĐ" in page and "01/05/2023" in page
    # Ancestors: linked inside the scope only.
    assert reverse("organisation:unit_detail", args=[world.unit_a.pk]) in page
    assert reverse("organisation:unit_detail", args=[world.province.pk]) not in page
    assert "LĐLĐ tỉnh Thử Nghiệm" in page
    # The likely duplicate (visible to A), the audit trail, the empty sections.
    assert reverse("members:member_detail", args=[world.extra["duplicate_twin"].pk]) in page
    for key in (
        "profile",
        "timeline",
        "spells",
        "seats",
        "audit",
        "section-awards",
        "section-care",
    ):
        assert f'id="{key}"' in page, key
    # Actions follow the rights: no Party actions without the personal-data permission.
    assert reverse("members:member_transfer", args=[world.member_a.pk]) in page
    assert reverse("members:member_party_referral", args=[world.member_a.pk]) not in page
    assert reverse("members:member_reveal", args=[world.member_a.pk]) not in page


def test_member_page_of_a_viewer(client, world):
    viewer = make_user("viewer_a")
    from congdoan.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    page = body(client.get(reverse("members:member_detail", args=[world.member_a.pk])))
    assert reverse("members:member_edit", args=[world.member_a.pk]) not in page
    assert 'id="audit"' not in page  # no audit.view
    assert client.get(reverse("members:member_edit", args=[world.member_a.pk])).status_code == 404
    assert client.get(reverse("members:member_admit")).status_code == 200
    # The admission form offers no unit: the viewer may change none.
    response = client.post(reverse("members:member_admit"), {"unit": "A1"})
    assert response.status_code == 200 and not Member.objects.filter(unit__code="A1").count() > 1


def test_member_page_shows_seats(client_of, world):
    from congdoan.organisation.models import Position
    from congdoan.organisation.services import seat_add, term_create

    term = term_create(
        actor=None,
        unit=world.grass_a1,
        number=3,
        start_year=2023,
        end_year=2028,
        congress_date=D(2023, 5, 10),
    )
    seat_add(
        actor=None,
        term=term,
        committee="bch",
        position=Position.objects.get(code="chu_tich"),
        full_name=world.member_a.full_name,
        member=world.member_a,
        start_date=D(2023, 5, 10),
    )
    page = body(
        client_of("officer_a").get(reverse("members:member_detail", args=[world.member_a.pk]))
    )
    assert "Chủ tịch" in page and "10/05/2023" in page


# ---------------------------------------------------------------------------------------------
# Admission


def admit_data(**kw):
    data = {
        "unit": "A1",
        "family_name": "Vàng",
        "middle_name": "A",
        "given_name": "Sềnh",
        "sex": "M",
        "date_of_birth": "02/03/1988",
        "admitted_on": "15/06/2024",
        "citizen_id": "",
        "phone": "0912 000 111",
        "professional_level": "",
        "political_theory": "",
        "action": "admit",
    }
    data.update(kw)
    return data


def test_admit_through_the_form(client_of, world):
    c = client_of("officer_a")
    assert "Vàng" not in body(c.get(reverse("members:member_admit")))
    response = c.post(reverse("members:member_admit"), admit_data(citizen_id="001088123456"))
    assert response.status_code == 302
    m = Member.objects.get(given_name="Sềnh")
    assert response["Location"] == reverse("members:member_detail", args=[m.pk])
    assert m.unit == world.grass_a1 and m.admitted_on == D(2024, 6, 15)
    assert m.phone == "0912000111" and m.citizen_id == "001088123456"
    assert m.history.get().history_user == world.officer_a


def test_admit_errors_next_to_their_field(client_of, world):
    c = client_of("officer_a")
    page = body(c.post(reverse("members:member_admit"), admit_data(admitted_on="01/01/2999")))
    assert "01/01/2999" in page and "invalid-feedback" in page
    page = body(c.post(reverse("members:member_admit"), admit_data(citizen_id="1088123456")))
    assert "001088123456" in page  # the lost leading zero is shown, not guessed
    page = body(c.post(reverse("members:member_admit"), admit_data(unit="B1")))
    assert not Member.objects.filter(given_name="Sềnh").exists()
    page = body(c.post(reverse("members:member_admit"), admit_data(date_of_birth="31/02/1988")))
    assert "dd/mm/yyyy" in page
    assert not Member.objects.filter(given_name="Sềnh").exists()


def test_duplicate_cccd_offers_a_transfer_request_without_revealing_the_record(client_of, world):
    cccd_a(world)
    c = client_of("officer_b")
    data = admit_data(
        unit="B1",
        citizen_id=CCCD_A,
        sex="F",
        date_of_birth="17/05/1990",
        family_name="Nguyễn",
        given_name="Hoa",
    )
    page = body(c.post(reverse("members:member_admit"), data))
    # Issue 11: neither the unit nor anything else says where the person is a member.
    assert 'id="existing-record"' in page and "ngoài phạm vi" in page
    # The unit's code as a word: a random CSRF token may contain the letters "A1".
    assert MARKER_A not in page and not re.search(r"(?<![A-Za-z0-9])A1(?![A-Za-z0-9])", page)
    assert reverse("members:member_detail", args=[world.member_a.pk]) not in page
    assert f"{MARKER_A}hoa" not in page  # the existing person's name stays hidden
    assert 'value="request_transfer"' in page and 'value="readmit"' not in page
    assert Member.objects.count() == 2
    response = c.post(reverse("members:member_admit"), {**data, "action": "request_transfer"})
    assert response.status_code == 302 and response["Location"] == reverse("members:transfer_list")
    listing = body(c.get(reverse("members:transfer_list")))
    assert MARKER_A not in listing and "ngoài phạm vi" in listing
    assert "Người mang số CCCD" in listing
    t = TransferRequest.objects.get()
    assert t.status == TransferStatus.PENDING and t.to_unit == world.grass_b1
    assert t.requested_by == world.officer_b and t.day == D(2024, 6, 15)
    # The sending unit (A) confirms it from its transfer list.
    response = client_of("officer_a").post(reverse("members:transfer_confirm", args=[t.pk]))
    assert response.status_code == 302
    assert Member.objects.get(pk=world.member_a.pk).unit == world.grass_b1


def test_duplicate_cccd_of_a_former_member_offers_readmission(client_of, world):
    cccd_a(world)
    services.member_exit(actor=None, member=world.member_a, day=D(2023, 1, 1), reason="left_job")
    c = client_of("officer_b")
    data = admit_data(
        unit="B1",
        citizen_id=CCCD_A,
        sex="F",
        date_of_birth="17/05/1990",
        family_name="Nguyễn",
        given_name="Hoa",
        phone="0988 777 666",
    )
    page = body(c.post(reverse("members:member_admit"), data))
    assert 'value="readmit"' in page and "01/01/2023" not in page and MARKER_A not in page
    response = c.post(reverse("members:member_admit"), {**data, "action": "readmit"})
    m = Member.objects.get(pk=world.member_a.pk)
    assert response["Location"] == reverse("members:member_detail", args=[m.pk])
    assert m.status == MemberStatus.ACTIVE and m.unit == world.grass_b1
    assert m.phone == "0988777666"  # completed with what was entered
    assert m.given_name == "Hoa"
    assert Member.objects.count() == 2


def test_same_cccd_in_my_own_unit_links_to_the_record(client_of, world):
    cccd_a(world)
    page = body(
        client_of("officer_a").post(
            reverse("members:member_admit"),
            admit_data(citizen_id=CCCD_A, sex="F", date_of_birth="17/05/1990"),
        )
    )
    assert reverse("members:member_detail", args=[world.member_a.pk]) in page
    assert 'value="request_transfer"' not in page  # already in this unit


# ---------------------------------------------------------------------------------------------
# Corrections and lifecycle forms


def edit_data(member, **kw):
    data = {
        "family_name": member.family_name,
        "middle_name": member.middle_name,
        "given_name": member.given_name,
        "sex": member.sex,
        "date_of_birth": member.date_of_birth.strftime("%d/%m/%Y"),
        "citizen_id": "",
        "card_number": member.card_number or "",
        "professional_level": "",
        "political_theory": "",
    }
    data.update(kw)
    return data


def test_edit_keeps_the_masked_citizen_id_unless_replaced(client_of, world):
    cccd_a(world)
    c = client_of("officer_a")
    url = reverse("members:member_edit", args=[world.member_a.pk])
    page = body(c.get(url))
    assert CCCD_A not in page and "**********45" in page
    assert 'name="ethnicity"' not in page and 'name="party_member"' not in page
    response = c.post(url, edit_data(world.member_a, phone="0911222333"))
    assert response.status_code == 302
    m = Member.objects.get(pk=world.member_a.pk)
    assert m.citizen_id == CCCD_A and m.phone == "0911222333"
    c.post(url, edit_data(m, citizen_id="001190054321"))
    assert Member.objects.get(pk=m.pk).citizen_id == "001190054321"
    c.post(url, edit_data(m, clear_citizen_id="on"))
    assert Member.objects.get(pk=m.pk).citizen_id is None
    page = body(c.post(url, edit_data(m, date_of_birth="01/01/2021")))
    assert "invalid-feedback" in page


def test_lifecycle_forms(client_of, world):
    c = client_of("officer_a")
    pk = world.member_a.pk

    def post(name, **data):
        response = c.post(reverse(f"members:{name}", args=[pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return Member.objects.get(pk=pk)

    assert post("member_suspend", day="01/02/2024").status == MemberStatus.SUSPENDED
    page = body(c.post(reverse("members:member_suspend", args=[pk]), {"day": "02/02/2024"}))
    assert "invalid-feedback" in page or "alert-danger" in page  # already suspended
    assert post("member_resume", day="01/03/2024").status == MemberStatus.ACTIVE
    post("member_discipline", day="01/04/2024", level="reprimand", decision_ref="1/QĐ")
    m = post("member_exit", day="01/05/2024", reason="left_job")
    assert m.status == MemberStatus.EXITED and m.exit_reason == "left_job"
    # Expulsion is not an exit reason of the form (it is a discipline).
    assert 'value="expelled"' not in body(c.get(reverse("members:member_exit", args=[pk])))
    m = post("member_readmit", unit="A2", day="01/06/2024")
    assert m.status == MemberStatus.ACTIVE and m.unit == world.grass_a2
    m = post("member_transfer", to_unit="A1", day="01/07/2024")
    assert m.unit == world.grass_a1  # officer A covers both: done at once
    post("member_discipline", day="01/08/2024", level="expulsion", decision_ref="2/QĐ")
    assert Member.objects.get(pk=pk).exit_reason == "expelled"


def test_transfer_form_to_any_unit_of_the_federation(client_of, world):
    c = client_of("officer_a")
    url = reverse("members:member_transfer", args=[world.member_a.pk])
    page = body(c.post(url, {"to_unit": "không có", "day": "01/02/2024"}))
    assert "invalid-feedback" in page
    page = body(c.post(url, {"to_unit": "CĐCS", "day": "01/02/2024"}))  # several match
    assert "B1" in page and "invalid-feedback" in page
    response = c.post(url, {"to_unit": "cdcs beta mot", "day": "01/02/2024"})  # a unique name
    assert response.status_code == 302
    t = TransferRequest.objects.get()
    assert t.to_unit == world.grass_b1 and t.status == TransferStatus.PENDING


def test_party_forms_need_the_personal_data_permission(client_of, world):
    c = client_of("officer_a")
    for name in ("member_party_referral", "member_party_admission"):
        assert c.get(reverse(f"members:{name}", args=[world.member_a.pk])).status_code == 403
        assert (
            c.post(
                reverse(f"members:{name}", args=[world.member_a.pk]), {"day": "01/01/2024"}
            ).status_code
            == 403
        )
    assert Member.objects.get(pk=world.member_a.pk).party_referred_on is None
    assert (
        client_of("officer_b")
        .get(reverse("members:member_party_referral", args=[world.member_a.pk]))
        .status_code
        == 404
    )


# ---------------------------------------------------------------------------------------------
# Transfers from both sides, duplicates


def test_transfer_list_from_both_sides(client_of, world):
    t = services.transfer_request(
        actor=world.officer_a, member=world.member_a, to_unit=world.grass_b1, day=D(2024, 2, 1)
    )
    page_b = body(client_of("officer_b").get(reverse("members:transfer_list")))
    page_a = body(client_of("officer_a").get(reverse("members:transfer_list")))
    # B (receiving) sees the person coming, can confirm or refuse; A can withdraw.
    assert f"{MARKER_A}hoa" in page_b
    assert reverse("members:transfer_confirm", args=[t.pk]) in page_b
    assert reverse("members:transfer_reject", args=[t.pk]) in page_b
    assert reverse("members:transfer_cancel", args=[t.pk]) not in page_b
    assert reverse("members:member_detail", args=[world.member_a.pk]) not in page_b
    assert reverse("members:transfer_cancel", args=[t.pk]) in page_a
    assert reverse("members:transfer_confirm", args=[t.pk]) not in page_a
    # A cannot confirm its own request (the service refuses; the page says why).
    response = client_of("officer_a").post(
        reverse("members:transfer_confirm", args=[t.pk]), follow=True
    )
    assert TransferRequest.objects.get(pk=t.pk).status == TransferStatus.PENDING
    assert "alert-danger" in response.content.decode()
    # B refuses with a reason.
    c = client_of("officer_b")
    assert "invalid-feedback" in body(c.post(reverse("members:transfer_reject", args=[t.pk]), {}))
    response = c.post(reverse("members:transfer_reject", args=[t.pk]), {"reason": "Sai đơn vị"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == TransferStatus.REJECTED and t.decision_note == "Sai đơn vị"
    assert "Sai đơn vị" in body(client_of("officer_a").get(reverse("members:transfer_list")))


def test_transfer_cancel_by_the_requesting_side(client_of, world):
    t = pending_transfer_a(world)
    outsider = client_of("officer_b")
    assert outsider.post(reverse("members:transfer_cancel", args=[t.pk])).status_code == 404
    client_of("officer_a").post(reverse("members:transfer_cancel", args=[t.pk]))
    assert TransferRequest.objects.get(pk=t.pk).status == TransferStatus.CANCELLED


def test_confirm_and_reject_are_post_only(client_of, world):
    t = pending_transfer_a(world)
    c = client_of("officer_a")
    assert c.get(reverse("members:transfer_confirm", args=[t.pk])).status_code == 405
    assert c.get(reverse("members:transfer_cancel", args=[t.pk])).status_code == 405
    assert c.get(reverse("members:member_reveal", args=[world.member_a.pk])).status_code == 405


def test_duplicate_review(client_of, world):
    flag = duplicate_a(world)
    c = client_of("officer_a")
    page = body(c.get(reverse("members:duplicate_list")))
    assert f"{MARKER_A}hoa" in page.replace("ALPHAHOA", "ALPHAhoa")
    assert reverse("members:duplicate_resolve", args=[flag.pk]) in page
    assert MARKER_A not in body(client_of("officer_b").get(reverse("members:duplicate_list")))
    assert (
        client_of("officer_b")
        .post(reverse("members:duplicate_resolve", args=[flag.pk]), {"status": "distinct"})
        .status_code
        == 404
    )
    response = c.post(reverse("members:duplicate_resolve", args=[flag.pk]), {"status": "distinct"})
    assert response.status_code == 302
    assert DuplicateFlag.objects.get(pk=flag.pk).status == "distinct"
    assert reverse("members:duplicate_resolve", args=[flag.pk]) not in body(
        c.get(reverse("members:duplicate_list"))
    )
    assert "ALPHAHOA" in body(c.get(reverse("members:duplicate_list"), {"status": "distinct"}))
    # An open redirect is not possible through next_url.
    flag2 = DuplicateFlag.objects.create(
        member=world.extra["duplicate_twin"], other=world.member_b, reason="name+dob"
    )
    response = c.post(
        reverse("members:duplicate_resolve", args=[flag2.pk]),
        {"status": "resolved", "next_url": "https://evil.example/"},
    )
    assert response["Location"] == reverse("members:duplicate_list")


def test_duplicate_across_scopes_names_nothing_outside(client_of, world):
    twin = admit(world.grass_b1, f"{MARKER_B}twin", family_name="Trần", middle_name="Văn")
    other = admit(world.grass_a1, f"{MARKER_B}twin", family_name="Trần", middle_name="Văn")
    assert DuplicateFlag.objects.filter(member=other, other=twin).exists()
    page = body(client_of("officer_b").get(reverse("members:duplicate_list")))
    # Issue 11: not where the other record is (units are not secret, where people are is).
    assert MARKER_A not in page and "ngoài phạm vi" in page
    assert reverse("members:member_detail", args=[other.pk]) not in page
    assert page.count(f"{MARKER_B}twin") == 1  # only B's own record is named


def test_later_registers_add_sections_to_the_member_page(client_of, world):
    from congdoan.members import selectors

    original = list(selectors.MEMBER_SECTIONS)
    try:
        selectors.register_member_section(
            selectors.MemberSection(
                key="awards",
                title="Khen thưởng",
                template="members/registry/sections/awards.html",
                context=lambda user, member: {"rows": [f"Bằng khen 2024 — {member.given_name}"]},
            )
        )
        text = body(
            client_of("officer_a").get(reverse("members:member_detail", args=[world.member_a.pk]))
        )
        assert f"Bằng khen 2024 — {MARKER_A}hoa" in text
        assert len(selectors.MEMBER_SECTIONS) == len(original)  # replaced, not added
    finally:
        selectors.MEMBER_SECTIONS[:] = original
    text = body(
        client_of("officer_a").get(reverse("members:member_detail", args=[world.member_a.pk]))
    )
    assert "Chưa ghi nhận khen thưởng nào của đoàn viên." in text
