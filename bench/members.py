"""Benchmarks of the member registry at national size, through the app's own code.

    python -m bench.members      # on a database filled by bench.generate + bench.generate_members

- import: a 100,000-row xlsx (the template's columns, a unit column spreading the rows over the
  grassroots unions of the largest province) through `members.imports.run_import` as an officer
  of the province: read, validate, duplicates against every member, write with history and
  summaries; rows/s per stage (goal ≥ 20,000 rows/s end to end). BENCH_IMPORT_ROWS,
  BENCH_IMPORT_RUNS (default 2, different files) change it.
- search: `MemberFilterSet(q=…)` over the caller's members, first page of 50 in the list's order
  (names written as typed first when typed with diacritics), for several realistic queries (goal
  p95 < 50 ms); and, without a goal, the list's count of the same names (up to
  `selectors.COUNT_LIMIT`, asked for apart when the first page is not the last);
- list: the first page of a province's member list in Vietnamese order (goal < 100 ms);
- counts: members and women per unit as of a date, whole country, from the summaries
  (`counts.members_per_unit`, goal < 500 ms), with the same from the spells for comparison, and
  the statistics page's selector (`counts.subtree_counts`) for the country and a province.

Medians and p95 as in bench.tree (BENCH_REPEAT runs after warm-up); EXPLAIN plans of reads that
miss their goal (all with BENCH_EXPLAIN=1). BENCH_JSON_MEMBERS=file writes the results.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import unicodedata
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.tree import Result, explain, run, table

PAST = dt.date(2024, 6, 30)


def targets() -> dict[str, Any]:
    from django.db import connection

    from congdoan.accounts.models import Role, RoleGrant, User
    from congdoan.organisation.models import Unit

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(u.path, 1, 8), COUNT(*) FROM members_member m "
            "JOIN organisation_unit u ON u.id = m.unit_id "
            "WHERE m.status IN ('active', 'suspended') GROUP BY 1"
        )
        per_province = dict(cursor.fetchall())
    provinces = list(
        Unit.objects.filter(depth=2, dissolved_on__isnull=True, unit_type__code="ldld_tinh")
    )
    provinces.sort(key=lambda u: per_province.get(u.path, 0))
    largest, median = provinces[-1], provinces[len(provinces) // 2]
    root = Unit.objects.get(depth=1)
    role = Role.objects.get(code="federation_admin")

    def officer(username: str, unit: Any) -> Any:
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
        RoleGrant.objects.get_or_create(user=user, role=role, unit=unit, revoked_at=None)
        return user

    return {
        "root": root,
        "largest": largest,
        "median": median,
        "sizes": {
            "largest": per_province.get(largest.path, 0),
            "median": per_province.get(median.path, 0),
        },
        "officer": officer("bench-members-province", largest),
        "officer_median": officer("bench-members-median", median),
        "national": officer("bench-members-national", root),
    }


# ---------------------------------------------------------------------------------------------
# Import


def import_file(rows: int, seed: int, province: Any, folder: Path) -> Path:
    """A member file of `rows` new members spread over the province's grassroots unions."""
    from congdoan.members.tests.files import member_rows, xlsx_bytes
    from congdoan.organisation.models import Unit

    path = folder / f"members-{rows}-seed{seed}.xlsx"
    units = list(
        Unit.objects.filter(
            path__startswith=province.path,
            dissolved_on__isnull=True,
            unit_type__is_grassroots=True,
        )
        .order_by("?")
        .values_list("code", "founded_on")[:2000]
    )
    out: list[dict[str, Any]] = []
    per = max(1, rows // len(units))
    start = 0
    for i, (code, founded) in enumerate(units):
        n = per if i < len(units) - 1 else rows - start
        if n <= 0:
            break
        out.extend(
            member_rows(n, seed=seed, start=start, unit_code=code, earliest_admission=founded)
        )
        start += n
    path.write_bytes(xlsx_bytes(out))
    return path


def bench_import(t: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    from congdoan.members.imports import run_import

    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    runs = int(os.environ.get("BENCH_IMPORT_RUNS", "2"))
    results = []
    for seed in range(1, runs + 1):
        g0 = time.perf_counter()
        path = import_file(rows, seed, t["largest"], folder)
        made = time.perf_counter() - g0
        print(f"  file {path.name}: {path.stat().st_size / 1e6:.1f} MB (made in {made:.1f} s)")
        started = time.perf_counter()
        result = run_import(path, unit=t["largest"], actor=t["officer"])
        total = time.perf_counter() - started
        if not result.ok or not result.committed:
            print(f"  import failed: {result.errors[:5]}")
            results.append({"seed": seed, "ok": False, "errors": result.errors[:20]})
            continue
        stages = {k: round(v, 3) for k, v in result.timings.items()}
        rate = result.rows_total / total
        print(
            f"  import seed {seed}: {result.rows_total:,} rows, {result.created:,} created in "
            f"{total:.2f} s = {rate:,.0f} rows/s; stages: "
            + ", ".join(
                f"{k} {v:.2f} s ({result.rows_total / v:,.0f} rows/s)" if v else f"{k} {v:.2f} s"
                for k, v in stages.items()
            )
        )
        sys.stdout.flush()
        results.append(
            {
                "seed": seed,
                "ok": True,
                "rows": result.rows_total,
                "created": result.created,
                "seconds": round(total, 3),
                "rows_per_second": round(rate),
                "stages": stages,
                "bytes": path.stat().st_size,
            }
        )
    return results


# ---------------------------------------------------------------------------------------------
# Reads


def samples(province: Any) -> dict[str, str]:
    """A card number, a phone and a citizen ID of current members of the province (for exact
    searches that both the national and the provincial officer may see)."""
    from congdoan.core.scoping import path_range_q
    from congdoan.members.models import Member

    current = (
        Member.objects.filter(status="active")
        .filter(path_range_q("unit__path", province.path))
        .order_by("pk")
    )
    n = current.count()
    m = current.filter(card_number__isnull=False).exclude(phone="")[n // 3]
    cid = current.filter(citizen_id__regex=r"^\d{12}$").values_list("citizen_id", flat=True)[n // 2]
    return {"card": m.card_number or "", "phone": m.phone, "cccd": cid}


def benchmarks(t: dict[str, Any], repeat: int) -> list[Result]:
    from congdoan.core.scoping import clear_scope_cache
    from congdoan.members import counts, selectors
    from congdoan.members.filters import MemberFilterSet

    results: list[Result] = []
    s = samples(t["largest"])

    def page(user: Any, params: dict[str, str]) -> list[Any]:
        clear_scope_cache(user)  # every run is a new request: the grants are read again
        fs = MemberFilterSet(
            params, queryset=selectors.member_list(user), request=SimpleNamespace(user=user)
        )
        assert fs.is_valid(), fs.errors
        # What the member list does: the first page of the search in the official order.
        return list(fs.page_queryset(1, 50)[:50])

    def count(user: Any, params: dict[str, str]) -> int:
        clear_scope_cache(user)
        fs = MemberFilterSet(
            params, queryset=selectors.member_list(user), request=SimpleNamespace(user=user)
        )
        assert fs.is_valid(), fs.errors
        # What the list's count fragment does when the first page is not the last.
        return fs.found_count(selectors.COUNT_LIMIT)

    nfd_other_tone = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    queries = [
        ("nguyen thi hoa", "unaccented full name"),
        (nfd_other_tone, "NFD, the other tone placement (Hoà)"),
        ("tran duc", "partial: family and middle name"),
        ("phuong", "one word: a given name"),
        ("dang van quyet", "a rarer full name"),
        ("hoang ngoc", "partial, unaccented"),
        (s["card"], "card number"),
        (s["phone"], "phone"),
        (s["cccd"], "citizen ID"),
    ]
    for who, user in (("national", t["national"]), ("province", t["officer"])):
        for q, what in queries:
            shown = q if what not in ("phone", "citizen ID") else q[:3] + "…"
            results.append(
                run(
                    f"search_{who}_{what}",
                    f"search ({who} officer): {what} — “{unicodedata.normalize('NFC', shown)}”",
                    50,
                    lambda user=user, q=q: page(user, {"q": q}),
                    repeat,
                )
            )
        for q, what in queries[:6]:  # the names: more than a page, so counted apart
            results.append(
                run(
                    f"count_{who}_{what}",
                    f"count of the search, up to {selectors.COUNT_LIMIT:,} ({who} officer): "
                    f"{what} — “{unicodedata.normalize('NFC', q)}”",
                    None,
                    lambda user=user, q=q: count(user, {"q": q}),
                    repeat,
                    note="diagnostic",
                )
            )
    largest, median = t["largest"], t["median"]
    for which, prov, user in (
        ("largest", largest, t["officer"]),
        ("median", median, t["officer_median"]),
    ):
        results.append(
            run(
                f"province_page_{which}",
                f"first page of a province's member list, Vietnamese order ({which}: "
                f"{prov.short_name}, {t['sizes'][which]:,} members)",
                100,
                lambda prov=prov, user=user: page(user, {"unit": prov.code}),
                repeat,
            )
        )
    today = dt.date.today()
    for label, day in (("today", today), ("30/06/2024", PAST)):
        results.append(
            run(
                f"counts_country_{label}",
                f"members and women per unit as of {label}, whole country "
                "(counts.members_per_unit, summaries)",
                500,
                lambda day=day: counts.members_per_unit(day),
                repeat,
            )
        )
    slow = max(3, repeat // 10)
    results.append(
        run(
            "counts_country_spells",
            "diagnostic: the same from the spells (counts.members_from_spells), as of today",
            None,
            lambda: counts.members_from_spells(today),
            slow,
            note="diagnostic",
        )
    )
    year = counts.Period(dt.date(today.year, 1, 1), today)
    results.append(
        run(
            "stats_country",
            "statistics page selector: counts.subtree_counts(national root, this year)",
            None,
            lambda: counts.subtree_counts(t["root"], year).rows,
            slow,
            note="no goal",
        )
    )
    results.append(
        run(
            "stats_province",
            f"statistics page selector: counts.subtree_counts({largest.short_name}, this year)",
            None,
            lambda: counts.subtree_counts(largest, year).rows,
            slow,
            note="no goal",
        )
    )
    results.append(
        run(
            "stats_province_2024",
            f"statistics page selector: counts.subtree_counts({largest.short_name}, 2024), "
            "the tree before 1/7/2025 included",
            None,
            lambda: (
                counts.subtree_counts(
                    largest, counts.Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
                ).rows
            ),
            slow,
            note="no goal",
        )
    )
    return results


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from congdoan.members.models import Member, MemberEvent, Membership

    repeat = int(os.environ.get("BENCH_REPEAT", "50"))
    folder = Path(os.environ.get("CONGDOAN_VAR_DIR", "var/bench"))
    folder.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    t = targets()
    print(
        f"PostgreSQL {server}; {Member.objects.count():,} members, {Membership.objects.count():,} "
        f"spells, {MemberEvent.objects.count():,} events; repeat {repeat}"
    )
    print(
        f"  provinces by current members: largest {t['largest'].short_name} "
        f"({t['sizes']['largest']:,}), median {t['median'].short_name} ({t['sizes']['median']:,})"
    )
    load_before = os.getloadavg()
    imports: list[dict[str, Any]] = []
    if os.environ.get("BENCH_IMPORT", "1") == "1":
        print("import:")
        imports = bench_import(t, folder)
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) members_member, members_membercountdelta, members_memberword"
            )
            # Again: an autovacuum running during the first one holds back what it may mark
            # all-visible, and the walk's index-only scans then visit the table.
            cursor.execute("VACUUM members_member, members_memberword")
    print("reads:")
    results = benchmarks(t, repeat)
    load_after = os.getloadavg()
    print()
    print(table(results))
    print("\npass = p95 under the goal; database = server execution time of the same queries")
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}")
    show_all = os.environ.get("BENCH_EXPLAIN") == "1"
    for r in results:
        if r.is_read and (show_all or r.passed is False):
            print(f"\n== EXPLAIN (ANALYZE, BUFFERS): {r.title}")
            for sql in r.sql:
                print(f"-- {sql[:2000]}\n{explain(sql)}\n")
    path = os.environ.get("BENCH_JSON_MEMBERS")
    if path:
        data = {
            "server": server,
            "members": Member.objects.count(),
            "repeat": repeat,
            "load": [load_before, load_after],
            "imports": imports,
            "results": [
                {
                    **{k: v for k, v in asdict(r).items() if k != "sql"},
                    "median": r.median,
                    "p95": r.p95,
                    "passed": r.passed,
                }
                for r in results
            ],
        }
        with open(path, "w") as fh:
            json.dump(data, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
