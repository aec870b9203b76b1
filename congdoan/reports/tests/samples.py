"""A sample report `Document` for the renderers' tests, in the words of the seed reports.

Its text holds what must survive every format: "&", "<b>", curly and straight quotes and every
Vietnamese diacritic; its annex has 40 units below and a total row; one chart is in the body,
another only in `Document.charts`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from congdoan.reports.document import (
    Chart,
    Document,
    Header,
    NewsItem,
    Paragraph,
    Section,
    Signature,
    Table,
)

TRICKY_UNIT = 'Công đoàn Công ty TNHH Xây dựng & Thương mại <b>Hòa Bình</b> "ABC"'
MONEY = "2.481.650.000"
ADMISSIONS = "kết nạp 546 đoàn viên, đạt 110% chỉ tiêu"
QUOTED = "“Mái ấm Công đoàn”"
ANNEX_ROWS = 40
ANNEX_COLUMNS = [
    "Đơn vị",
    "Đoàn viên",
    "Kết nạp",
    "Chỉ tiêu kết nạp",
    "% chỉ tiêu",
    "CĐCS mới",
    "Chăm lo (đồng)",
    "Sáng kiến",
]


def vi_number(value: int | Decimal) -> str:
    return f"{value:,}".replace(",", ".")


def _annex_row(i: int) -> tuple[list[str], list[Decimal | None]]:
    name = TRICKY_UNIT if i == 0 else f"Công đoàn cơ sở Trường THCS số {i + 1} – Phường Sa Pa"
    members, admitted, target = 120 + 7 * i, 10 + i, 10
    money = 1_000_000 * (i + 1) + 250_000
    values: list[Decimal | None] = [
        None,
        Decimal(members),
        Decimal(admitted),
        Decimal(target),
        Decimal(admitted * 100) / Decimal(target),
        Decimal(i % 3),
        Decimal(money),
        Decimal(2 * i + 1),
    ]
    text = [name, vi_number(members), vi_number(admitted), vi_number(target)]
    percent = (values[4] or Decimal(0)).quantize(Decimal("0.1"))
    text += [str(percent).replace(".", ","), str(i % 3), vi_number(money), str(2 * i + 1)]
    return text, values


def annex_table() -> Table:
    rows, values = zip(*(_annex_row(i) for i in range(ANNEX_ROWS)), strict=True)
    members = sum(v[1] or 0 for v in values)
    money = sum(v[6] or 0 for v in values)
    total = ["Tổng cộng", vi_number(members), "1.180", "400", "295,0", "39", MONEY, "1.600"]
    return Table(
        title="Phụ lục 1. Kết quả thực hiện chỉ tiêu của các công đoàn cơ sở trực thuộc",
        columns=ANNEX_COLUMNS,
        rows=[list(r) for r in rows],
        numeric=[False] + [True] * 7,
        total=total,
        note="Số liệu chưa duyệt: 3 đơn vị. Tổng chăm lo " + vi_number(money) + " đồng.",
        values=[list(v) for v in values],
    )


def results_table() -> Table:
    return Table(
        title="Bảng 1. Kết quả thực hiện các chỉ tiêu",
        columns=["Chỉ tiêu", "Chỉ tiêu giao", "Thực hiện", "Tỷ lệ"],
        rows=[
            ["Kết nạp đoàn viên (người)", "496", "546", "110%"],
            ["Thành lập CĐCS (đơn vị)", "2", "3", "150%"],
            ["Xây dựng Mái ấm Công đoàn (căn nhà)", "2", "16", "800%"],
        ],
        numeric=[False, True, True, True],
        values=[
            [None, Decimal(496), Decimal(546), Decimal(110)],
            [None, Decimal(2), Decimal(3), Decimal(150)],
            [None, Decimal(2), Decimal(16), Decimal(800)],
        ],
    )


def body_chart() -> Chart:
    return Chart(
        title="Kết nạp đoàn viên theo quý",
        categories=["Quý I", "Quý II", "Quý III"],
        series=[
            ("Chỉ tiêu", [Decimal(160), Decimal(170), Decimal(166)]),
            ("Thực hiện", [Decimal(150), Decimal(210), None]),
        ],
        unit="người",
    )


def care_chart() -> Chart:
    return Chart(
        title="Kinh phí chăm lo & hỗ trợ <đoàn viên>",
        categories=["LĐLĐ thị xã Sa Pa", "LĐLĐ huyện Bát Xát", "CĐ Giáo dục"],
        series=[("Chăm lo", [Decimal(2_481_650_000), Decimal(950_000_000), Decimal(12_500_000)])],
        unit="đồng",
    )


def _sections() -> list[Section]:
    results = [
        Paragraph("Công tác phát triển đoàn viên", "heading2"),
        Paragraph(
            f"Trong 9 tháng đầu năm 2023, LĐLĐ thị xã đã {ADMISSIONS}, thành lập 3 CĐCS doanh "
            "nghiệp ngoài nhà nước; xếp thứ nhất/15 đơn vị trong toàn tỉnh."
        ),
        Paragraph(f"Chăm lo cho đoàn viên với tổng kinh phí {MONEY} đồng.", "bullet"),
        Paragraph(f"Xây dựng mới 16/2 nhà {QUOTED}, đạt 800% chỉ tiêu.", "bullet"),
        Paragraph(f"Tuyên dương {TRICKY_UNIT} & các tập thể tiêu biểu.", "bullet"),
        results_table(),
        body_chart(),
        Paragraph("Số liệu của 3 đơn vị chưa được duyệt.", "note"),
    ]
    tasks = [
        Paragraph("Nhiệm vụ trọng tâm", "heading2"),
        Paragraph("Tiếp tục đẩy mạnh phong trào thi đua “Lao động giỏi, Lao động sáng tạo”."),
        Paragraph("Chỉ đạo, hướng dẫn đại hội công đoàn cơ sở", "heading3"),
    ]
    long_text = (
        "Các cấp công đoàn trong thị xã tích cực triển khai thực hiện, tổng kết, đánh giá "
        "phong trào thi đua, bám sát chỉ đạo của cấp ủy, phối hợp nhịp nhàng giữa các phòng ban. "
    ) * 4
    tasks += [Paragraph(long_text) for _ in range(8)]
    return [
        Section("results", "I. Kết quả thực hiện nhiệm vụ", results),
        Section("tasks", "II. Phương hướng, nhiệm vụ quý IV năm 2023", tasks),
    ]


def sample_document(**changes: Any) -> Document:
    doc = Document(
        header=Header(
            issuer_parent="Liên đoàn Lao động tỉnh Lào Cai",
            issuer="Liên đoàn Lao động thị xã Sa Pa",
            number="Số: 34/BC-LĐLĐ",
            place_date="Sa Pa, ngày 05 tháng 02 năm 2024",
        ),
        kind="BÁO CÁO",
        title="Kết quả công tác công đoàn 9 tháng đầu năm 2023 và năm học 2022 - 2023",
        subtitle="(Số liệu tính đến ngày 30/9/2023)",
        sections=_sections(),
        signature=Signature("TM. Ban Thường vụ", "Chủ tịch", "Má Thị Đa"),
        recipients=["LĐLĐ tỉnh Lào Cai (b/c);", "Thị ủy Sa Pa (b/c);", "Lưu: VT."],
        annex=[annex_table()],
        charts=[body_chart(), care_chart()],
        news=NewsItem(
            title="Hội nghị BCH LĐLĐ thị xã Sa Pa lần thứ II & tổng kết <năm học>",
            paragraphs=[f"Sáng ngày 22/6, BCH đã họp; {ADMISSIONS}.", f"Dự án {QUOTED} & “Sa Pa”."],
        ),
        language="vi",
        data_at=dt.datetime(2023, 10, 2, 8, 30, tzinfo=dt.UTC),
        footnote="Số liệu của 3 đơn vị chưa được duyệt.",
        draft=False,
    )
    return dataclasses.replace(doc, **changes) if changes else doc
