"""Recompute the roll-up of entered figures (`congdoan rebuild_totals [--check]`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congdoan.indicators import rollup
from congdoan.indicators.models import Period, Value


class Command(BaseCommand):
    help = "Recompute every total of entered figures; with --check only report differences."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--period", type=int, action="append", help="period id (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["period"] or list(
            Value.objects.values_list("period_id", flat=True).distinct()
        )
        periods = list(Period.objects.filter(pk__in=ids).order_by("end"))
        if options["check"]:
            bad = 0
            for period in periods:
                for row in rollup.differences(period):
                    bad += 1
                    self.stdout.write(
                        f"{period}: unit {row[0]} indicator {row[1]}: {row[2]} ≠ {row[3]}"
                    )
            if bad:
                raise CommandError(f"{bad} totals differ from the values")
            self.stdout.write(f"{len(periods)} periods: every total agrees with the values")
            return
        written = rollup.rebuild(periods)
        self.stdout.write(f"{len(periods)} periods, {written} totals written")
