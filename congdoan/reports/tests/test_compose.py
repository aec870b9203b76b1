"""compose(facts, options): the Document of reports shaped like the seed reports 001 (LĐLĐ thị
xã Sa Pa) and 003 (Cụm thi đua số 3), built by hand (no database)."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import pytest
from django.utils import translation

from congdoan.reports import sections
from congdoan.reports.compose import compose
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import ClusterFacts, Options, SectionFacts
from congdoan.reports.tests.report_facts import cluster_three, result, sa_pa

D = Decimal
SA_PA = Options(rounding="truncate", place="Sa Pa")


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def paragraphs(doc, key):
    return [b.text for s in doc.sections if s.key == key for b in s.blocks]


# --- Seed 001: LĐLĐ thị xã Sa Pa ---------------------------------------------------------


def test_the_header_of_an_issued_report():
    doc = compose(sa_pa(), SA_PA, draft=False)
    assert doc.header.issuer_parent == "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI"
    assert doc.header.issuer == "LIÊN ĐOÀN LAO ĐỘNG THỊ XÃ SA PA"
    assert doc.header.number == "Số: 34/BC-LĐLĐ"
    assert doc.header.place_date == "Sa Pa, ngày 05 tháng 02 năm 2024"
    assert doc.kind == "BÁO CÁO"
    assert not doc.draft


def test_a_draft_has_no_number_and_the_data_date():
    facts = dataclasses.replace(sa_pa(), issued_on=None)
    doc = compose(facts, SA_PA)
    assert doc.header.number == "Số:      /BC-LĐLĐ"
    assert doc.header.place_date == "Sa Pa, ngày 05 tháng 10 năm 2023"
    assert doc.draft


def test_the_title_names_both_periods():
    doc = compose(sa_pa(), SA_PA)
    assert doc.title == (
        "Kết quả thực hiện nhiệm vụ công tác công đoàn 9 tháng đầu năm 2023 và năm học 2022 - 2023"
    )
    assert doc.subtitle == "(Số liệu tính đến ngày 05/10/2023)"
    own = compose(dataclasses.replace(sa_pa(), title="Báo cáo sơ kết"), SA_PA)
    assert own.title == "Báo cáo sơ kết"


def test_the_body_states_the_seed_figures():
    text = compose(sa_pa(), SA_PA).text()
    for said in (
        "Trong 9 tháng đầu năm 2023, LĐLĐ thị xã có 4/4 chỉ tiêu đạt và vượt, trong đó 3 chỉ "
        "tiêu vượt.",
        "Kết nạp 546 đoàn viên mới, đạt 110% chỉ tiêu năm 2023, tăng 14% so với 9 tháng đầu năm "
        "2022; thành lập 3/3 CĐCS doanh nghiệp ngoài nhà nước, đạt 100% chỉ tiêu.",
        "Xây dựng mới 16/2 nhà Mái ấm Công đoàn, đạt 800% chỉ tiêu; kinh phí xây dựng nhà Mái "
        "ấm Công đoàn: 3,8 tỷ đồng, đạt 4.750% chỉ tiêu.",
        "616 sáng kiến tham gia chương trình, đạt 810% chỉ tiêu, xếp thứ nhất/15 đơn vị toàn tỉnh.",
    ):
        assert said in text


def test_rounding_follows_the_template():
    text = compose(sa_pa(), Options()).text()
    assert "616 sáng kiến tham gia chương trình, đạt 811% chỉ tiêu" in text


def test_the_parts_are_numbered_and_the_groups_under_each_period():
    doc = compose(sa_pa(), SA_PA)
    assert [s.key for s in doc.sections] == ["results", "assessment", "tasks"]
    assert [s.heading for s in doc.sections] == [
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
        "II. ĐÁNH GIÁ CHUNG",
        "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
    ]
    headings = [b.text for b in doc.sections[0].blocks if b.style != "body"]
    assert headings == [
        "1. Kết quả 9 tháng đầu năm 2023",
        "1.1. Phát triển đoàn viên, xây dựng tổ chức",
        "1.2. Chăm lo đời sống đoàn viên, người lao động",
        "2. Kết quả năm học 2022 - 2023",
        "2.1. Phong trào thi đua, sáng kiến, mô hình",
    ]


def test_the_assessment_says_what_is_not_approved():
    doc = compose(sa_pa(), SA_PA)
    said = paragraphs(doc, "assessment")
    assert said[0] == (
        "Trong 9 tháng đầu năm 2023, tất cả các chỉ tiêu được giao đều đạt và vượt. Số liệu của "
        "3/42 đơn vị chưa được duyệt. 2 đơn vị chưa gửi số liệu."
    )
    assert said[-1] == "Số liệu được tổng hợp lúc 09:30 ngày 05/10/2023."
    assert doc.footnote == (
        "Trong 9 tháng đầu năm 2023, số liệu của 3/42 đơn vị chưa được duyệt. 2 đơn vị chưa gửi "
        "số liệu."
    )


def test_results_not_approved_below_target_and_missing_are_said():
    facts = sa_pa()
    nine = facts.periods[0]
    changed = [
        dataclasses.replace(nine.results[0], value=D(400), approved=False, previous=None),
        dataclasses.replace(nine.results[1], value=None),
        *nine.results[2:],
    ]
    facts = dataclasses.replace(facts, periods=[dataclasses.replace(nine, results=changed)])
    doc = compose(facts, SA_PA)
    text = doc.text()
    assert (
        "Kết nạp 400 đoàn viên mới, đạt 80% chỉ tiêu năm 2023 (số liệu chưa duyệt); thành lập "
        "CĐCS doanh nghiệp ngoài nhà nước: chưa có số liệu (chỉ tiêu 3 đơn vị)."
    ) in text
    assert "có 2/4 chỉ tiêu đạt và vượt" in text  # the one without figures is not reached
    said = paragraphs(doc, "assessment")[0]
    assert said == (
        "Các chỉ tiêu chưa đạt: Kết nạp đoàn viên mới. Số liệu của 3/42 "
        "đơn vị chưa được duyệt. 2 đơn vị chưa gửi số liệu. Số liệu chưa duyệt: Kết nạp đoàn "
        "viên mới. Chưa có số liệu về Thành lập CĐCS doanh nghiệp ngoài nhà nước."
    )
    assert doc.footnote.endswith(
        "Số liệu chưa duyệt: Kết nạp đoàn viên mới. Chưa có số liệu về Thành lập CĐCS doanh "
        "nghiệp ngoài nhà nước."
    )


def test_all_approved_leaves_the_footnote_empty():
    facts = sa_pa()
    nine = dataclasses.replace(facts.periods[0], pending_units=0, missing_units=0)
    doc = compose(dataclasses.replace(facts, periods=[nine]), SA_PA)
    assert "Số liệu của cả 42 đơn vị trực thuộc đã được duyệt." in paragraphs(doc, "assessment")[0]
    assert doc.footnote == ""


def test_tasks_as_bullets_or_a_note_on_a_draft():
    doc = compose(sa_pa(), SA_PA)
    tasks = [b for s in doc.sections if s.key == "tasks" for b in s.blocks]
    assert [(b.text, b.style) for b in tasks] == [
        ("Tiếp tục đẩy mạnh phong trào thi đua “Lao động giỏi, Lao động sáng tạo”.", "bullet")
    ]
    none = dataclasses.replace(sa_pa(), tasks=[])
    assert paragraphs(compose(none, SA_PA), "tasks") == ["Chưa nhập nhiệm vụ cho thời gian tới."]
    assert "tasks" not in [s.key for s in compose(none, SA_PA, draft=False).sections]


def test_left_out_and_heading_overrides():
    options = dataclasses.replace(
        SA_PA, left_out=("assessment",), headings={"tasks": "PHƯƠNG HƯỚNG NHIỆM VỤ"}
    )
    doc = compose(sa_pa(), options)
    assert [s.heading for s in doc.sections] == [
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
        "II. PHƯƠNG HƯỚNG NHIỆM VỤ",
    ]


def test_the_annex_table_of_the_units_below():
    """The document's appendix holds the key (targeted) indicators; the workbook all of them,
    a table per catalogue group."""
    doc = compose(sa_pa(), SA_PA)
    (table,) = doc.annex
    assert table.title == (
        "Phụ lục 1. Kết quả thực hiện của các đơn vị trực thuộc, 9 tháng đầu năm 2023"
    )
    assert table.columns == ["Đơn vị", "Kết nạp đoàn viên mới (người)", "% chỉ tiêu"]
    assert table.rows == [
        ["CĐCS Trường Tiểu học Sa Pả", "300", "120%"],
        ["CĐCS Công ty Du lịch Sa Pa & Fansipan", "246", "100%"],
    ]
    assert table.values == [[None, D(300), D(120)], [None, D(246), D(100)]]
    assert table.total == ["Tổng cộng", "546", "110%"]
    assert table.numeric == [False, True, True]
    assert table.note == (
        "Số liệu chưa duyệt: CĐCS Công ty Du lịch Sa Pa & Fansipan (chưa gửi). –: chưa có số "
        "liệu. 1 đơn vị ngoài phạm vi quản lý không được liệt kê."
    )
    columns = [c for t in doc.workbook for c in t.columns]
    assert "Kinh phí xây dựng nhà Mái ấm Công đoàn (đồng)" in columns
    cells = [c for t in doc.workbook for row in t.rows for c in row]
    assert "2.481.650.000" in cells


def test_the_charts():
    main, units = compose(sa_pa(), SA_PA).charts
    assert main.title == "Các chỉ tiêu chính, 9 tháng đầu năm 2023"
    assert main.categories == [
        "Kết nạp đoàn viên mới",
        "Thành lập CĐCS doanh nghiệp ngoài nhà nước",
        "Xây dựng mới nhà Mái ấm Công đoàn",
    ]
    assert main.series == [("Thực hiện", [D(546), D(3), D(16)]), ("Chỉ tiêu", [D(496), D(3), D(2)])]
    assert units.title == "Kết nạp đoàn viên mới theo đơn vị, 9 tháng đầu năm 2023"
    assert units.series[0] == ("Thực hiện", [D(300), D(246)])
    assert units.unit == "người"


def test_the_news_item_tells_the_meeting_and_the_results():
    news = compose(sa_pa(), SA_PA).news
    assert news is not None
    assert news.title == (
        "BCH Liên đoàn Lao động thị xã Sa Pa tổ chức Hội nghị Ban chấp hành lần thứ II (mở "
        "rộng), khoá X, nhiệm kỳ 2023 – 2028"
    )
    opening, present, presented, nine, school, closing = news.paragraphs
    assert opening == (
        "Ngày 22/6/2023, BCH Liên đoàn Lao động thị xã Sa Pa tổ chức Hội nghị Ban chấp hành lần "
        "thứ II (mở rộng), khoá X, nhiệm kỳ 2023 – 2028."
    )
    assert present.startswith(
        "Tham dự Hội nghị có đồng chí Đặng Đình Chung – TUV, Chủ tịch LĐLĐ tỉnh Lào Cai; đồng chí "
        "Thào A Sinh – Phó Bí thư Thường trực Thị ủy."
    )
    assert "Đồng chí Thào A Sinh chủ trì Hội nghị." in present
    assert presented.startswith("Tại Hội nghị, đồng chí Má Thị Đa – Ủy viên BCH LĐLĐ tỉnh")
    assert nine.startswith(
        "Theo báo cáo, trong 9 tháng đầu năm 2023, LĐLĐ thị xã đã hoàn thành và hoàn thành vượt "
        "mức 4/4 chỉ tiêu: kết nạp 546 đoàn viên mới, đạt 110% chỉ tiêu năm 2023"
    )
    assert "xây dựng mới 16/2 nhà Mái ấm Công đoàn, đạt 800% chỉ tiêu" in nine
    assert "3,8 tỷ đồng, đạt 4.750% chỉ tiêu" in nine
    assert "xếp thứ nhất/15 đơn vị toàn tỉnh" in school
    assert closing.startswith("Phát biểu kết luận Hội nghị, đồng chí Thào A Sinh")


def test_the_news_item_without_a_meeting():
    news = compose(dataclasses.replace(sa_pa(), meeting=None), SA_PA).news
    assert news is not None
    assert news.title == (
        "Liên đoàn Lao động thị xã Sa Pa: kết quả hoạt động công đoàn 9 tháng đầu năm 2023 và "
        "năm học 2022 - 2023"
    )
    assert news.paragraphs[0].startswith("Theo báo cáo, trong 9 tháng đầu năm 2023, LĐLĐ thị xã")


def test_the_rank_in_a_cluster():
    cluster = ClusterFacts(
        name="Cụm thi đua số 12",
        head="LĐLĐ thị xã Sa Pa",
        units=["LĐLĐ thị xã Sa Pa", "LĐLĐ huyện Bát Xát", "LĐLĐ huyện Bảo Thắng"],
        period_label="9 tháng đầu năm 2023",
        results=[result("phat_trien_dv", "Kết nạp đoàn viên mới", 1200)],
        subject_rank=3,
        rank_of=3,
    )
    doc = compose(dataclasses.replace(sa_pa(), clusters=[cluster]), SA_PA)
    told = paragraphs(doc, "results")
    assert "3. Cụm thi đua số 12" in told
    assert (
        "Cụm thi đua số 12 gồm LĐLĐ thị xã Sa Pa, LĐLĐ huyện Bát Xát và LĐLĐ huyện Bảo Thắng; "
        "cụm trưởng: LĐLĐ thị xã Sa Pa. Kết quả toàn cụm trong 9 tháng đầu năm 2023: kết nạp "
        "1.200 đoàn viên mới. LĐLĐ thị xã xếp thứ 3 trong Cụm thi đua số 12."
    ) in told


# --- Seed 003: Cụm thi đua số 3 ------------------------------------------------------------


def test_a_cluster_report_states_the_cluster_totals():
    doc = compose(cluster_three(), Options())
    assert doc.title == (
        "Kết quả thực hiện nhiệm vụ công tác công đoàn 6 tháng đầu năm 2022 của Cụm thi đua số 3"
    )
    text = doc.text()
    for said in (
        "Vận động đóng góp các quỹ hơn 3,5 tỷ đồng; 5.210 suất quà thăm hỏi, hỗ trợ đoàn viên, "
        "người lao động; 16 nhà cho hộ gia đình chính sách, khó khăn.",
        "644 sáng kiến tham gia chương trình.",
        "Kết nạp 1.946 đoàn viên mới; thành lập 16 công đoàn cơ sở mới.",
        "225 đoàn viên ưu tú giới thiệu cho Đảng xem xét kết nạp; 116 đoàn viên được kết nạp Đảng.",
        "Cụm thi đua số 3 gồm Công đoàn Viên chức tỉnh, Công đoàn Giáo dục tỉnh, Công đoàn Y tế "
        "tỉnh và Công đoàn các Khu kinh tế tỉnh; cụm trưởng: Công đoàn Viên chức tỉnh.",
    ):
        assert said in text
    assert "chỉ tiêu đạt và vượt" not in text  # no targets: no summary of them
    assert "Kết quả toàn cụm" not in text  # the totals are the report's own: said once
    assert doc.annex == [] and doc.charts == []


def test_the_news_item_of_the_cluster_conference():
    news = compose(cluster_three(), Options()).news
    assert news is not None
    assert news.title == (
        "Cụm thi đua số 3 (Công đoàn ngành) tổ chức Hội nghị sơ kết 6 tháng đầu năm 2022"
    )
    assert news.paragraphs[0] == (
        "Ngày 19/7/2022, tại Hội trường cơ quan LĐLĐ tỉnh, Cụm thi đua số 3 (Công đoàn ngành) "
        "tổ chức Hội nghị sơ kết 6 tháng đầu năm 2022."
    )
    assert news.paragraphs[1] == (
        "Tham dự Hội nghị có đồng chí Lê Từ Bình – Phó Chủ tịch LĐLĐ tỉnh. Hội nghị có 35 đại "
        "biểu tham dự."
    )
    told = news.paragraphs[3]
    assert told.startswith(
        "Theo báo cáo, trong 6 tháng đầu năm 2022, các đơn vị trong Cụm thi đua số 3 đã đạt được "
        "các kết quả: vận động đóng góp các quỹ hơn 3,5 tỷ đồng; 5.210 suất quà"
    )
    assert "16 nhà cho hộ gia đình chính sách, khó khăn" in told
    assert news.paragraphs[-1] == "Tại Hội nghị, các đơn vị trong cụm ký giao ước thi đua năm 2022."


# --- Registered sections -------------------------------------------------------------------


def _writer(title):
    def write(data, options):
        return Section("", title, [Paragraph(f"{title}: {data}")])

    return write


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(sections, "_REGISTRY", {})
    sections.register("care", label="Care", order=300, collect=lambda c: None,
                      write=_writer("Công tác chăm lo"))  # fmt: skip
    sections.register("initiatives", label="Initiatives", order=200, collect=lambda c: None,
                      write=_writer("Sáng kiến"))  # fmt: skip


def test_registered_sections_in_their_order(registered):
    given = [SectionFacts("care", "12 suất"), SectionFacts("initiatives", 5),
             SectionFacts("gone", 1)]  # fmt: skip
    doc = compose(dataclasses.replace(sa_pa(), sections=given), SA_PA)
    assert [(s.key, s.heading) for s in doc.sections] == [
        ("results", "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
        ("initiatives", "3. Sáng kiến"),
        ("care", "4. Công tác chăm lo"),
        ("assessment", "II. ĐÁNH GIÁ CHUNG"),
        ("tasks", "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"),
    ]
    assert "Công tác chăm lo: 12 suất" in doc.text()


def test_registered_sections_left_out_or_renamed(registered):
    given = [SectionFacts("care", "12 suất"), SectionFacts("initiatives", 5)]
    options = dataclasses.replace(
        SA_PA, left_out=("initiatives",), headings={"care": "Chăm lo đời sống đoàn viên"}
    )
    doc = compose(dataclasses.replace(sa_pa(), sections=given), options)
    assert [(s.key, s.heading) for s in doc.sections][1] == (
        "care",
        "3. Chăm lo đời sống đoàn viên",
    )
    assert "initiatives" not in [s.key for s in doc.sections]


# --- Determinism and language --------------------------------------------------------------


def test_the_same_facts_give_the_same_document():
    assert compose(sa_pa(), SA_PA) == compose(copy.deepcopy(sa_pa()), SA_PA)
    assert compose(cluster_three(), Options()) == compose(cluster_three(), Options())


def test_the_document_follows_the_template_language():
    doc = compose(sa_pa(), dataclasses.replace(SA_PA, language="en"), draft=False)
    assert doc.language == "en"
    assert doc.kind == "REPORT"
    assert doc.header.number == "No.: 34/BC-LĐLĐ"
    assert doc.header.place_date == "Sa Pa, ngày 05 tháng 02 năm 2024"  # dates stay Vietnamese
    assert doc.sections[0].heading == "I. RESULTS ACHIEVED"
    assert "Kết nạp đoàn viên mới: 546 people, 110% of the năm 2023 target" in doc.text()
    assert translation.get_language() == "vi"  # the caller's language is left as it was
