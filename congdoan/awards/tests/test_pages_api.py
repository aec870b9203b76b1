"""The awards pages and API: a unit's officer nominates with a dossier, submits; the issuer's
council approves and makes the decision; the decision's documents download; other provinces see
nothing of it."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from congdoan.awards.models import Award, Decision, Nomination, NominationStatus
from congdoan.awards.tests.helpers import form
from congdoan.core.tests.support import MARKER_A

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def nominate_page(client, w, **extra):
    data = {
        "proposing_unit": w.grass_a1.code,
        "issuer_unit": w.unit_a.pk,
        "form": form("tren_cs_giay_khen").pk,
        "recipient_kind": "member",
        "card_number": w.member_a.card_number,
        "year": 2025,
        "achievement": "Hoàn thành xuất sắc nhiệm vụ",
        "dossier": SimpleUploadedFile("ho-so.pdf", PDF, content_type="application/pdf"),
    }
    data.update(extra)
    return client.post(reverse("awards:nomination_create"), data)


def test_nominate_review_decide_and_download(world, client_of):
    a = client_of("officer_a")
    response = nominate_page(a, world)
    assert response.status_code == 302, response.content.decode()[:3000]
    n = Nomination.objects.get()
    assert n.dossier and n.status == NominationStatus.DRAFT
    assert a.get(reverse("awards:nomination_dossier", args=[n.pk])).status_code == 200
    assert a.post(reverse("awards:nomination_submit", args=[n.pk])).status_code == 302
    council = reverse("awards:council", args=[world.unit_a.pk])
    page = a.get(council).content.decode()
    assert "Chờ Hội đồng xét (1)" in page and world.member_a.full_name in page
    review = reverse("awards:nomination_review", args=[n.pk])
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert a.post(review, {"approve": "1", "council_on": today}).status_code == 302
    response = a.post(
        council,
        {"number": "25/QĐ-LĐLĐ", "signed_on": today, "signer": "Lê Văn Ký",
         "nominations": [n.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = Decision.objects.get()
    assert decision.awards.get().member == world.member_a
    page = a.get(reverse("awards:decision_detail", args=[decision.pk])).content.decode()
    assert "1 tập thể" not in page and "0 tập thể, 1 cá nhân" in page
    doc = a.get(reverse("awards:decision_docx", args=[decision.pk]))
    assert doc["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(doc.content)).paragraphs)
    assert "25/QĐ-LĐLĐ" in text
    pdf = a.get(reverse("awards:decision_certificates", args=[decision.pk]))
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) == 1 and "Hoa" in pages[0].extract_text().replace("ALPHAhoa", "Hoa")
    # The member's page lists the award.
    member_page = a.get(reverse("members:member_detail", args=[world.member_a.pk]))
    assert "25/QĐ-LĐLĐ" in member_page.content.decode()


def test_a_refused_nomination_shows_the_rule_and_writes_nothing(world, client_of):
    response = nominate_page(
        client_of("officer_a"), world, issuer_unit=world.root.pk, form=form("kyniemchuong").pk
    )
    assert response.status_code == 200
    assert "10 năm" in response.content.decode() and not Nomination.objects.exists()


def test_another_province_sees_nothing(world, client_of):
    nominate_page(client_of("officer_a"), world)
    n = Nomination.objects.get()
    b = client_of("officer_b")
    for name in ("awards:nomination_detail", "awards:nomination_dossier"):
        assert b.get(reverse(name, args=[n.pk])).status_code == 404
    assert b.get(reverse("awards:council", args=[world.unit_a.pk])).status_code == 404
    listing = b.get(reverse("awards:nomination_list")).content.decode()
    assert MARKER_A not in listing


def test_add_a_recipient_outside_the_union_on_the_decision_page(world, client_of):
    a = client_of("officer_a")
    response = a.post(
        reverse("awards:decision_create"),
        {"issuer_unit": world.unit_a.code, "number": "3/QĐ", "signed_on": "10/01/2025"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = Decision.objects.get()
    url = reverse("awards:award_add", args=[decision.pk])
    name = "Công ty TNHH A&B <Việt Nam>"
    response = a.post(
        url,
        {"form": form("tren_cs_giay_khen").pk, "recipient_kind": "outside_body",
         "outside_name": name, "year": 2024},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    page = a.get(reverse("awards:decision_detail", args=[decision.pk])).content.decode()
    assert "Công ty TNHH A&amp;B &lt;Việt Nam&gt;" in page
    # A member outside the scope is "not found", like one that does not exist.
    response = a.post(
        url,
        {"form": form("tren_cs_giay_khen").pk, "recipient_kind": "member",
         "card_number": world.member_b.card_number, "year": 2024},
    )  # fmt: skip
    assert "Không tìm thấy đoàn viên có số thẻ này" in response.content.decode()
    assert Award.objects.count() == 1


def test_api_nominate_review_and_decide(world, client_of):
    a = client_of("officer_a")
    body = {
        "proposing_unit": world.grass_a1.code,
        "issuer_unit": world.unit_a.code,
        "form": form("tren_cs_giay_khen").pk,
        "year": 2025,
        "member": world.member_a.card_number,
    }
    created = a.post("/api/v1/award-nominations/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert a.post(f"/api/v1/award-nominations/{pk}/submit/").status_code == 200
    reviewed = a.post(
        f"/api/v1/award-nominations/{pk}/review/",
        {"approve": True, "council_on": "2099-01-01"},
        content_type="application/json",
    )
    assert reviewed.json()["status"] == "approved"
    decided = a.post(
        "/api/v1/award-decisions/from-nominations/",
        {"issuer_unit": world.unit_a.code, "nominations": [pk], "number": "9/QĐ",
         "signed_on": "2099-01-02"},
        content_type="application/json",
    )  # fmt: skip
    assert decided.status_code == 201, decided.json()
    assert client_of("officer_b").get(f"/api/v1/award-nominations/{pk}/").status_code == 404
    refused = a.post(
        "/api/v1/award-nominations/",
        {**body, "member": world.member_b.card_number},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["field"] == "member"
    assert MARKER_A not in client_of("officer_b").get("/api/v1/awards/").content.decode()


def test_unit_page_lists_the_awards_it_received(world, client_of):
    from congdoan.awards import services

    d = services.decision_create(
        actor=None, issuer_unit=world.province, number="120/QĐ-LĐLĐ", signed_on=timezone.localdate()
    )
    services.award_add(actor=None, decision=d, form=form("tinh_co"), unit=world.grass_a1)
    page = client_of("officer_a").get(reverse("organisation:unit_detail", args=[world.grass_a1.pk]))
    text = page.content.decode()
    assert "Khen thưởng đã nhận" in text and "120/QĐ-LĐLĐ" in text
    # The province's decision is named, not linked, for an officer of a district.
    assert reverse("awards:decision_detail", args=[d.pk]) not in text
    national = client_of("national").get(
        reverse("organisation:unit_detail", args=[world.grass_a1.pk])
    )
    assert reverse("awards:decision_detail", args=[d.pk]) in national.content.decode()


def test_tallies_by_year_and_issuer(world, client_of):
    from congdoan.awards import services

    province = services.decision_create(
        actor=None, issuer_unit=world.province, number="1/QĐ", signed_on=timezone.localdate()
    )
    services.award_add(actor=None, decision=province, form=form("tinh_co"), unit=world.grass_a1)
    outside = services.decision_create(
        actor=None, issuer_name="UBND tỉnh & <Thử>", recorded_by_unit=world.unit_a,
        number="2/QĐ-UBND", signed_on=timezone.localdate(),
    )  # fmt: skip
    services.award_add(actor=None, decision=outside, form=form("ubnd_bang_khen"),
                       member=world.member_a)  # fmt: skip
    a = client_of("officer_a")
    year = timezone.localdate().year
    page = a.get(reverse("awards:tallies"), {"year": year}).content.decode()
    assert "CĐCS ALPHA Một" in page and "UBND tỉnh &amp; &lt;Thử&gt;" in page
    only = a.get(reverse("awards:tallies"), {"year": year, "issuer": "o:UBND tỉnh & <Thử>"})
    text = only.content.decode()
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in text
    assert "Cờ thi đua của Liên đoàn" not in text.split("<tbody>")[1]
    b = client_of("officer_b").get(reverse("awards:tallies"), {"year": year}).content.decode()
    assert MARKER_A not in b and "UBND tỉnh &amp;" not in b
