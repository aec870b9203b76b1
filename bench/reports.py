"""Benchmarks of a province's periodic report at national size, through the app's own code.

    python -m bench.reports year   # fill the year as bench.indicators does (figures + totals)
    python -m bench.reports        # measure, on a database with that year (exits 1 without it)

For the median province (by the number of units directly below it at the end of the year) and
the largest one (Hồ Chí Minh in the generated tree, ~3,300 units below), a draft report of the
year 2025 (`services.report_create` by an officer of the province), then each step timed on its
own, BENCH_REPORT_REPEAT times (default 3; a step whose first run takes BENCH_REPORT_SLOW seconds
or more, default 120, runs once):

- `selectors.report_facts(report, actor=officer)`: the figures of the province and of every unit
  below, ranks, clusters;
- `compose.compose(facts, options)`: the Document;
- `render_docx`, `render_pdf`, `render_annex_xlsx`;
- "DOCX from the data" = facts + compose + render_docx of the same run (goal, issue 13: median
  province < 3 s, largest < 10 s) and "PDF from the data" = facts + compose + render_pdf (< 10 s,
  < 60 s);
- `services.generation_start(actor=officer, report=…, background=False)`: the whole generation as
  the background task runs it, the three files stored.

Memory: the process's maximum resident set (`resource.getrusage`, a high-water mark) after each
step of the first run, and the `tracemalloc` peak of each step in one more run (steps whose
median is BENCH_REPORT_TRACE_LIMIT seconds or more, default 30, are not traced: tracing makes pure
Python several times slower). Also printed: the PDF's pages, the size of each file, the facts'
queries. BENCH_REPORT_PROFILE=median or largest profiles one run of each step of that province
at the end (cProfile, the functions taking most time). BENCH_JSON_REPORTS=file writes the
results.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.indicators import YEAR
from bench.tree import Result, table

GOALS_MS = {  # issue 13: (DOCX, PDF) from the data
    "median": (3_000, 10_000),
    "largest": (10_000, 60_000),
}
STEPS = ("facts", "compose", "docx", "pdf", "xlsx")


@dataclass
class Target:
    which: str  # "median" or "largest"
    unit: Any
    below: int  # units directly below at the period end
    officer: Any


@dataclass
class Run:
    """The timed runs of every step: seconds of each run, the first run's outputs."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    out: dict[str, Any] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    rss_mb: dict[str, float] = field(default_factory=dict)
    queries: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# The data


def year_period() -> Any:
    from congdoan.indicators.models import Period

    return Period.objects.filter(kind="year", year=YEAR).order_by("pk").first()


def year_ready(period: Any) -> tuple[bool, str]:
    """Whether bench.indicators filled the year: values and roll-up totals."""
    from congdoan.indicators.models import Total, Value

    if period is None:
        return False, f"no year period {YEAR}"
    if not Value.objects.filter(period=period).exists():
        return False, f"no figures for {period.name}"
    if not Total.objects.filter(period=period).exists():
        return False, f"no roll-up totals for {period.name}"
    return True, ""


def fill(seed: int) -> None:
    """The indicators suite's data: bench.indicators.generate, then the first rebuild."""
    from django.db import connection

    from bench.indicators import generate
    from congdoan.indicators import rollup
    from congdoan.indicators.models import Total

    t0 = time.perf_counter()
    g = generate(seed)
    s = g["seconds"]
    print(
        f"  {g['units']:,} units, {g['counts']['values']:,} values; COPY {s['copy']} s, "
        f"indexes {s['indexes']} s, VACUUM ANALYZE {s['analyze']} s"
    )
    period = g["period"]
    if not Total.objects.filter(period=period).exists():
        t1 = time.perf_counter()
        written = rollup.rebuild([period])
        print(f"  rollup.rebuild: {written:,} totals in {time.perf_counter() - t1:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) indicators_total, indicators_sheet, indicators_value")
    print(f"  the year ready in {time.perf_counter() - t0:.0f} s")


def provinces(period: Any) -> list[tuple[Any, int]]:
    """Provincial federations active at the period end with their units directly below, fewest
    first."""
    from django.db import connection

    from congdoan.organisation.models import Unit

    units = {
        u.pk: u
        for u in Unit.objects.filter(
            depth=2, dissolved_on__isnull=True, unit_type__code="ldld_tinh"
        )
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT parent_id, COUNT(*) FROM organisation_unitversion "
            "WHERE valid_from <= %s AND (valid_to IS NULL OR valid_to > %s) "
            "AND parent_id = ANY(%s) GROUP BY parent_id",
            [period.end, period.end, list(units)],
        )
        below = dict(cursor.fetchall())
    return sorted(((u, below.get(pk, 0)) for pk, u in units.items()), key=lambda x: x[1])


def targets(period: Any) -> list[Target]:
    from congdoan.accounts.models import Role, RoleGrant, User

    found = provinces(period)
    role = Role.objects.get(code="federation_admin")
    out = []
    for which, (unit, below) in (("median", found[len(found) // 2]), ("largest", found[-1])):
        user, _ = User.objects.get_or_create(
            username=f"bench-reports-{which}", defaults={"full_name": f"bench {which}"}
        )
        RoleGrant.objects.get_or_create(user=user, role=role, unit=unit, revoked_at=None)
        out.append(Target(which, unit, below, user))
    return out


# ---------------------------------------------------------------------------------------------
# The steps


def steps(report: Any, officer: Any) -> dict[str, Callable[[dict[str, Any]], Any]]:
    """Each step reads what the steps before it left in `state`."""
    from congdoan.core.scoping import clear_scope_cache
    from congdoan.reports import selectors
    from congdoan.reports.compose import compose
    from congdoan.reports.facts import Options
    from congdoan.reports.render import render_annex_xlsx, render_docx, render_pdf

    options = Options(language=report.language, signer_name=selectors.current_chair(report.unit))

    def facts(state: dict[str, Any]) -> Any:
        clear_scope_cache(officer)
        return selectors.report_facts(report, actor=officer)

    return {
        "facts": facts,
        "compose": lambda s: compose(s["facts"], options, draft=True),
        "docx": lambda s: render_docx(s["compose"]),
        "pdf": lambda s: render_pdf(s["compose"]),
        "xlsx": lambda s: render_annex_xlsx(s["compose"]),
    }


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def timed_runs(fns: dict[str, Callable[[dict[str, Any]], Any]], repeat: int, slow_s: float) -> Run:
    """`repeat` runs of every step, but a step whose first run took `slow_s` or more runs once;
    the outputs are the first run's, with the process's max RSS after each step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = Run(seconds={n: [] for n in fns})
    for i in range(repeat):
        state: dict[str, Any] = {}
        for name, fn in fns.items():
            if i and run.seconds[name][0] >= slow_s:
                state[name] = run.out[name]
                continue
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                state[name] = fn(state)
                run.seconds[name].append(time.perf_counter() - t0)
            if not i:
                run.out[name], run.rss_mb[name] = state[name], max_rss_mb()
                run.queries[name] = len(ctx.captured_queries)
        print(
            f"    run {i + 1}: " + ", ".join(f"{n} {s[-1]:.2f} s" for n, s in run.seconds.items())
        )
        sys.stdout.flush()
    return run


def traced(run: Run, fns: dict[str, Callable[[dict[str, Any]], Any]], limit_s: float) -> None:
    """tracemalloc peak of each step, from the first run's inputs; a step whose median time is
    `limit_s` or more is left out (tracing makes pure Python several times slower)."""
    for name, fn in fns.items():
        if statistics.median(run.seconds[name]) >= limit_s:
            continue
        tracemalloc.start()
        fn(dict(run.out))
        run.peak_mb[name] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print("    tracemalloc peak: " + ", ".join(f"{n} {m:.0f} MB" for n, m in run.peak_mb.items()))
    sys.stdout.flush()


def end_to_end(report: Any, officer: Any, repeat: int, slow_s: float) -> tuple[list[float], Any]:
    from congdoan.core.scoping import clear_scope_cache
    from congdoan.reports import services
    from congdoan.reports.models import GenerationState

    times: list[float] = []
    gen = None
    for _ in range(repeat):
        if times and times[0] >= slow_s * 1000:
            break
        clear_scope_cache(officer)
        t0 = time.perf_counter()
        gen = services.generation_start(actor=officer, report=report, background=False)
        times.append((time.perf_counter() - t0) * 1000)
        if gen.state != GenerationState.DONE:
            raise RuntimeError(f"generation {gen.pk} ended {gen.state}: {gen.error[:2000]}")
        print(f"    generation_start v{gen.version}: {times[-1] / 1000:.2f} s")
        sys.stdout.flush()
    return times, gen


def profile(fns: dict[str, Callable[[dict[str, Any]], Any]], limit: int = 25) -> None:
    """One run of each step under cProfile: the functions with the most time."""
    state: dict[str, Any] = {}
    for name, fn in fns.items():
        prof = cProfile.Profile()
        prof.enable()
        state[name] = fn(state)
        prof.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats(order).print_stats(limit)
            body = out.getvalue()
            start = body.find("   ncalls")
            print(f"--- profile of {name}, by {order}")
            print(body[start:].rstrip() if start >= 0 else body.rstrip())
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# One province


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def describe(t: Target, run: Run) -> dict[str, Any]:
    facts, doc = run.out["facts"], run.out["compose"]
    info = {
        "province": t.unit.name,
        "units_below": t.below,
        "annex_rows": sum(len(b.rows) for b in facts.units_below),
        "results": sum(len(p.results) for p in facts.periods),
        "annex_tables": len(doc.annex),
        "facts_queries": run.queries["facts"],
        "pdf_pages": pdf_pages(run.out["pdf"]),
        "bytes": {k: len(run.out[k]) for k in ("docx", "pdf", "xlsx")},
        "runs": {k: len(v) for k, v in run.seconds.items()},
    }
    b = info["bytes"]
    print(
        f"  {info['results']} results, {info['annex_rows']:,} annex rows, "
        f"{info['facts_queries']} queries for the facts; PDF {info['pdf_pages']} pages; "
        f"DOCX {b['docx'] / 1000:,.0f} kB, PDF {b['pdf'] / 1000:,.0f} kB, "
        f"XLSX {b['xlsx'] / 1000:,.0f} kB"
    )
    return info


TITLES = {
    "facts": "selectors.report_facts",
    "compose": "compose",
    "docx": "render_docx",
    "pdf": "render_pdf",
    "xlsx": "render_annex_xlsx",
}


def results_of(t: Target, run: Run, e2e: list[float]) -> list[Result]:
    name = t.unit.short_name or t.unit.name
    where = f"{name} ({t.which}, {t.below:,} below)"
    ms = {s: [x * 1000 for x in run.seconds[s]] for s in STEPS}
    out = [
        Result(f"{t.which}_{s}", f"{where}: {TITLES[s]}", None, ms[s], 0, 0, is_read=False)
        for s in STEPS
    ]
    for fmt, goal in zip(("docx", "pdf"), GOALS_MS[t.which], strict=True):
        n = min(len(ms["facts"]), len(ms["compose"]), len(ms[fmt]))
        total = [ms["facts"][i] + ms["compose"][i] + ms[fmt][i] for i in range(n)]
        title = f"{where}: **{fmt.upper()} from the data** (facts + compose + render)"
        out.append(Result(f"{t.which}_{fmt}_data", title, goal, total, 0, 0, is_read=False))
    if e2e:
        title = f"{where}: generation_start(background=False), the three files stored"
        out.append(Result(f"{t.which}_generation", title, None, e2e, 0, 0, is_read=False))
    return out


def bench_province(t: Target, period: Any, repeat: int) -> tuple[list[Result], dict[str, Any]]:
    from congdoan.reports import services

    slow_s = float(os.environ.get("BENCH_REPORT_SLOW", "120"))
    report = services.report_create(
        actor=t.officer, unit=t.unit, period=period, title=f"Benchmark {t.which}"
    )
    fns = steps(report, t.officer)
    print(f"{t.unit.name}: {t.below:,} units below; {repeat} timed runs (one if over {slow_s} s)")
    sys.stdout.flush()
    run = timed_runs(fns, repeat, slow_s)
    info = describe(t, run)
    print("  end to end:")
    try:
        e2e, gen = end_to_end(report, t.officer, repeat, slow_s)
    except Exception as exc:  # the steps' figures stand; the failure is printed and kept
        print(f"    generation_start FAILED\n{traceback.format_exc()}")
        e2e, gen, info["generation_error"] = [], None, str(exc)
    info["max_rss_mb_after_generation"] = round(max_rss_mb(), 1)
    info["generation_pending_units"] = gen.pending_units if gen is not None else None
    traced(run, fns, float(os.environ.get("BENCH_REPORT_TRACE_LIMIT", "30")))
    info["tracemalloc_peak_mb"] = {k: round(v, 1) for k, v in run.peak_mb.items()}
    info["max_rss_mb"] = {k: round(v, 1) for k, v in run.rss_mb.items()}
    if os.environ.get("BENCH_REPORT_PROFILE", "0") == t.which:
        info["profile"] = fns  # profiled at the end, after every timing
    return results_of(t, run, e2e), info


# ---------------------------------------------------------------------------------------------


def memory_table(infos: list[dict[str, Any]]) -> str:
    lines = [
        "| province | " + " | ".join(STEPS) + " |",
        "|---|" + "---|" * len(STEPS),
    ]
    for info in infos:
        peak = info["tracemalloc_peak_mb"]
        rss = info["max_rss_mb"]
        cells = [
            (f"{peak[s]:.0f} MB" if s in peak else "not traced") + f" / {rss[s]:.0f} MB"
            for s in STEPS
        ]
        lines.append(f"| {info['province']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_json(path: str, server: str, results: list[Result], infos: list[Any], load: Any) -> None:
    data = {
        "server": server,
        "repeat": len(results[0].times_ms) if results else 0,
        "load": load,
        "provinces": infos,
        "results": [
            {**asdict(r), "median": r.median, "p95": r.p95, "passed": r.passed} for r in results
        ],
    }
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1, default=str)


def main() -> None:
    import django

    django.setup()
    if sys.argv[1:] == ["year"]:
        fill(int(os.environ.get("BENCH_SEED", "2025")))
        return
    from django.db import connection

    period = year_period()
    ok, why = year_ready(period)
    if not ok:
        print(
            f"bench.reports: {why}. Fill the year first: `python -m bench.reports year` "
            "(or BENCH_SUITE=reports scripts/bench.sh).",
            file=sys.stderr,
        )
        sys.exit(1)
    repeat = int(os.environ.get("BENCH_REPORT_REPEAT", "3"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    load_before = os.getloadavg()
    print(f"PostgreSQL {server}; reports of {period.name}, {repeat} timed runs per step")
    results: list[Result] = []
    infos = []
    for t in targets(period):
        try:
            found, info = bench_province(t, period, repeat)
        except Exception:  # a failure at scale is a finding: print it, go on
            print(f"{t.unit.name}: FAILED\n{traceback.format_exc()}")
            continue
        results += found
        infos.append(info)
    load_after = os.getloadavg()
    print()
    print(table(results))
    print("\npass = the slowest run under the goal (p95 of a few runs)")
    print("\nmemory: tracemalloc peak of the step / process max RSS after it (first run)\n")
    print(memory_table(infos))
    print(f"\nload average (1, 5, 15 min): before {load_before}, after {load_after}")
    for info in infos:
        if "profile" in info:
            print(f"\ncProfile of one run of each step, {info['province']}:")
            profile(info.pop("profile"))
    path = os.environ.get("BENCH_JSON_REPORTS")
    if path:
        write_json(path, server, results, infos, [load_before, load_after])
        print(f"results also in {path}")


if __name__ == "__main__":
    main()
