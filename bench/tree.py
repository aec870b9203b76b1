"""Benchmarks of the organisation tree, through the app's own selectors and services.

    python -m bench.tree        # on a database filled by `python -m bench.generate`

Each benchmark runs a few times to warm up, then BENCH_REPEAT times (moves: a fifth of that, at
least 5); it prints median and p95 (nearest rank) in milliseconds, the SQL queries per run and
the rows returned. BENCH_EXPLAIN=1 prints EXPLAIN (ANALYZE, BUFFERS) of every read query; a read
that misses its goal always gets its plans printed. BENCH_TRY_INDEXES=1 then creates the
PROPOSED_INDEXES by hand, runs the benchmarks they concern again and drops them. BENCH_JSON=file
also writes the results. See scripts/bench.sh and docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

PAST = dt.date(2024, 6, 30)
MOVE_SIZE = 200


@dataclass
class Result:
    key: str
    title: str
    goal_ms: float | None
    times_ms: list[float] = field(repr=False)
    queries: int
    rows: int
    note: str = ""
    sql: list[str] = field(default_factory=list, repr=False)
    is_read: bool = True
    db_ms: float | None = None  # server execution time of the same queries (EXPLAIN ANALYZE)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def passed(self) -> bool | None:
        return None if self.goal_ms is None else self.p95 < self.goal_ms


def measure(fn: Callable[[], Any], repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def run(
    key: str,
    title: str,
    goal_ms: float | None,
    fn: Callable[[], Any],
    repeat: int,
    *,
    note: str = "",
    is_read: bool = True,
) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        out = fn()
    rows = out if isinstance(out, int) else len(out) if hasattr(out, "__len__") else 1
    times = measure(fn, repeat)
    result = Result(
        key,
        title,
        goal_ms,
        times,
        len(ctx.captured_queries),
        rows,
        note,
        [q["sql"] for q in ctx.captured_queries],
        is_read,
    )
    if is_read:
        result.db_ms = db_time(result.sql)
    db = f", database {result.db_ms:.1f} ms" if result.db_ms is not None else ""
    print(
        f"  {title}: median {result.median:.1f} ms, p95 {result.p95:.1f} ms{db} "
        f"({result.queries} queries, {rows:,} rows)"
    )
    sys.stdout.flush()
    return result


def db_time(sqls: list[str], repeat: int = 5) -> float:
    """Median server-side execution time of these queries, from EXPLAIN (ANALYZE, TIMING OFF)."""
    from django.db import connection

    totals = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            total = 0.0
            for sql in sqls:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue  # BEGIN, SAVEPOINT, writes: not explained
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                total += plan[0]["Execution Time"]
            totals.append(total)
    return statistics.median(totals)


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(r[0] for r in cursor.fetchall())


# ---------------------------------------------------------------------------------------------
# What to measure on


@dataclass
class Targets:
    largest: Any  # current provincial federation with the largest subtree
    median: Any  # … with the median subtree
    sizes: dict[str, int]
    leaf: Any  # a union group (deepest level) in the largest province
    mover: Any  # a unit directly above grassroots with an active subtree of ~200 units
    mover_size: int
    move_to: Any  # another provincial federation
    past_largest: Any  # the federation with the largest subtree on PAST
    past_median: Any
    past_sizes: dict[str, int]
    officer: Any


def find_targets() -> Targets:
    from congdoan.accounts.models import Role, RoleGrant, User
    from congdoan.organisation.models import Unit, UnitVersion

    units = list(Unit.objects.values_list("path", "dissolved_on", "unit_type__code"))
    all_under = Counter(p[:8] for p, _, _ in units if len(p) >= 8)
    active_under = Counter(p[:12] for p, d, _ in units if len(p) >= 12 and d is None)
    province_paths = [p for p, d, t in units if t == "ldld_tinh" and d is None]
    province_paths.sort(key=lambda p: all_under[p])
    largest = Unit.objects.get(path=province_paths[-1])
    median = Unit.objects.get(path=province_paths[len(province_paths) // 2])
    sizes = {"largest": all_under[largest.path], "median": all_under[median.path]}
    leaf = (
        Unit.objects.filter(
            path__startswith=largest.path, depth=5, dissolved_on__isnull=True
        ).first()
        or Unit.objects.filter(path__startswith=largest.path).order_by("-depth").first()
    )
    candidates = [
        p for p, d, t in units if d is None and t in {"cd_xa", "cd_kcn", "cd_tct"} and len(p) == 12
    ]
    mover_path = min(candidates, key=lambda p: (abs(active_under[p] - MOVE_SIZE), p))
    mover = Unit.objects.get(path=mover_path)
    move_to = median if not mover.path.startswith(median.path) else largest
    past = Counter(
        p[:8]
        for p in UnitVersion.objects.on(PAST).filter(depth__gte=2).values_list("path", flat=True)
    )
    old_provinces = list(
        UnitVersion.objects.on(PAST)
        .filter(depth=2, unit_type__code="ldld_tinh")
        .select_related("unit")
        .order_by("path")
    )
    old_provinces.sort(key=lambda v: past[v.path])
    past_largest = old_provinces[-1].unit
    past_median = old_provinces[len(old_provinces) // 2].unit
    past_sizes = {
        "largest": past[old_provinces[-1].path],
        "median": past[old_provinces[len(old_provinces) // 2].path],
    }
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"full_name": "Cán bộ tỉnh"}
    )
    role = Role.objects.get(code="viewer")
    RoleGrant.objects.get_or_create(user=officer, role=role, unit=largest, revoked_at=None)
    return Targets(
        largest=largest,
        median=median,
        sizes=sizes,
        leaf=leaf,
        mover=mover,
        mover_size=active_under[mover_path],
        move_to=move_to,
        past_largest=past_largest,
        past_median=past_median,
        past_sizes=past_sizes,
        officer=officer,
    )


# ---------------------------------------------------------------------------------------------
# The benchmarks


def benchmarks(t: Targets, repeat: int, only: set[str] | None = None) -> list[Result]:
    """Run the benchmarks (those in `only`, if given)."""
    from django.db import transaction
    from django.utils import timezone

    from congdoan.core.scoping import clear_scope_cache, path_range_q
    from congdoan.organisation import selectors
    from congdoan.organisation.models import Unit, UnitVersion
    from congdoan.organisation.services import tree as services

    results: list[Result] = []

    def add(key: str, *args: Any, **kwargs: Any) -> None:
        if only is None or key in only:
            results.append(run(key, *args, **kwargs))

    def label(u: Any) -> str:
        return u.short_name or u.name

    columns = ("id", "path", "depth", "name", "unit_type_id", "dissolved_on")
    for which, prov in (("largest", t.largest), ("median", t.median)):
        add(
            f"subtree_rows_{which}",
            f"(a) selectors.subtree_rows: subtree of a province, current, all rows "
            f"({which}: {label(prov)})",
            20,
            lambda prov=prov: selectors.subtree_rows(prov),
            repeat,
        )
        add(
            f"subtree_models_{which}",
            f"(a) diagnostic: the same subtree as model instances ({which}: {label(prov)})",
            None,
            lambda prov=prov: list(Unit.objects.filter(path_range_q("path", prov.path))),
            repeat,
            note="diagnostic",
        )
    add(
        "subtree_values_largest",
        f"(a) diagnostic: the same subtree ({label(t.largest)}), 6 columns via values_list",
        None,
        lambda: list(
            Unit.objects.filter(path_range_q("path", t.largest.path)).values_list(*columns)
        ),
        repeat,
        note="diagnostic",
    )
    tree_fields = ("path", "depth", "parent_id", "name", "short_name", "unit_type_id")
    add(
        "subtree_only_largest",
        f"(a) diagnostic: the same subtree ({label(t.largest)}), model instances with "
        ".only(6 tree fields)",
        None,
        lambda: list(
            Unit.objects.filter(path_range_q("path", t.largest.path)).only(
                *tree_fields, "dissolved_on"
            )
        ),
        repeat,
        note="diagnostic",
    )
    add(
        "subtree_count_largest",
        f"(a) subtree of a province, current, count ({label(t.largest)})",
        20,
        lambda: Unit.objects.filter(path_range_q("path", t.largest.path)).count(),
        repeat,
    )
    add(
        "ancestors",
        f"(b) selectors.ancestors of a leaf (depth {t.leaf.depth}: {label(t.leaf)})",
        20,
        lambda: selectors.ancestors(t.leaf),
        repeat,
    )
    today = timezone.localdate()

    def move() -> int:
        with transaction.atomic():
            services.unit_move(actor=None, unit=t.mover, new_parent=t.move_to, day=today)
            transaction.set_rollback(True)
        return t.mover_size

    add(
        "move",
        f"(c) services.unit_move of a {t.mover_size}-unit subtree ({label(t.mover)} → "
        f"{label(t.move_to)}), rolled back",
        1000,
        move,
        max(5, repeat // 5),
        is_read=False,
    )
    for which, prov in (("largest", t.past_largest), ("median", t.past_median)):
        add(
            f"subtree_rows_on_{which}",
            f"(d) selectors.subtree_rows_on(province, {PAST:%d/%m/%Y}) ({which} then: "
            f"{label(prov)})",
            200,
            lambda prov=prov: selectors.subtree_rows_on(prov, PAST),
            repeat,
        )
        add(
            f"subtree_on_{which}",
            f"(d) diagnostic: selectors.subtree_on (model instances) ({which} then: {label(prov)})",
            None,
            lambda prov=prov: selectors.subtree_on(prov, PAST),
            repeat,
            note="diagnostic",
        )
    past_path = selectors.version_on(t.past_largest, PAST).path  # type: ignore[union-attr]
    add(
        "subtree_on_values_largest",
        f"(d) diagnostic: the same as-of subtree ({label(t.past_largest)}), 6 columns via "
        "values_list",
        None,
        lambda: list(
            UnitVersion.objects.on(PAST)
            .filter(path_range_q("path", past_path))
            .order_by("path")
            .values_list("unit_id", "path", "depth", "name", "unit_type_id", "valid_to")
        ),
        repeat,
        note="diagnostic",
    )
    add(
        "subtree_on_only_largest",
        f"(d) diagnostic: the same as-of subtree ({label(t.past_largest)}), model instances "
        "with .only(6 tree fields), no select_related",
        None,
        lambda: list(
            UnitVersion.objects.on(PAST)
            .filter(path_range_q("path", past_path))
            .order_by("path")
            .only("unit_id", *tree_fields)
        ),
        repeat,
        note="diagnostic",
    )
    add(
        "subtree_on_depth1_largest",
        f"(d) selectors.subtree_on(…, max_depth=1) ({label(t.past_largest)}: the unit and its "
        "children)",
        200,
        lambda: selectors.subtree_on(t.past_largest, PAST, max_depth=1),
        repeat,
    )

    def visible_count() -> int:
        clear_scope_cache(t.officer)  # a new request: the grants are read again
        return Unit.objects.visible_to(t.officer).filter(dissolved_on__isnull=True).count()

    def visible_page() -> list[Any]:
        clear_scope_cache(t.officer)
        qs = Unit.objects.visible_to(t.officer).filter(dissolved_on__isnull=True)
        return list(qs.select_related("unit_type")[:50])

    def visible_search() -> list[Any]:
        clear_scope_cache(t.officer)
        return selectors.search(t.officer, "truong tieu hoc")

    officer = f"officer of {label(t.largest)}"
    add(
        "visible_count",
        f"(e) Unit.objects.visible_to({officer}), active, count",
        20,
        visible_count,
        repeat,
        note="no goal given; held to the subtree goal",
    )
    add(
        "visible_page",
        f"(e) Unit.objects.visible_to({officer}), active, first page of 50",
        20,
        visible_page,
        repeat,
        note="no goal given; held to the subtree goal",
    )
    add(
        "visible_search",
        f"(e) selectors.search({officer}, 'truong tieu hoc'), 20 results",
        None,
        visible_search,
        repeat,
        note="no goal set",
    )
    return results


# Indexes proposed where a goal is missed; BENCH_TRY_INDEXES=1 creates them by hand, runs the
# benchmarks they concern again, and drops them (the models are not changed).
PROPOSED_INDEXES: dict[str, tuple[list[str], set[str]]] = {
    "bench_unit_search_trgm": (
        [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX bench_unit_search_trgm ON organisation_unit "
            "USING gin (search_text gin_trgm_ops)",
        ],
        {"visible_search"},
    ),
}


def table(results: list[Result], after: dict[str, Result] | None = None) -> str:
    head = "| operation | goal | median | p95 | database | queries | rows | result |"
    if after:
        head += " with proposed index: median / p95 / database |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        goal = "—" if r.goal_ms is None else f"< {r.goal_ms:g} ms"
        verdict = {True: "pass", False: "**FAIL**", None: "—"}[r.passed]
        db = "—" if r.db_ms is None else f"{r.db_ms:.1f} ms"
        line = (
            f"| {r.title} | {goal} | {r.median:.1f} ms | {r.p95:.1f} ms | {db} | {r.queries} | "
            f"{r.rows:,} | {verdict} |"
        )
        if after:
            a = after.get(r.key)
            if a is None:
                line += " |"
            else:
                adb = "—" if a.db_ms is None else f"{a.db_ms:.1f} ms"
                line += f" {a.median:.1f} / {a.p95:.1f} / {adb} |"
        lines.append(line)
    return "\n".join(lines)


def try_indexes(t: Targets, repeat: int) -> dict[str, Result]:
    from django.db import connection

    keys = set().union(*(k for _, k in PROPOSED_INDEXES.values()))
    with connection.cursor() as cursor:
        for sqls, _ in PROPOSED_INDEXES.values():
            for sql in sqls:
                print(f"  {sql}")
                cursor.execute(sql)
        cursor.execute("VACUUM (ANALYZE) organisation_unit, organisation_unitversion")
    try:
        return {r.key: r for r in benchmarks(t, repeat, keys)}
    finally:
        with connection.cursor() as cursor:
            for name in PROPOSED_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from congdoan.organisation.models import Unit, UnitVersion

    repeat = int(os.environ.get("BENCH_REPEAT", "50"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    n_units, n_versions = Unit.objects.count(), UnitVersion.objects.count()
    print(f"PostgreSQL {server}; {n_units:,} units, {n_versions:,} unit versions; repeat {repeat}")
    t = find_targets()
    print(
        f"  provinces: largest {t.largest} ({t.sizes['largest']:,} units), median {t.median} "
        f"({t.sizes['median']:,}); as of {PAST:%d/%m/%Y}: largest {t.past_largest} "
        f"({t.past_sizes['largest']:,}), median {t.past_median} ({t.past_sizes['median']:,})"
    )
    load_before = os.getloadavg()
    results = benchmarks(t, repeat)
    load_after = os.getloadavg()
    after = None
    if os.environ.get("BENCH_TRY_INDEXES") == "1":
        print("\nproposed indexes, created by hand for this run only:")
        after = try_indexes(t, repeat)
        load_after = os.getloadavg()

    print()
    print(table(results, after))
    print("\npass = p95 under the goal; database = server execution time of the same queries")
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}")

    show_all = os.environ.get("BENCH_EXPLAIN") == "1"
    for r in results:
        if r.is_read and (show_all or r.passed is False):
            print(f"\n== EXPLAIN (ANALYZE, BUFFERS): {r.title}")
            for sql in r.sql:
                print(f"-- {sql}\n{explain(sql)}\n")

    path = os.environ.get("BENCH_JSON")
    if path:
        data = {
            "server": server,
            "units": n_units,
            "versions": n_versions,
            "repeat": repeat,
            "load": [load_before, load_after],
            "results": [
                {
                    **{k: v for k, v in asdict(r).items() if k != "sql"},
                    "median": r.median,
                    "p95": r.p95,
                    "passed": r.passed,
                    "with_proposed_indexes": (
                        None
                        if not after or r.key not in after
                        else {"median": after[r.key].median, "p95": after[r.key].p95}
                    ),
                }
                for r in results
            ],
        }
        with open(path, "w") as fh:
            json.dump(data, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
