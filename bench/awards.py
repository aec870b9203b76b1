"""Benchmarks of the documents of an award decision (awards/documents.py), through the app's code.

    python -m bench.awards   # on a migrated database (SQLite or PostgreSQL), empty or not

A province's year-end decision with BENCH_AWARDS_UNITS collective and BENCH_AWARDS_MEMBERS
individual recipients (default 150 and 350: 500 certificates), built by the real services
(`organisation.services.unit_create`, `members.services.member_admit`,
`awards.services.decision_create` / `award_add`, which run the eligibility rules) in a new
province of its own under the root (created if the database has none), with Vietnamese names
with diacritics, "&" and "<". Ten of the units get the flag (Cờ thi đua), the others and the
members the certificate of merit (Bằng khen), some with an achievement.

Timed (BENCH_AWARDS_REPEAT runs each, default 5; the PDF BENCH_AWARDS_PDF_REPEAT, default 1):

- `decision_data(decision)` (the selector; its query count is printed);
- `decision_document(data)` and `render_docx(document)` on their own;
- `decision_docx(decision)`: the three together (goal < 3 s);
- `certificates_pdf(awards)` for every award of the decision (goal < 60 s).

The outputs are read back (python-docx: one annex row per recipient, in the data's order;
pypdf: one page per recipient, each page naming its recipient): a wrong count fails the run
(exit 1). BENCH_JSON_AWARDS=file writes the results.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import platform
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from bench.tree import Result, table

DAY = dt.date(2025, 1, 15)  # signed in January for the emulation year 2024
YEAR = 2024
GOALS_MS = {"docx": 3_000, "pdf": 60_000}
FLAGS = 10  # units that get the flag; the other units get the certificate of merit

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Thị", "Văn", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Thị Thu", "Quốc", "Xuân"]
GIVEN = ["Hùng", "Lan", "Hương", "Dũng", "Tuấn", "Phượng", "Ánh", "Đạt", "Nhung", "Thảo", "Quỳnh"]
JOBS = ["Giáo viên", "Công nhân may", "Kế toán", "Chủ tịch CĐCS", "Kỹ sư", "Y sĩ", ""]
UNIT_NAMES = [
    "CĐCS Trường Tiểu học Phước Long số {n}",
    "Công đoàn Công ty TNHH May Việt Tiến & Đối tác {n}",
    "CĐCS Bệnh viện Đa khoa khu vực <Miền Tây> {n}",
    "CĐCS Ủy ban nhân dân xã Đồng Hòa {n}",
    "Công đoàn Hợp tác xã Nông nghiệp Quyết Thắng {n}",
]


def vn_name(i: int) -> tuple[str, str, str]:
    return FAMILY[i % len(FAMILY)], MIDDLE[i // 7 % len(MIDDLE)], GIVEN[i // 3 % len(GIVEN)]


# ---------------------------------------------------------------------------------------------
# The data, through the services


def build(units: int, members: int) -> tuple[Any, dict[str, float]]:
    """A new province with `units` grassroots unions (under districts of 30) and `members`
    members, and its decision with a recipient each. Returns the decision and the seconds of
    each stage."""
    from congdoan.awards import services as awards
    from congdoan.awards.models import AwardForm
    from congdoan.members.services import member_admit
    from congdoan.organisation import services as org
    from congdoan.organisation.models import Unit, UnitType

    def kind(code: str) -> Any:
        return UnitType.objects.get(code=code)

    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    start = dt.date(2015, 1, 1)
    root = Unit.objects.filter(depth=1).order_by("path").first()
    if root is None:
        root = org.unit_create_root(
            code="TLD",
            name="Tổng Liên đoàn Lao động Việt Nam",
            short_name="Tổng LĐLĐ",
            unit_type=kind("tld"),
            day=start,
        )
    n = 1  # each run builds a province of its own: AW01, AW02…
    while Unit.objects.filter(code=f"AW{n:02d}").exists():
        n += 1
    run = f"AW{n:02d}"

    def create(parent: Any, code: str, name: str, type_code: str) -> Any:
        return org.unit_create(
            actor=None,
            parent=parent,
            code=code,
            name=name,
            short_name=name,
            unit_type=kind(type_code),
            day=start,
        )

    province = create(root, run, f"Liên đoàn Lao động tỉnh Đồng Tháp ({run})", "ldld_tinh")
    Unit.objects.filter(pk=province.pk).update(province_code=87)  # Đồng Tháp
    districts: list[Any] = []
    grassroots: list[Any] = []
    for n in range(units):
        if n % 30 == 0:
            d = len(districts) + 1
            districts.append(
                create(province, f"{run}H{d}", f"LĐLĐ huyện Tân Hồng {d}", "ldld_huyen")
            )
        name = UNIT_NAMES[n % len(UNIT_NAMES)].format(n=n + 1)
        grassroots.append(create(districts[-1], f"{run}C{n + 1}", name, "cdcs"))
    seconds["units"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    people = []
    for i in range(members):
        family, middle, given = vn_name(i)
        people.append(
            member_admit(
                actor=None,
                unit=grassroots[i % len(grassroots)],
                family_name=family,
                middle_name=middle,
                given_name=given,
                sex="F" if "Thị" in middle else "M",
                admitted_on=start,
                date_of_birth=dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
                job_title=JOBS[i % len(JOBS)],
            )
        )
    seconds["members"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    decision = awards.decision_create(
        actor=None,
        issuer_unit=province,
        number="125/QĐ-LĐLĐ",
        signed_on=DAY,
        signer="Nguyễn Thị Thanh Hương",
    )
    merit = AwardForm.objects.get(regulation=decision.regulation, code="tinh_bang_khen")
    flag = AwardForm.objects.get(regulation=decision.regulation, code="tinh_co")
    for n, unit in enumerate(grassroots):
        awards.award_add(
            actor=None,
            decision=decision,
            form=flag if n < FLAGS else merit,
            unit=unit,
            year=YEAR,
            achievement="Dẫn đầu phong trào thi đua khối doanh nghiệp" if n % 4 == 0 else "",
        )
    for i, person in enumerate(people):
        awards.award_add(
            actor=None,
            decision=decision,
            form=merit,
            member=person,
            year=YEAR,
            achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024 & phát triển đoàn viên"
            if i % 5 == 0
            else "",
        )
    seconds["awards"] = time.perf_counter() - t2
    return decision, seconds


# ---------------------------------------------------------------------------------------------
# The checks


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def check_docx(data: bytes, names: list[str]) -> str:
    """The annex rows (python-docx), in order, are the recipients; "" when right."""
    import docx

    read = docx.Document(io.BytesIO(data))
    rows = [
        row.cells[1].text
        for t in read.tables
        if t.rows[0].cells[0].text == "STT"
        for row in t.rows[1:]
    ]
    if rows != names:
        return f"DOCX annex: {len(rows)} rows, expected {len(names)} in the data's order"
    return ""


def check_pdf(data: bytes, names: list[str]) -> tuple[str, int]:
    """One page per recipient, each naming it (pypdf); ("", pages) when right."""
    import pypdf

    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    if len(pages) != len(names):
        return f"PDF: {len(pages)} pages, expected {len(names)}", len(pages)
    wrong = [
        i
        for i, (p, n) in enumerate(zip(pages, names, strict=True))
        if _nfc(n) not in _nfc(p.extract_text())
    ]
    if wrong:
        return (
            f"PDF: {len(wrong)} pages without their recipient's name (first: {wrong[0] + 1})",
            len(pages),
        )
    return "", len(pages)


# ---------------------------------------------------------------------------------------------
# The runs


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any, int]:
    """Milliseconds of each run, the first run's result and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    out: Any = None
    queries = 0
    for i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t0) * 1000)
        if i == 0:
            out, queries = result, len(ctx)
    return times, out, queries


def server() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def main() -> None:
    import django

    django.setup()
    from congdoan.awards import documents
    from congdoan.awards.models import Award
    from congdoan.reports.render.docx import render_docx

    units = int(os.environ.get("BENCH_AWARDS_UNITS", "150"))
    members = int(os.environ.get("BENCH_AWARDS_MEMBERS", "350"))
    repeat = int(os.environ.get("BENCH_AWARDS_REPEAT", "5"))
    pdf_repeat = int(os.environ.get("BENCH_AWARDS_PDF_REPEAT", "1"))
    print(
        f"{server()}; python {platform.python_version()}; {os.cpu_count()} cores; "
        f"load {os.getloadavg()}"
    )
    decision, built = build(units, members)
    print(
        f"built {units} units, {members} members, {units + members} awards through the services: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in built.items())
    )
    total = units + members
    data = documents.decision_data(decision)
    names = [r.name for _, r in data.recipients]
    document = documents.decision_document(data)

    t_data, _, q_data = timed(lambda: documents.decision_data(decision), repeat)
    t_doc, _, _ = timed(lambda: documents.decision_document(data), repeat)
    t_render, _, _ = timed(lambda: render_docx(document), repeat)
    t_docx, docx_bytes, q_docx = timed(lambda: documents.decision_docx(decision), repeat)
    awards = Award.objects.filter(decision=decision).order_by("form__order", "pk")
    given = [a.recipient_label for a in awards]
    t_pdf, pdf_bytes, q_pdf = timed(lambda: documents.certificates_pdf(awards), pdf_repeat)

    docx_problem = check_docx(docx_bytes, names)
    pdf_problem, pages = check_pdf(pdf_bytes, given)
    results = [
        Result("decision_data", "decision_data (selector)", None, t_data, q_data, total),
        Result("decision_document", "decision_document (pure)", None, t_doc, 0, total),
        Result("render_docx", "render_docx of the Document", None, t_render, 0, total),
        Result(
            "decision_docx",
            "decision_docx (data + document + DOCX)",
            GOALS_MS["docx"],
            t_docx,
            q_docx,
            total,
            note=docx_problem or f"{len(docx_bytes) / 1024:.0f} KB, annex rows checked",
        ),
        Result(
            "certificates_pdf",
            f"certificates_pdf ({total} certificates)",
            GOALS_MS["pdf"],
            t_pdf,
            q_pdf,
            total,
            note=pdf_problem or f"{pages} pages, {len(pdf_bytes) / 1024:.0f} KB, names checked",
        ),
    ]
    print()
    print(table(results))
    print()
    for r in results:
        if r.note:
            print(f"{r.title}: {r.note}")
    print(f"\nload average (1, 5, 15 min) after: {os.getloadavg()}")
    path = os.environ.get("BENCH_JSON_AWARDS")
    if path:
        with open(path, "w") as fh:
            json.dump(
                {
                    "server": server(),
                    "built_s": built,
                    "results": [
                        {**asdict(r), "median": r.median, "p95": r.p95, "passed": r.passed}
                        for r in results
                    ],
                },
                fh,
                indent=1,
            )
        print(f"results also in {path}")
    if docx_problem or pdf_problem:
        sys.exit(1)


if __name__ == "__main__":
    main()
