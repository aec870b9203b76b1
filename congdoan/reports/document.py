"""The report as a document: plain, typed blocks that every renderer understands.

`compose(facts, options)` (compose.py) writes a `Document` from the report's facts; the pure
renderers under `render/` turn the same `Document` into DOCX, PDF, the XLSX annex and the news
item. Nothing here touches the database, so rendering is tested without it.

Layout follows Decree 30/2020 and the union's document rules: the issuing body under its parent
and "Số: …/BC-…" on the left, the national name and motto with "place, ngày dd tháng mm năm
yyyy" on the right, the title, the body, the signature block and the recipients (*Nơi nhận*).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Header:
    """The two columns above the title."""

    issuer_parent: str  # "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
    issuer: str  # "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU"
    number: str  # "Số: 34/BC-LĐLĐ", or "Số:     /BC-LĐLĐ" on a draft
    place_date: str  # "Lai Châu, ngày 05 tháng 02 năm 2024"
    nation: str = NATION
    motto: str = MOTTO


@dataclass(frozen=True)
class Paragraph:
    text: str
    # "center": a bold line centred without indent (a decision's "QUYẾT ĐỊNH:").
    style: Literal["body", "heading1", "heading2", "heading3", "bullet", "note", "center"] = "body"


@dataclass(frozen=True)
class Table:
    """A table of figures: the first column names the row, the others hold formatted text."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)  # per column: right-aligned
    total: list[str] | None = None  # the bold last row ("Tổng cộng")
    note: str = ""  # a line under the table ("Số liệu chưa duyệt: …")
    # The raw numbers behind `rows` (same shape, None where a cell is text or missing), so the
    # XLSX annex writes real numbers, not text.
    values: list[list[Decimal | None]] = field(default_factory=list)
    # Relative widths of the columns (DOCX); empty: the first column wider, the others equal.
    widths: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    """A bar chart: categories along one axis, one or more series (value per category)."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[Decimal | None]]]
    unit: str = ""  # the unit of measure, for the axis


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    key: str  # the registered section's key ("results", "clusters", "tasks"…)
    heading: str  # "" for a section without its own heading
    blocks: list[Block]


@dataclass(frozen=True)
class Signature:
    on_behalf: str  # "TM. BAN THƯỜNG VỤ"
    title: str  # "CHỦ TỊCH"
    name: str  # "Nguyễn Văn A", may be blank on a draft


@dataclass(frozen=True)
class NewsItem:
    """The item for the unit's website, in the style of the seed reports."""

    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class Document:
    header: Header
    kind: str  # "BÁO CÁO"
    title: str  # "Kết quả công tác công đoàn 9 tháng đầu năm 2023 và năm học 2022 - 2023"
    subtitle: str  # "(Số liệu tính đến ngày 30/9/2023)" or ""
    sections: list[Section]
    signature: Signature
    recipients: list[str]  # "Như trên;", "Lưu: VT."
    annex: list[Table]  # the key indicators of the units below (the appendix of DOCX and PDF)
    charts: list[Chart]
    news: NewsItem | None
    language: str  # "vi" or "en"
    data_at: dt.datetime  # when the data was read
    footnote: str = ""  # "Số liệu của 3 đơn vị chưa được duyệt." — said, never hidden
    draft: bool = True  # a draft carries "DỰ THẢO" and no number
    # Every indicator of the units below, a table per catalogue group (the XLSX annex); empty:
    # the workbook holds `annex`.
    workbook: list[Table] = field(default_factory=list)
    # The annex's heading in place of "PHỤ LỤC", one line per "\n", the first bold, the others
    # italic (a decision's "DANH SÁCH …" / "(Kèm theo Quyết định số …)"); "": "PHỤ LỤC".
    annex_title: str = ""

    def text(self) -> str:
        """The whole body as plain text (for search, tests and the same-data-same-text check)."""
        lines = [self.kind, self.title, self.subtitle]
        for section in self.sections:
            lines.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    lines.append(block.text)
                elif isinstance(block, Table):
                    lines.append(block.title)
                    lines.extend(" | ".join(r) for r in block.rows)
        lines.append(self.footnote)
        return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# Kept as JSON: an approved generation stores its Document, so that issuing renders the very
# text that was approved, with the number and the date of issue.


def _block_to_dict(block: Block) -> dict[str, Any]:
    kind = {Paragraph: "paragraph", Table: "table", Chart: "chart"}[type(block)]
    data = _plain(block)
    assert isinstance(data, dict)
    data["type"] = kind
    return data


def _plain(obj: object) -> object:
    if isinstance(obj, Decimal):
        return {"$d": str(obj)}
    if isinstance(obj, dt.datetime):
        return {"$t": obj.isoformat()}
    if isinstance(obj, dt.date):
        return {"$date": obj.isoformat()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if hasattr(obj, "__dataclass_fields__"):
        return {f: _plain(getattr(obj, f)) for f in obj.__dataclass_fields__}
    return obj


def _back(obj: object) -> object:
    if isinstance(obj, list):
        return [_back(v) for v in obj]
    if isinstance(obj, dict):
        if set(obj) == {"$d"}:
            return Decimal(obj["$d"])
        if set(obj) == {"$t"}:
            return dt.datetime.fromisoformat(obj["$t"])
        if set(obj) == {"$date"}:
            return dt.date.fromisoformat(obj["$date"])
        return {k: _back(v) for k, v in obj.items()}
    return obj


def to_dict(doc: Document) -> dict[str, object]:
    data = _plain(doc)
    assert isinstance(data, dict)
    data["sections"] = [
        {"key": s.key, "heading": s.heading, "blocks": [_block_to_dict(b) for b in s.blocks]}
        for s in doc.sections
    ]
    return data


def _table(d: dict[str, Any]) -> Table:
    d = dict(_back(d))  # type: ignore[call-overload]
    d.pop("type", None)
    return Table(**d)


def _chart(d: dict[str, Any]) -> Chart:
    d = dict(_back(d))  # type: ignore[call-overload]
    d.pop("type", None)
    d["series"] = [(name, values) for name, values in d["series"]]
    return Chart(**d)


def _block(d: dict[str, Any]) -> Block:
    kind = d.get("type")
    if kind == "table":
        return _table(d)
    if kind == "chart":
        return _chart(d)
    return Paragraph(text=d["text"], style=d.get("style", "body"))


def from_dict(data: dict[str, Any]) -> Document:
    """The Document `to_dict` stored."""
    d = dict(data)
    news = d.get("news")
    return Document(
        header=Header(**d["header"]),
        kind=d["kind"],
        title=d["title"],
        subtitle=d["subtitle"],
        sections=[
            Section(s["key"], s["heading"], [_block(b) for b in s["blocks"]]) for s in d["sections"]
        ],
        signature=Signature(**d["signature"]),
        recipients=list(d["recipients"]),
        annex=[_table(t) for t in d["annex"]],
        charts=[_chart(c) for c in d["charts"]],
        news=NewsItem(**news) if news else None,
        language=d["language"],
        data_at=_back(d["data_at"]),  # type: ignore[arg-type]
        footnote=d.get("footnote", ""),
        draft=d.get("draft", True),
        workbook=[_table(t) for t in d.get("workbook", [])],
        annex_title=d.get("annex_title", ""),
    )
