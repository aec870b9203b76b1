"""The table of one load run (scripts/load.sh): per page kind, requests, failures, median, p95
and p99 (ms), from locust's CSV; then the failures, if any."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

GOAL_P95_MS = 300


def main() -> None:
    stats, failures = Path(sys.argv[1]), Path(sys.argv[2])
    rows = list(csv.DictReader(stats.open()))
    print(
        f"| page kind | requests | failures | median ms | p95 ms | p99 ms | p95 < {GOAL_P95_MS} ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        p95 = float(row["95%"] or 0)
        ok = "" if row["Name"] == "Aggregated" else ("pass" if p95 < GOAL_P95_MS else "**fail**")
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} |"
            f" {row['50%']} | {row['95%']} | {row['99%']} | {ok} |"
        )
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total:
        print(f"requests/s: {float(total['Requests/s']):.1f}")
    if failures.exists():
        for row in list(csv.DictReader(failures.open()))[:20]:
            print(f"failure: {row['Method']} {row['Name']}: {row['Error']} × {row['Occurrences']}")


if __name__ == "__main__":
    main()
