"""Rewrite the search words of every member (`MemberWord`), or only compare them.

    congdoan rebuild_member_words            # rewrite them all (after bulk loads)
    congdoan rebuild_member_words --check    # report members whose words differ; exit 1 if any

Every write of a member keeps its words (congdoan/members/words.py); this command is for bulk
loads that bypassed the models and for checking.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.members import words


class Command(BaseCommand):
    help = "Rewrite the search words of every member (--check: only compare)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the stored words with the members' names; exit 1 if they differ.",
        )
        parser.add_argument(
            "--limit", type=int, default=50, help="Differences to list with --check (default 50)."
        )

    def handle(self, *args: Any, check: bool = False, limit: int = 50, **options: Any) -> None:
        started = time.monotonic()
        if check:
            diffs = words.differences(limit=max(limit, 1))
            elapsed = time.monotonic() - started
            if not diffs:
                self.stdout.write(
                    f"The members' search words agree with their names ({elapsed:.1f} s)."
                )
                return
            for line in diffs:
                self.stdout.write(line)
            raise CommandError(
                f"{len(diffs)}{'+' if len(diffs) >= limit else ''} members with other search "
                "words than their names; run without --check to rewrite them."
            )
        rows = words.rebuild()
        self.stdout.write(f"Wrote {rows:,} search words in {time.monotonic() - started:.1f} s.")
