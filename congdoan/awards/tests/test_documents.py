"""The documents of an award decision: the DOCX decision and the certificates PDF, read back."""

import datetime as dt
import io
import unicodedata

import docx
import pypdf
import pytest

from congdoan.awards import documents, services
from congdoan.awards.documents import DecisionData, FormGroup, Recipient
from congdoan.awards.models import Award
from congdoan.awards.tests.helpers import DAY, decision, form
from congdoan.core.pdf import html_to_pdf
from congdoan.organisation.divisions import province_name
from congdoan.organisation.models import Unit
from congdoan.reports.render.docx import render_docx

LAI_CHAU = 12
BODY = "Công ty TNHH A&B <Việt Nam>"
PERSON = "Bà Lê Thị Hồng Nhung & <Cộng sự>"


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def issued(world):
    """A province's decision: a flag to a unit, a certificate of merit to two units, an outside
    body, two members and an outside person (added in a mixed order)."""
    Unit.objects.filter(pk=world.province.pk).update(province_code=LAI_CHAU)
    world.member_a.__class__.objects.filter(pk=world.member_a.pk).update(job_title="Giáo viên")
    d = decision(world.province, number="12/QĐ-LĐLĐ", signer="Trần Đức Lương")
    merit, flag = form("tinh_bang_khen"), form("tinh_co")

    def add(f, **kw):
        return services.award_add(actor=None, decision=d, form=f, **kw)

    awards = [
        add(merit, member=world.member_a, achievement="Xuất sắc trong công tác nữ công"),
        add(merit, unit=world.grass_a1),
        add(merit, outside_name=PERSON, outside_kind="person"),
        add(merit, outside_name=BODY, outside_kind="body"),
        add(flag, unit=world.unit_b),
        add(merit, member=world.member_b),
        add(merit, unit=world.unit_a),
    ]
    return d, awards


def expected_order(world):
    """The annex order: forms in catalogue order, collectives first, then as added."""
    flag = [world.unit_b.name]
    merit = [world.grass_a1.name, BODY, world.unit_a.name]
    merit += [world.member_a.full_name, PERSON, world.member_b.full_name]
    return flag, merit


def docx_of(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_text(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def annex_tables(d):
    """The bordered tables with an "STT" header (the header and signature tables have none)."""
    return [t for t in d.tables if t.rows[0].cells[0].text == "STT"]


# ---------------------------------------------------------------------------------------------
# Data


def test_decision_data_groups_in_catalogue_order(world, issued):
    d, _ = issued
    data = documents.decision_data(d)
    flag, merit = expected_order(world)
    assert [g.code for g in data.groups] == ["tinh_co", "tinh_bang_khen"]
    assert [r.name for r in data.groups[0].recipients] == flag
    assert [r.name for r in data.groups[1].recipients] == merit
    assert data.issuer_parent == world.root.name
    assert data.place == province_name(LAI_CHAU) != ""
    assert data.authority == f"Ban Thường vụ {world.province.name}"
    member = next(r for r in data.groups[1].recipients if r.name == world.member_a.full_name)
    assert member.unit_text == f"Giáo viên, {world.grass_a1.name}"
    unit = next(r for r in data.groups[1].recipients if r.name == world.grass_a1.name)
    assert unit.unit_text == world.unit_a.name and unit.collective


def test_decision_data_reads_in_a_fixed_number_of_queries(world, issued, django_assert_num_queries):
    d, _ = issued
    with django_assert_num_queries(2):  # the decision, the awards (the issuer has a province)
        small = documents.decision_data(d)
    for i in range(10):
        services.award_add(
            actor=None,
            decision=d,
            form=form("tinh_bang_khen"),
            outside_name=f"Ông Phạm Văn Số {i}",
            outside_kind="person",
        )
    with django_assert_num_queries(2):
        large = documents.decision_data(d)
    assert len(large.recipients) == len(small.recipients) + 10


def test_tallies_equal_a_direct_count(issued):
    d, _ = issued
    data = documents.decision_data(d)
    text = "\n".join(body_text(docx_of(documents.decision_docx(d))))
    for group in data.groups:
        awards = Award.objects.filter(decision=d, form__code=group.code)
        collective = awards.filter(unit__isnull=False).count()
        collective += awards.filter(outside_kind="body").count()
        individual = awards.count() - collective
        assert (group.collective, group.individual) == (collective, individual)
        assert f"Tặng {group.name}: {documents.tally(collective, individual)}" in text
    assert "Khen thưởng 4 tập thể, 3 cá nhân có tên trong danh sách kèm theo" in text


# ---------------------------------------------------------------------------------------------
# DOCX


def test_decision_docx_reads_back(world, issued):
    d, _ = issued
    read = docx_of(documents.decision_docx(d, signer_title="Phó Chủ tịch"))
    paragraphs = body_text(read)
    assert paragraphs.count("QUYẾT ĐỊNH") == 1 and "QUYẾT ĐỊNH:" in paragraphs
    title = next(p for p in paragraphs if p.startswith("Về việc khen thưởng"))
    assert title.endswith("phong trào thi đua và hoạt động công đoàn năm 2025")
    assert f"BAN THƯỜNG VỤ {world.province.name.upper()}" in paragraphs
    assert "Căn cứ Quy chế khen thưởng của tổ chức Công đoàn (2024);" in paragraphs
    header = "\n".join(c.text for row in read.tables[0].rows for c in row.cells)
    assert "Số: 12/QĐ-LĐLĐ" in header
    assert "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM" in header
    assert f"{province_name(LAI_CHAU)}, ngày 15 tháng 01 năm 2025" in header
    signature = "\n".join(c.text for t in read.tables for row in t.rows for c in row.cells)
    assert "PHÓ CHỦ TỊCH" in signature and "Trần Đức Lương" in signature
    assert "- Như Điều 3;" in signature
    assert any(p.startswith("DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN") for p in paragraphs)
    tables = annex_tables(read)
    flag, merit = expected_order(world)
    for table, names in zip(tables, (flag, merit), strict=True):
        rows = table.rows[1:]
        assert [r.cells[0].text for r in rows] == [str(i) for i in range(1, len(names) + 1)]
        assert [r.cells[1].text for r in rows] == names
    assert [c.text for c in tables[1].rows[0].cells][-1] == "Thành tích"
    assert tables[1].rows[4].cells[3].text == "Xuất sắc trong công tác nữ công"
    assert len(tables[0].rows[0].cells) == 3  # no achievement in the flag's list


def test_outside_issuer_decision_renders(world):
    d = services.decision_create(
        actor=None,
        issuer_name="UBND tỉnh Lai Châu",
        recorded_by_unit=world.unit_a,
        number="7",
        signed_on=DAY,
    )
    services.award_add(actor=None, decision=d, form=form("ubnd_bang_khen"), unit=world.grass_a1)
    data = documents.decision_data(d)
    assert data.number == "07/QĐ" and data.place == "" and data.issuer_parent == ""
    read = docx_of(documents.decision_docx(d))
    assert "Ngày 15 tháng 01 năm 2025" in read.tables[0].rows[1].cells[1].text
    assert annex_tables(read)[0].rows[1].cells[1].text == world.grass_a1.name


def test_grassroots_issuer_decides_as_its_executive_committee(world, django_assert_num_queries):
    Unit.objects.filter(pk=world.province.pk).update(province_code=LAI_CHAU)
    d = decision(world.grass_a1, number="3/QĐ-CĐCS")
    services.award_add(actor=None, decision=d, form=form("cs_giay_khen"), member=world.member_a)
    with django_assert_num_queries(3):  # the province comes from an ancestor
        data = documents.decision_data(d)
    assert data.number == "03/QĐ-CĐCS" and data.place == province_name(LAI_CHAU)
    assert data.authority == f"Ban Chấp hành {world.grass_a1.name}"
    assert data.on_behalf == "TM. Ban Chấp hành"
    page = documents.certificates(data)[0]
    assert page.word == "GIẤY KHEN" and page.on_behalf == "TM. BAN CHẤP HÀNH"
    assert page.issuer == world.grass_a1.name.upper()


# ---------------------------------------------------------------------------------------------
# Pure: a hand-made DecisionData, no database


def hand_made() -> DecisionData:
    def person(pk, name, achievement=""):
        return Recipient(pk, name, "member", False, "Công nhân", achievement, "", 2024)

    def body(pk, name):
        return Recipient(pk, name, "unit", True, "LĐLĐ huyện Tam Đường", "", "", 2024)

    merit = FormGroup(
        "tinh_bang_khen",
        "Bằng khen của Liên đoàn Lao động tỉnh",
        "certificate_of_merit",
        (body(1, "CĐCS Trường Tiểu học Bình Lư"), body(2, BODY), person(3, "Đỗ Thị Ánh")),
    )
    giay = FormGroup(
        "tren_cs_giay_khen",
        "Giấy khen của Công đoàn cấp trên",
        "certificate",
        (person(4, "Vũ Văn Hùng", "Hoàn thành xuất sắc nhiệm vụ"),),
    )
    return DecisionData(
        issuer="Liên đoàn Lao động tỉnh Lai Châu",
        issuer_short="LĐLĐ tỉnh Lai Châu",
        issuer_parent="Tổng Liên đoàn Lao động Việt Nam",
        authority="Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu",
        number="05/QĐ-LĐLĐ",
        signed_on=dt.date(2024, 2, 5),
        place="Lai Châu",
        on_behalf="TM. Ban Thường vụ",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn A",
        regulation="Quy chế khen thưởng của tổ chức Công đoàn (2024)",
        proposed_by="Hội đồng Thi đua - Khen thưởng LĐLĐ tỉnh Lai Châu",
        subject="phong trào thi đua năm 2023",
        groups=(merit, giay),
    )


def test_decision_document_is_pure():
    data = hand_made()
    doc = documents.decision_document(data)
    assert doc.header.number == "Số: 05/QĐ-LĐLĐ"
    assert doc.header.issuer == "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU"
    assert doc.header.place_date == "Lai Châu, ngày 05 tháng 02 năm 2024"
    assert doc.kind == "QUYẾT ĐỊNH" and not doc.draft and doc.language == "vi"
    text = doc.text()
    assert "Khen thưởng 2 tập thể, 2 cá nhân có tên trong danh sách kèm theo" in text
    assert "Tặng Bằng khen của Liên đoàn Lao động tỉnh: 2 tập thể, 1 cá nhân;" in text
    assert "Tặng Giấy khen của Công đoàn cấp trên: 1 cá nhân." in text
    assert [t.rows for t in doc.annex] == [
        [
            ["1", "CĐCS Trường Tiểu học Bình Lư", "LĐLĐ huyện Tam Đường"],
            ["2", BODY, "LĐLĐ huyện Tam Đường"],
            ["3", "Đỗ Thị Ánh", "Công nhân"],
        ],
        [["1", "Vũ Văn Hùng", "Công nhân", "Hoàn thành xuất sắc nhiệm vụ"]],
    ]
    assert doc.annex[0].title == "I. BẰNG KHEN CỦA LIÊN ĐOÀN LAO ĐỘNG TỈNH (2 tập thể, 1 cá nhân)"
    assert doc.annex[1].columns[-1] == "Thành tích"
    read = docx_of(render_docx(doc))  # rendering needs no database either
    names = [r.cells[1].text for t in annex_tables(read) for r in t.rows[1:]]
    assert names == ["CĐCS Trường Tiểu học Bình Lư", BODY, "Đỗ Thị Ánh", "Vũ Văn Hùng"]
    assert "(Kèm theo Quyết định số 05/QĐ-LĐLĐ ngày 05/02/2024 của Ban Thường vụ" in "\n".join(
        body_text(read)
    )


def test_single_form_article_names_the_form():
    data = hand_made()
    one = DecisionData(**{**data.__dict__, "groups": data.groups[:1]})
    text = documents.decision_document(one).text()
    assert (
        "Điều 1. Tặng Bằng khen của Liên đoàn Lao động tỉnh cho 2 tập thể, 1 cá nhân có tên "
        "trong danh sách kèm theo, đã có thành tích xuất sắc trong phong trào thi đua năm 2023."
    ) in text


def test_certificates_are_pure_and_escaped():
    pages = documents.certificates(hand_made())
    assert [p.word for p in pages] == ["BẰNG KHEN"] * 3 + ["GIẤY KHEN"]
    assert pages[0].achievement == "Đã có thành tích xuất sắc trong phong trào thi đua năm 2023"
    assert pages[3].achievement == "Đã có thành tích hoàn thành xuất sắc nhiệm vụ"
    assert pages[3].decision_line == "Số QĐ: 05/QĐ-LĐLĐ, ngày 05/02/2024"
    html = documents.certificates_html(pages)
    assert "Công ty TNHH A&amp;B &lt;Việt Nam&gt;" in html
    assert BODY not in html and "<Việt Nam>" not in html
    assert "<script" not in html


# ---------------------------------------------------------------------------------------------
# PDF


def test_certificates_pdf_reads_back(world, issued):
    d, _ = issued
    given = list(d.awards.all())  # the model's order: flag first, then as added
    pdf = pypdf.PdfReader(io.BytesIO(documents.certificates_pdf(given)))
    assert len(pdf.pages) == len(given) == 7
    page = pdf.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    texts = [_nfc(p.extract_text()) for p in pdf.pages]
    for award, text in zip(given, texts, strict=True):
        assert _nfc(award.recipient_label) in text, text
        assert "TẶNG" in text and "Số QĐ: 12/QĐ-LĐLĐ, ngày 15/01/2025" in text
        assert "Trần Đức Lương" in text and "TM. BAN THƯỜNG VỤ" in text
        assert ("CỜ THI ĐUA" if award.form.kind == "flag" else "BẰNG KHEN") in text
    assert sum(BODY in t for t in texts) == 1 and sum(PERSON in t for t in texts) == 1
    nu_cong = texts[given.index(next(a for a in given if a.member_id == world.member_a.pk))]
    assert "Đã có thành tích xuất sắc trong công tác nữ công" in nu_cong
    assert f"Giáo viên, {world.grass_a1.name}" in nu_cong


def test_certificates_pdf_of_some_awards_in_the_order_given(world, issued):
    _, awards = issued
    chosen = [awards[5], awards[3]]  # member B, then the outside body
    pdf = pypdf.PdfReader(io.BytesIO(documents.certificates_pdf(chosen)))
    texts = [_nfc(p.extract_text()) for p in pdf.pages]
    assert len(texts) == 2
    assert world.member_b.full_name in texts[0] and BODY in texts[1]
    # The subject is the whole decision's, not the subset's.
    assert "phong trào thi đua và hoạt động công đoàn năm 2025" in texts[0]


def test_long_texts_keep_one_page_per_certificate():
    data = hand_made()
    long = Recipient(9, "Nguyễn Thị Phương Thảo " * 6, "member", False, "Kế toán " * 20, "", "", 0)
    merit = data.groups[0]
    grown = FormGroup(merit.code, merit.name, merit.kind, (*merit.recipients, long))
    data = DecisionData(**{**data.__dict__, "groups": (grown, *data.groups[1:])})
    data = DecisionData(**{**data.__dict__, "subject": "phong trào thi đua " * 60})
    pages = documents.certificates(data)
    html = documents.certificates_html(pages)
    pdf = pypdf.PdfReader(
        io.BytesIO(html_to_pdf(html, landscape=True, extra_css=documents.certificates_css()))
    )
    assert len(pdf.pages) == len(pages) == 5
    assert "Đỗ Thị Ánh" in _nfc(pdf.pages[2].extract_text())
