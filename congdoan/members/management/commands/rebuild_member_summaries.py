"""Recompute the per-unit member count summaries from spells and events, or only compare them.

    congdoan rebuild_member_summaries            # recompute everything (after bulk loads)
    congdoan rebuild_member_summaries --check    # report differences; exit status 1 if any

The services keep the summaries up to date as they write; this command is for bulk loads that
bypassed them and for checking (see congdoan/members/summaries.py).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.members import summaries
from congdoan.members.models import MemberCountDelta, MemberCountSnapshot


class Command(BaseCommand):
    help = "Recompute the member count summaries from spells and events (--check: only compare)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the stored summaries with spells and events; exit 1 if they differ.",
        )
        parser.add_argument(
            "--limit", type=int, default=50, help="Differences to list with --check (default 50)."
        )

    def handle(self, *args: Any, check: bool = False, limit: int = 50, **options: Any) -> None:
        started = time.monotonic()
        if check:
            diffs = summaries.differences(limit=max(limit, 1))
            elapsed = time.monotonic() - started
            if not diffs:
                self.stdout.write(
                    f"Member count summaries agree with spells and events ({elapsed:.1f} s)."
                )
                return
            for d in diffs[:limit]:
                self.stdout.write(
                    f"{d.table} unit {d.unit_id} {d.key} {d.column}: "
                    f"stored {d.stored}, expected {d.expected}"
                )
            raise CommandError(
                f"{len(diffs)}{'+' if len(diffs) >= limit else ''} differences "
                "between the summaries and spells/events; run without --check to rebuild."
            )
        summaries.rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Rebuilt {MemberCountDelta.objects.count():,} daily changes and "
            f"{MemberCountSnapshot.objects.count():,} snapshot rows "
            f"(up to {summaries.horizon().until}) in {elapsed:.1f} s."
        )
