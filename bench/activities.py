"""Benchmarks of the activity registers (issue 14) at national size, through the app's own code.

    python -m bench.activities    # on a database filled by bench.generate + bench.generate_members

First the year of records of `bench.generate_activities` (reused when present), then the
roll-up of the year rebuilt once (the keeping units' entries were removed), then:

(a) import: BENCH_IMPORT_RUNS files (default 2) of BENCH_IMPORT_ROWS care records (default
    100,000; the care template's columns; spread over up to 2,000 grassroots unions of the
    largest province, six rows in ten to a member by card number) through the real engine,
    `activities.imports.run(care SPEC, …)` as an officer of the province: stored, read, checked
    row by row against the register's rules, written all or nothing with history rows and import
    keys. Goal ≥ 10,000 rows/s end to end; the engine reports no stages, so each of its steps is
    timed by wrapping it (`unittest.mock.patch`: the same code runs). BENCH_IMPORT=0 skips it.
(b) lists, as an officer of the largest and of the median province, for care, initiatives and
    inspections, the default list and `?unit=<province>&period=<year>` (where a figure links):
    the first page through the list's own filter and queryset (50 rows + 1, as its paginator
    reads them), and the whole page through Django's test client (table and filters). Goal
    < 100 ms; the care list's totals by campaign, a fragment the page loads after it
    (`care:totals`), are timed too, goal < 1 s; reads that miss it get their EXPLAIN (ANALYZE, BUFFERS), pages
    one more run telling the time spent in their statements, with the plans of the three
    slowest.
(c) the derived indicators of the whole country: `indicators.selectors.figures([root], year)`
    for every indicator naming a register's definition (each register alone too), and
    `rollup.rebuild([year])` followed by that read, goal < 10 s together; when missed, the plans
    of the slowest queries. Two figures are checked against direct counts over the tables.

The import files are written by `bench.generate_activities.import_file`. BENCH_REPEAT (default
20) runs per read after warm-up; (c) runs max(3, BENCH_REPEAT // 10) times. BENCH_EXPLAIN=1
prints the plans of every read.
BENCH_JSON_ACTIVITIES=file writes the results.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from functools import partial
from types import SimpleNamespace
from typing import Any
from unittest import mock

from bench.generate_activities import (
    REGISTERS,
    describe,
    generate,
    import_file,
    import_units,
)
from bench.indicators import timed
from bench.tree import Result, explain, run, table

IMPORT_GOAL = 10_000  # rows/s
LIST_GOAL_MS = 100
TOTALS_GOAL_MS = 1000  # the care list's totals by campaign, loaded after the page
DERIVED_GOAL_MS = 10_000
PER_PAGE = 50


def targets() -> dict[str, Any]:
    """The largest and the median provincial federation by active units, an officer of each."""
    from django.db import connection

    from congdoan.accounts.models import Role, RoleGrant, User
    from congdoan.organisation.models import Unit

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(path, 1, 8), COUNT(*) FROM organisation_unit "
            "WHERE dissolved_on IS NULL GROUP BY 1"
        )
        size = dict(cursor.fetchall())
    provinces = sorted(
        Unit.objects.filter(depth=2, dissolved_on__isnull=True, unit_type__code="ldld_tinh"),
        key=lambda u: (size.get(u.path, 0), u.path),
    )
    role = Role.objects.get(code="federation_admin")
    out: dict[str, Any] = {"root": Unit.objects.get(depth=1), "sizes": {}}
    for which, unit in (("largest", provinces[-1]), ("median", provinces[len(provinces) // 2])):
        user, _ = User.objects.get_or_create(
            username=f"bench-activities-{which}", defaults={"full_name": f"bench {which}"}
        )
        RoleGrant.objects.get_or_create(user=user, role=role, unit=unit, revoked_at=None)
        out[which], out[f"officer_{which}"] = unit, user
        out["sizes"][which] = size.get(unit.path, 0)
    return out


# ---------------------------------------------------------------------------------------------
# (a) import


class Stages:
    """Seconds spent in each wrapped step of the engine (nested steps are indented)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed_step(*args: Any, **kwargs: Any) -> Any:
            self.seconds.setdefault(name, 0.0)  # listed in the order the steps start
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - t0

        return timed_step

    @contextmanager
    def patched(self) -> Iterator[None]:
        from congdoan.activities import import_engine as eng
        from congdoan.activities import import_uploads as up
        from congdoan.activities import imports as im

        steps = [
            (up, "upload_create", "store the upload (file, sha256)"),
            (eng, "read_file", "read the file (calamine)"),
            (eng, "_parse_columns", "parse the cells, column by column"),
            (eng, "_resolve_units", "resolve the unit codes"),
            (eng, "_key_rows", "keys: hash, repeats, already imported"),
            (eng, "_finish", "counts and preview"),
            (eng, "insert_rows", "store the import keys (COPY)"),
            (up, "_save", "save the result"),
            (eng, "copy_history", "    of which history rows, both tables (INSERT … SELECT)"),
        ]
        bulk = im.bulk_write

        def bulk_write(model: Any, objects: Any, ctx: Any, **kwargs: Any) -> Any:
            step = self.wrap(f"  write: {model.__name__} rows and their history", bulk)
            return step(model, objects, ctx, **kwargs)

        with ExitStack() as stack:
            for module, attr, name in steps:
                wrapped = self.wrap(name, getattr(module, attr))
                stack.enter_context(mock.patch.object(module, attr, wrapped))
            stack.enter_context(mock.patch.object(im, "bulk_write", bulk_write))
            yield

    def spec(self) -> Any:
        from congdoan.care.imports import SPEC

        assert SPEC.prepare is not None
        return dataclasses.replace(
            SPEC,
            prepare=self.wrap("prepare: members, campaigns, the register's rules", SPEC.prepare),
            write=self.wrap("write (records, funding lines, history)", SPEC.write),
        )


def bench_import(t: dict[str, Any]) -> list[dict[str, Any]]:
    from congdoan.activities import imports
    from congdoan.activities.models import ImportUpload

    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    runs = int(os.environ.get("BENCH_IMPORT_RUNS", "2"))
    units = import_units(t["largest"])
    print(f"  {len(units):,} grassroots unions of {t['largest'].short_name}")
    out = []
    first = ImportUpload.objects.count()  # new rows on a database imported into before
    for seed in range(first + 1, first + runs + 1):
        g0 = time.perf_counter()
        data = import_file(rows, seed, units)
        made = time.perf_counter() - g0
        print(f"  file {seed}: {rows:,} rows, {len(data) / 1e6:.1f} MB (made in {made:.1f} s)")
        stages = Stages()
        with stages.patched():
            t0 = time.perf_counter()
            result = imports.run(
                stages.spec(),
                f"cham-lo-{seed}.xlsx",
                data,
                actor=t["officer_largest"],
                unit=t["largest"],
            )
            total = time.perf_counter() - t0
        if not result.committed:
            print(f"  import FAILED: {result.errors_total:,} errors, first: {result.errors[:5]}")
            out.append({"seed": seed, "ok": False, "errors": [str(e) for e in result.errors[:20]]})
            continue
        top = sum(s for name, s in stages.seconds.items() if not name.startswith(" "))
        stages.seconds["rest: transaction, lock, commit (deferred foreign-key checks)"] = (
            total - top
        )
        rate = result.rows / total
        print(f"  import {seed}: {result.new:,} created in {total:.2f} s = {rate:,.0f} rows/s")
        for name, s in stages.seconds.items():
            print(f"    {name}: {s:.2f} s")
        sys.stdout.flush()
        out.append(
            {
                "seed": seed,
                "ok": True,
                "rows": result.rows,
                "created": result.new,
                "seconds": round(total, 3),
                "rows_per_second": round(rate),
                "stages": {k: round(v, 3) for k, v in stages.seconds.items()},
            }
        )
    return out


# ---------------------------------------------------------------------------------------------
# (b) lists


def list_kinds() -> list[tuple[str, str, Any, Callable[[Any], Any]]]:
    from congdoan.care import selectors as care
    from congdoan.care.filters import CareFilter
    from congdoan.initiatives import selectors as initiatives
    from congdoan.initiatives.filters import InitiativeFilter
    from congdoan.inspections import selectors as inspections
    from congdoan.inspections.filters import InspectionFilter

    return [
        ("care", "care:list", CareFilter, care.records_visible),
        ("initiatives", "initiatives:list", InitiativeFilter, initiatives.initiatives_visible),
        ("inspections", "inspections:list", InspectionFilter, inspections.inspections_visible),
    ]


def first_page(
    filterset: Any, visible: Callable[[Any], Any], user: Any, params: dict[str, str]
) -> list[Any]:
    """What the list view reads for its first page: its filter over its queryset."""
    from congdoan.core.scoping import clear_scope_cache

    clear_scope_cache(user)  # every run is a new request: the grants are read again
    fs = filterset(params or None, queryset=visible(user), request=SimpleNamespace(user=user))
    assert not fs.is_bound or fs.is_valid(), fs.errors
    return list(fs.qs[: PER_PAGE + 1])


def page_reader(client: Any, url: str, params: dict[str, str]) -> Callable[[], list[Any]]:
    def page() -> list[Any]:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return [response]

    return page


def bench_lists(
    t: dict[str, Any], period: Any, repeat: int
) -> tuple[list[Result], dict[str, Callable[[], Any]]]:
    """Each register's first page and whole page, for both provinces, as the default list and
    as the records behind the province's figure of the year."""
    from django.test import Client
    from django.urls import reverse

    results: list[Result] = []
    pages: dict[str, Callable[[], Any]] = {}
    for which in ("largest", "median"):
        unit, user = t[which], t[f"officer_{which}"]
        client = Client()
        client.force_login(user)
        where = f"{unit.short_name} ({which}, {t['sizes'][which]:,} units)"
        for code, url_name, filterset, visible in list_kinds():
            for how, params in (
                ("list", {}),
                ("figure", {"unit": str(unit.pk), "period": str(period.pk)}),
            ):
                what = f"(b) {code}, {where}, " + (
                    "default list" if how == "list" else "?unit=province&period=year"
                )
                reader = partial(first_page, filterset, visible, user, params)
                key = f"{code}_{which}_{how}"
                results.append(
                    run(f"{key}_first_page", f"{what}: first page", LIST_GOAL_MS, reader, repeat)
                )
                page = page_reader(client, reverse(url_name), params)
                found = run(f"{key}_page", f"{what}: the page", LIST_GOAL_MS, page, repeat,
                            is_read=False)  # fmt: skip
                found.queries = len(statements(page))  # the client resets Django's query log
                results.append(found)
                pages[found.key] = page
                if code == "care":
                    totals = page_reader(client, reverse("care:totals"), params)
                    found = run(f"{key}_totals", f"{what}: totals by campaign (fragment)",
                                TOTALS_GOAL_MS, totals, repeat, is_read=False)  # fmt: skip
                    found.queries = len(statements(totals))
                    results.append(found)
                    pages[found.key] = totals
    return results, pages


# ---------------------------------------------------------------------------------------------
# (c) derived indicators of the country


def register_indicators() -> dict[str, list[Any]]:
    from congdoan.activities import registers
    from congdoan.indicators import derived
    from congdoan.indicators.models import Indicator

    derived.definitions()
    return {
        code: list(Indicator.objects.filter(derivation__in=reg.definitions).order_by("order"))
        for code, reg in registers.REGISTERS.items()
    }


def figs_of(root: int, period: Any, inds: list[Any]) -> dict[int, Any]:
    from congdoan.indicators import selectors

    return selectors.figures([root], period, inds)


def bench_derived(
    t: dict[str, Any], period: Any, repeat: int
) -> tuple[list[Result], dict[str, Any]]:
    from congdoan.indicators import rollup

    root = t["root"].pk
    by_register = register_indicators()
    every = [i for inds in by_register.values() for i in inds]
    slow = max(3, repeat // 10)
    results = []

    def read(key: str, title: str, fn: Callable[[], Any]) -> Result:
        queries = len(statements(fn))  # also the warm-up run
        found = timed(key, f"{title} ({queries} queries)", None, fn, slow)
        found.queries = queries
        return found

    for code, inds in by_register.items():
        if inds:
            title = f"(c) figures([root], year): {code}, {len(inds)} indicators"
            results.append(read(f"derived_{code}", title, partial(figs_of, root, period, inds)))
    figures_all = partial(figs_of, root, period, every)
    title = f"(c) figures([root], year): every register's {len(every)} indicators"
    results.append(read("derived_all", title, figures_all))
    parts: dict[str, list[float]] = {"rebuild": [], "figures": [], "together": []}
    for _ in range(slow):
        t0 = time.perf_counter()
        rollup.rebuild([period])
        t1 = time.perf_counter()
        figs = figures_all()
        t2 = time.perf_counter()
        for k, s in (("rebuild", t1 - t0), ("figures", t2 - t1), ("together", t2 - t0)):
            parts[k].append(s * 1000)
    titles = {
        "rebuild": (None, f"(c) rollup.rebuild([{period.name}])"),
        "figures": (None, "(c) then figures([root], year) of every register's indicators"),
        "together": (DERIVED_GOAL_MS, "(c) **rebuild + derived indicators of the country**"),
    }
    for k, (goal, title) in titles.items():
        r = Result(f"derived_{k}", title, goal, parts[k], 0, 0, is_read=False)
        print(f"  {title}: median {r.median:.0f} ms, p95 {r.p95:.0f} ms ({slow} runs)")
        results.append(r)
    return results, {
        "figures": figs[root],
        "figures_all": figures_all,
        "together": lambda: (rollup.rebuild([period]), figures_all()),
    }


def checks(figs: dict[str, Any], period: Any) -> list[str]:
    """Two national figures against direct counts over the register tables."""
    from django.db import connection

    kept = (
        "EXISTS (SELECT 1 FROM activities_keeping k WHERE k.unit_id = r.unit_id AND "
        "k.register = %s AND k.from_year <= %s AND (k.until_year IS NULL OR k.until_year >= %s))"
    )
    y = period.end.year
    found = []
    with connection.cursor() as cursor:
        for code, sql, register, use_from_records in (
            (
                "bua_com_cd",
                "SELECT COUNT(*) FROM care_carerecord r WHERE r.kind = 'meal' AND "
                "r.counted_on BETWEEN %s AND %s AND ",
                "care",
                False,
            ),
            (
                "kt_tai_chinh_cuoc",
                "SELECT COUNT(*) FROM inspections_inspection r WHERE "
                "r.kind = 'finance' AND r.started_on BETWEEN %s AND %s AND ",
                "inspections",
                True,
            ),
        ):
            cursor.execute(sql + kept, [period.start, period.end, register, y, y])
            direct = int(cursor.fetchone()[0])
            fig = figs.get(code)
            got = None if fig is None else (fig.from_records if use_from_records else fig.value)
            ok = got is not None and int(got) == direct
            found.append(
                f"{code}: figure {got}, direct count {direct:,}: {'ok' if ok else 'DIFFER'}"
            )
    return found


# ---------------------------------------------------------------------------------------------
# Plans


def statements(fn: Callable[[], Any]) -> list[tuple[float, str, Any]]:
    """The statements of one run of `fn`: (ms, sql, params)."""
    from django.db import connection

    seen: list[tuple[float, str, Any]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append(((time.perf_counter() - t0) * 1000, sql, params))

    with connection.execute_wrapper(timer):
        fn()
    return seen


def plan(sql: str, params: Any) -> str:
    from django.db import connection

    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return "(not a read: no plan)"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(r[0] for r in cursor.fetchall())


def print_plans(results: list[Result], reruns: dict[str, Callable[[], Any]]) -> None:
    show_all = os.environ.get("BENCH_EXPLAIN") == "1"
    for r in results:
        if r.is_read and r.sql and (show_all or r.passed is False):
            print(f"\n== EXPLAIN (ANALYZE, BUFFERS): {r.title}")
            for sql in r.sql:
                print(f"-- {sql[:1500]}\n{explain(sql)}\n")
        elif r.passed is False and r.key in reruns:
            t0 = time.perf_counter()
            found = statements(reruns[r.key])
            total = (time.perf_counter() - t0) * 1000
            spent = sum(ms for ms, _sql, _p in found)
            print(f"\n== one more run of {r.title}: {total:.0f} ms, of which {len(found)} "
                  f"statements {spent:.0f} ms (executing, with the driver); the slowest:")  # fmt: skip
            for ms, sql, params in sorted(found, key=lambda f: -f[0])[:3]:
                print(f"-- {ms:.1f} ms: {sql[:1500]}\n{plan(sql, params)}\n")


# ---------------------------------------------------------------------------------------------


def rebuild_first(period: Any) -> None:
    from django.db import connection

    from congdoan.indicators import rollup

    t0 = time.perf_counter()
    written = rollup.rebuild([period])
    print(
        f"  rollup.rebuild of {period.name}: {written:,} totals in {time.perf_counter() - t0:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) indicators_total")


def write_json(path: str, data: dict[str, Any], results: list[Result]) -> None:
    data["results"] = [
        {
            **{k: v for k, v in asdict(r).items() if k != "sql"},
            "median": r.median,
            "p95": r.p95,
            "passed": r.passed,
        }
        for r in results
    ]
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1, default=str)
    print(f"results also in {path}")


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    repeat = int(os.environ.get("BENCH_REPEAT", "20"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    load_before = os.getloadavg()
    print(f"PostgreSQL {server}; the activity registers' year ({', '.join(REGISTERS)})…")
    sys.stdout.flush()
    g = generate(int(os.environ.get("BENCH_SEED", "2025")))
    describe(g)
    period = g["period"]
    rebuild_first(period)
    t = targets()
    print(
        f"provinces: largest {t['largest'].short_name} ({t['sizes']['largest']:,} units), "
        f"median {t['median'].short_name} ({t['sizes']['median']:,}); repeat {repeat}"
    )
    imported: list[dict[str, Any]] = []
    if os.environ.get("BENCH_IMPORT", "1") == "1":
        print("(a) import of care records:")
        imported = bench_import(t)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) care_carerecord, care_funding, activities_importkey")
    print("(b) lists:")
    results, reruns = bench_lists(t, period, repeat)
    print("(c) derived indicators of the country:")
    derived, found = bench_derived(t, period, repeat)
    results += derived
    reruns["derived_all"] = found["figures_all"]
    reruns["derived_together"] = found["together"]
    verdicts = checks(found["figures"], period)
    load_after = os.getloadavg()
    print()
    for rate in imported:
        verdict = "pass" if rate.get("rows_per_second", 0) >= IMPORT_GOAL else "**FAIL**"
        print(
            f"(a) import {rate['seed']}: {rate.get('rows_per_second', 0):,} rows/s "
            f"(goal ≥ {IMPORT_GOAL:,}): {verdict}"
        )
    print()
    print(table(results))
    print("\npass = p95 under the goal; database = server execution time of the same queries")
    print("checks: " + "; ".join(verdicts))
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}")
    print_plans(results, reruns)
    path = os.environ.get("BENCH_JSON_ACTIVITIES")
    if path:
        data = {
            "server": server,
            "repeat": repeat,
            "load": [load_before, load_after],
            "generation": {k: g[k] for k in ("sizes", "units", "counts", "figures", "seconds")},
            "imports": imported,
            "checks": verdicts,
        }
        write_json(path, data, results)


if __name__ == "__main__":
    main()
