"""The sample report a unit's Word template is checked and previewed with (word_template.py).

Data, worded as the seed reports word it: Vietnamese names and figures with "&", "<" and curly
quotes, two sections, a body table and chart, and a wide annex (so the preview shows the annex
on landscape pages).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from congdoan.reports.document import (
    Block,
    Chart,
    Document,
    Header,
    Paragraph,
    Section,
    Signature,
    Table,
)


def sample_document() -> Document:
    return Document(
        header=Header(
            issuer_parent="Liên đoàn Lao động tỉnh Lào Cai",
            issuer="Liên đoàn Lao động thị xã Sa Pa",
            number="Số: 34/BC-LĐLĐ",
            place_date="Sa Pa, ngày 05 tháng 02 năm 2024",
        ),
        kind="BÁO CÁO",
        title="Kết quả công tác công đoàn 9 tháng đầu năm 2023 và năm học 2022 - 2023",
        subtitle="(Số liệu tính đến ngày 30/9/2023)",
        sections=_sample_sections(),
        signature=Signature("TM. Ban Thường vụ", "Chủ tịch", "Má Thị Đa"),
        recipients=["LĐLĐ tỉnh Lào Cai (b/c);", "Thị ủy Sa Pa (b/c);", "Lưu: VT."],
        annex=[_sample_annex()],
        charts=[],
        news=None,
        language="vi",
        data_at=dt.datetime(2023, 10, 2, 8, 30, tzinfo=dt.UTC),
        footnote="Số liệu của 3 đơn vị chưa được duyệt.",
        draft=False,
    )


def _sample_sections() -> list[Section]:
    results: list[Block] = [
        Paragraph("Công tác phát triển đoàn viên", "heading2"),
        Paragraph(
            "Trong 9 tháng đầu năm 2023, LĐLĐ thị xã đã kết nạp 546 đoàn viên, đạt 110% chỉ "
            "tiêu, thành lập 3 CĐCS doanh nghiệp ngoài nhà nước & hộ kinh doanh."
        ),
        Paragraph("Chăm lo cho đoàn viên với tổng kinh phí 2.481.650.000 đồng.", "bullet"),
        Paragraph("Xây dựng mới 16/2 nhà “Mái ấm Công đoàn”, đạt 800% chỉ tiêu.", "bullet"),
        Table(
            title="Bảng 1. Kết quả thực hiện các chỉ tiêu",
            columns=["Chỉ tiêu", "Chỉ tiêu giao", "Thực hiện", "Tỷ lệ"],
            rows=[
                ["Kết nạp đoàn viên (người)", "496", "546", "110%"],
                ["Thành lập CĐCS (đơn vị)", "2", "3", "150%"],
            ],
            numeric=[False, True, True, True],
        ),
        Chart(
            "Kết nạp đoàn viên theo quý",
            ["Quý I", "Quý II", "Quý III"],
            [("Thực hiện", [Decimal(150), Decimal(210), Decimal(186)])],
            unit="người",
        ),
    ]
    tasks: list[Block] = [Paragraph("Đẩy mạnh phong trào thi đua “Lao động giỏi”.")]
    return [
        Section("results", "I. Kết quả thực hiện nhiệm vụ", results),
        Section("tasks", "II. Phương hướng, nhiệm vụ quý IV năm 2023 <dự kiến>", tasks),
    ]


def _sample_annex() -> Table:
    units = ["Công đoàn Công ty TNHH Xây dựng & Thương mại Hòa Bình", "Công đoàn Trường THCS số 2"]
    return Table(
        title="Phụ lục 1. Kết quả thực hiện chỉ tiêu của các công đoàn cơ sở trực thuộc",
        columns=[
            "Đơn vị",
            "Đoàn viên",
            "Kết nạp",
            "Chỉ tiêu",
            "% chỉ tiêu",
            "CĐCS mới",
            "Sáng kiến",
        ],
        rows=[
            [units[0], "127", "11", "10", "110", "1", "3"],
            [units[1], "134", "12", "10", "120", "0", "5"],
        ],
        numeric=[False] + [True] * 6,
        total=["Tổng cộng", "261", "23", "20", "115", "1", "8"],
    )
