#!/usr/bin/env bash
# Benchmarks on a throwaway PostgreSQL server (see docs/benchmarks.md): the organisation tree,
# the member registry and (on request) the indicator engine.
#
#   scripts/bench.sh                        # national size: ~130,000 units, 1,000,000 members
#   BENCH_SUITE=tree scripts/bench.sh       # only the tree
#   BENCH_SUITE=indicators scripts/bench.sh # the tree, then ~5 million figures of a year and
#                                           # the roll-up benchmarks (bench/indicators.py);
#                                           # BENCH_WITH_MEMBERS=1: with BENCH_MEMBERS members
#                                           # too (the dashboards' member counts)
#   BENCH_SUITE=reports scripts/bench.sh    # the tree and the indicators suite's year (figures
#                                           # and totals: `python -m bench.reports year`), then
#                                           # a province's report (bench/reports.py): facts,
#                                           # compose, DOCX / PDF / XLSX, the whole generation,
#                                           # median and largest province; BENCH_REPORT_REPEAT
#                                           # timed runs (default 3), BENCH_REPORT_PROFILE=
#                                           # median|largest: cProfile of one run at the end;
#                                           # BENCH_WITH_MEMBERS=1 as for indicators
#   BENCH_SUITE=activities scripts/bench.sh # the tree, BENCH_MEMBERS members, the indicators
#                                           # suite's year (BENCH_WITH_FIGURES=0: only the
#                                           # registers' entered figures), a year of records
#                                           # (bench/generate_activities.py: ~5 million care
#                                           # records, 1 million initiatives, 200,000
#                                           # inspections, SQL), then bench/activities.py: care
#                                           # import, register lists, derived indicators
#   BENCH_SUITE=awards scripts/bench.sh     # bench/awards.py: a province's year-end decision
#                                           # with 500 recipients, as DOCX and certificates
#                                           # (its own small tree, no national one)
#   BENCH_UNITS=5000 BENCH_MEMBERS=50000 BENCH_IMPORT_ROWS=5000 BENCH_REPEAT=10 scripts/bench.sh
#                                           # a quick small run
#
# Options (environment):
#   BENCH_SUITE    tree, members, indicators, reports, activities, awards or all (default
#                  all = tree and members); the other suites but awards generate the tree too
#   BENCH_UNITS    units to generate (default 130000)
#   BENCH_MEMBERS  members to generate (default 1000000; bench/generate_members.py)
#   BENCH_IMPORT_ROWS / BENCH_IMPORT_RUNS   rows of each import file (default 100000) and files
#                  imported (default 2), members or (activities suite) care records;
#                  BENCH_IMPORT=0 skips the import benchmark
#   BENCH_CARE_RECORDS / BENCH_INITIATIVES / BENCH_INSPECTIONS   records of the activities suite
#                  (default 5000000 / 1000000 / 200000 at 130,000 units, proportionally fewer
#                  for a smaller BENCH_UNITS); BENCH_KEEPING share of the units keeping each
#                  register (default 0.8), the others enter its figures
#   BENCH_PG_MEMORY  shared_buffers of the throwaway server for the members suite (default 2GB)
#   BENCH_SEED     random seed of the generator (default 2025)
#   BENCH_REPEAT   timed runs per read benchmark (default 50; moves: a fifth of it, at least 5)
#   BENCH_VERIFY   1 = first check, on a small tree (BENCH_VERIFY_UNITS, default 3000), that the
#                  generator writes what the real services write (replays them: ~6 min)
#   BENCH_TRY_INDEXES  1 (default) = also run the benchmarks concerned with the proposed indexes
#                  created by hand (bench/tree.py, PROPOSED_INDEXES); 0 = don't
#   BENCH_EXPLAIN  1 = print EXPLAIN (ANALYZE, BUFFERS) of every benchmarked read query (reads
#                  that miss their goal always get it)
#   BENCH_JSON     where to write the tree results as JSON (default var/bench/results.json);
#                  BENCH_JSON_MEMBERS the member results (default var/bench/members.json),
#                  BENCH_JSON_INDICATORS / BENCH_JSON_REPORTS / BENCH_JSON_ACTIVITIES those of
#                  the indicators, reports and activities suites (default
#                  var/bench/indicators.json, reports.json, activities.json)
#   BENCH_KEEP_DB  1 = leave the server running at the end (prints how to stop it)
#   DATABASE_URL   use this PostgreSQL database (migrated, with an empty tree) instead of a
#                  throwaway server
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=congdoan.settings
export DEBUG=0 # with DEBUG on, Django keeps every query in memory
export CONGDOAN_VAR_DIR="${CONGDOAN_VAR_DIR:-$PWD/var/bench}"
export AXES_ENABLED=0
# The searches by identity number are timed with their logging (members/lookups.py), not stopped
# by the per-user limit after the first few runs.
export IDENTITY_LOOKUPS_PER_HOUR="${IDENTITY_LOOKUPS_PER_HOUR:-100000000}"
export IDENTITY_LOOKUPS_PER_DAY="${IDENTITY_LOOKUPS_PER_DAY:-100000000}"
export BENCH_TRY_INDEXES="${BENCH_TRY_INDEXES:-1}"
mkdir -p "$CONGDOAN_VAR_DIR"
export BENCH_JSON="${BENCH_JSON:-$CONGDOAN_VAR_DIR/results.json}"
export BENCH_JSON_MEMBERS="${BENCH_JSON_MEMBERS:-$CONGDOAN_VAR_DIR/members.json}"
BENCH_SUITE="${BENCH_SUITE:-all}"
case "$BENCH_SUITE" in
  tree|members|indicators|reports|activities|awards|all) ;;
  *) echo "BENCH_SUITE must be tree, members, indicators, reports, activities, awards or all" >&2; exit 2 ;;
esac
if [ "$BENCH_SUITE" != "tree" ]; then
  # A million members or five million figures (~2 GB with indexes) fit in memory here.
  MEM="${BENCH_PG_MEMORY:-2GB}"
  export PG_EXTRA_OPTS="${PG_EXTRA_OPTS:-} -c shared_buffers=$MEM -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB"
fi

if [ -z "${DATABASE_URL:-}" ]; then
  PGDIR=$(mktemp -d /tmp/congdoan-bench-pg.XXXXXX)
  if [ "${BENCH_KEEP_DB:-0}" = "1" ]; then
    trap 'echo "PostgreSQL left running: DATABASE_URL=$DATABASE_URL; stop: scripts/pg.sh stop $PGDIR"' EXIT
  else
    trap 'scripts/pg.sh stop "$PGDIR"' EXIT
  fi
  DATABASE_URL=$(scripts/pg.sh start "$PGDIR")
fi
export DATABASE_URL

echo "== machine"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GB total, " $7 " GB available"}')"
echo "python: $($BIN/python --version 2>&1)"
echo "load: $(uptime)"

echo "== migrate"
$BIN/congdoan migrate -v 0

if [ "${BENCH_VERIFY:-0}" = "1" ]; then
  echo "== verify"
  $BIN/python -m bench.verify
fi

if [ "$BENCH_SUITE" = "awards" ]; then
  # A province's year-end decision: its own small tree, no national one.
  echo "== benchmarks: awards"
  $BIN/python -m bench.awards
  exit 0
fi

echo "== generate"
$BIN/python -m bench.generate

if [ "$BENCH_SUITE" = "tree" ] || [ "$BENCH_SUITE" = "all" ]; then
  echo "== benchmarks: tree"
  echo "load: $(uptime)"
  $BIN/python -m bench.tree
  echo "load: $(uptime)"
  echo "results also in $BENCH_JSON"
fi

if { [ "$BENCH_SUITE" = "indicators" ] || [ "$BENCH_SUITE" = "reports" ]; } \
  && [ "${BENCH_WITH_MEMBERS:-0}" = "1" ]; then
  echo "== generate members (the dashboards' member figures)"
  $BIN/python -m bench.generate_members
fi

if [ "$BENCH_SUITE" = "indicators" ]; then
  echo "== benchmarks: indicators"
  echo "load: $(uptime)"
  export BENCH_JSON_INDICATORS="${BENCH_JSON_INDICATORS:-$CONGDOAN_VAR_DIR/indicators.json}"
  $BIN/python -m bench.indicators
  echo "load: $(uptime)"
  echo "results also in $BENCH_JSON_INDICATORS"
fi

if [ "$BENCH_SUITE" = "reports" ]; then
  echo "== the indicators suite's year (figures and totals)"
  $BIN/python -m bench.reports year
  echo "== benchmarks: reports"
  echo "load: $(uptime)"
  export BENCH_JSON_REPORTS="${BENCH_JSON_REPORTS:-$CONGDOAN_VAR_DIR/reports.json}"
  /usr/bin/time -f "bench.reports: %e s wall, %M KB max resident" $BIN/python -m bench.reports
  echo "load: $(uptime)"
fi

if [ "$BENCH_SUITE" = "activities" ]; then
  echo "== generate members"
  $BIN/python -m bench.generate_members
  if [ "${BENCH_WITH_FIGURES:-1}" = "1" ]; then
    echo "== the indicators suite's year (figures and totals)"
    $BIN/python -m bench.reports year
  fi
  echo "== generate the registers' year"
  /usr/bin/time -f "generation: %e s wall, %M KB max resident" $BIN/python -m bench.generate_activities
  df -h "${PGDIR:-/tmp}" | tail -n 1
  echo "== benchmarks: activities"
  echo "load: $(uptime)"
  export BENCH_JSON_ACTIVITIES="${BENCH_JSON_ACTIVITIES:-$CONGDOAN_VAR_DIR/activities.json}"
  $BIN/python -m bench.activities
  echo "load: $(uptime)"
fi

if [ "$BENCH_SUITE" = "members" ] || [ "$BENCH_SUITE" = "all" ]; then
  echo "== generate members"
  echo "load: $(uptime)"
  /usr/bin/time -f "generation: %e s wall, %M KB max resident" $BIN/python -m bench.generate_members
  df -h "${PGDIR:-/tmp}" | tail -n 1
  echo "== benchmarks: members"
  echo "load: $(uptime)"
  $BIN/python -m bench.members
  echo "load: $(uptime)"
  echo "results also in $BENCH_JSON_MEMBERS"
fi
