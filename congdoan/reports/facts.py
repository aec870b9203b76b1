"""The facts a report states: a typed, plain data object read from the database once.

`selectors.report_facts(...)` fills a `ReportFacts` from the catalogue, targets, figures,
roll-ups, ranks and the sections other apps register (sections.py); `compose(facts, options)`
writes the `Document` from it without touching the database. The same facts give the same text.

Missing is never zero: a figure nobody entered is `None`, and the wording says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Rounding = Literal["half_up", "truncate"]


@dataclass(frozen=True)
class Options:
    """What a unit's report template chooses (see models.ReportTemplate)."""

    rounding: Rounding = "half_up"  # 810,5% → "811%"; "truncate": "810%" as some reports do
    percent_decimals: int = 0
    fractions: bool = True  # "xây dựng mới 16/2 nhà, đạt 800% chỉ tiêu" where a target exists
    place: str = ""  # "Lai Châu" in "Lai Châu, ngày 05 tháng 02 năm 2024"
    on_behalf: str = "TM. BAN THƯỜNG VỤ"
    signer_title: str = "CHỦ TỊCH"
    signer_name: str = ""
    recipients: tuple[str, ...] = ("Như trên;", "Lưu: VT.")
    number_symbol: str = "BC-LĐLĐ"  # "Số: 34/BC-LĐLĐ"
    headings: dict[str, str] = field(default_factory=dict)  # section key → heading override
    left_out: tuple[str, ...] = ()  # section keys the unit does not want
    language: str = "vi"


@dataclass(frozen=True)
class Result:
    """One indicator's result for the report's subject in one period."""

    code: str
    name: str  # "Kết nạp đoàn viên"
    short_name: str
    group: str  # the catalogue group: the results are told group by group
    unit_of_measure: str  # "người", "đơn vị", "suất", "đồng", "căn nhà"…
    value_type: str  # indicators.models.ValueType: "count", "money", "percent", "decimal"…
    lower_is_better: bool
    value: Decimal | None  # over the subject's subtree ("together"); None: nothing entered
    own: Decimal | None = None  # the body's own figure, without the units below ("apart")
    target: Decimal | None = None
    target_of: str = ""  # the period whose target this is when not this one ("năm 2023")
    previous: Decimal | None = None  # the same period a year before
    approved: bool = True  # every figure behind it approved (registers count as approved)
    computed: bool = False  # derived from a register or a formula
    rank: int | None = None  # among peers on this indicator
    rank_of: int = 0
    rank_among: str = ""  # "toàn tỉnh", "trong Cụm thi đua số 3"


@dataclass(frozen=True)
class PeriodFacts:
    label: str  # "9 tháng đầu năm 2023", "năm học 2022 - 2023"
    kind: str  # indicators.models.PeriodKind
    start: dt.date
    end: dt.date
    previous_label: str  # "cùng kỳ năm 2022", "" when there is no earlier period
    results: list[Result]
    pending_units: int = 0  # units below whose figures are not yet approved
    missing_units: int = 0  # units below that sent nothing
    units_below: int = 0


@dataclass(frozen=True)
class IndicatorRef:
    code: str
    name: str
    unit_of_measure: str
    value_type: str
    group: str = ""  # the catalogue group: the workbook has a sheet per group


@dataclass(frozen=True)
class UnitLine:
    """One unit below in the annex."""

    name: str
    code: str
    values: dict[str, Decimal | None]  # by indicator code
    targets: dict[str, Decimal | None]
    approved: bool
    status: str  # the sheet's state in words ("Đã duyệt", "Chưa gửi")


@dataclass(frozen=True)
class UnitsBelow:
    period_label: str
    indicators: list[IndicatorRef]
    rows: list[UnitLine]
    hidden: int = 0  # units outside the reader's scope, left out


@dataclass(frozen=True)
class ClusterFacts:
    """An emulation cluster the subject belongs to (or is, for a cluster report)."""

    name: str  # "Cụm thi đua số 3"
    head: str  # the head unit's name ("Công đoàn Viên chức tỉnh")
    units: list[str]
    period_label: str
    results: list[Result]  # cluster totals
    subject_rank: int | None = None  # the subject's rank in the cluster
    rank_of: int = 0


@dataclass(frozen=True)
class Person:
    name: str
    title: str = ""  # "Phó Chủ tịch LĐLĐ tỉnh"


@dataclass(frozen=True)
class MeetingFacts:
    """The conference the report is presented at (meetings app), for the news item."""

    title: str  # "Hội nghị Ban chấp hành lần thứ II (mở rộng), khoá X, nhiệm kỳ 2023 – 2028"
    held_on: dt.date
    place: str
    host: str  # the body holding it ("BCH Liên đoàn Lao động thị xã Sa Pa")
    chair: Person | None
    presenter: Person | None  # who presented the report
    guests: list[Person]  # with their titles and bodies
    attendees: int
    conclusions: str = ""
    pledge: str = ""  # "các đơn vị trong cụm ký giao ước thi đua năm 2023"


@dataclass(frozen=True)
class SectionFacts:
    """The data of a section registered by another app (sections.py): its writer reads it."""

    key: str
    data: Any


@dataclass(frozen=True)
class ReportFacts:
    subject: Literal["unit", "cluster"]
    issuer: str  # "Liên đoàn Lao động tỉnh Lai Châu" (a cluster: its head unit)
    issuer_parent: str  # "Tổng Liên đoàn Lao động Việt Nam"
    issuer_short: str  # "LĐLĐ tỉnh" — how the text names the body
    subject_name: str  # the unit's or the cluster's name
    periods: list[PeriodFacts]  # one, or two at once (9 months and the school year)
    units_below: list[UnitsBelow]  # per period, for the annex
    clusters: list[ClusterFacts]
    sections: list[SectionFacts]
    tasks: list[str]  # the tasks for the next period, entered by the officer
    data_at: dt.datetime
    meeting: MeetingFacts | None = None
    number: int | None = None  # set when issued
    issued_on: dt.date | None = None
    title: str = ""  # the officer's own title, else composed from the periods
