"""Erase the personal data of members who left the union longer ago than the retention period.

    congdoan purge_former_members --dry-run        # say what would be erased, change nothing
    congdoan purge_former_members                  # erase (settings.MEMBER_RETENTION_YEARS)
    congdoan purge_former_members --years 15       # another retention period

What is erased and what is kept is described in `congdoan.members.personal` (ERASED_VALUES):
names become "Đã xóa theo quy định"; citizen ID, phone, email, addresses, hometown, ethnicity,
religion, Party data, education, job, card number, salary, flags and notes are cleared, on the
record and on every history row of it; the date of birth keeps only its year (01/01/yyyy). Sex,
units, spells, events and their dates are kept, so member counts as of past dates do not change.
The command prints counts and record ids only, never personal data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number, short_date
from congdoan.members.personal import purge_former_members


class Command(BaseCommand):
    help = (
        "Erase the personal data of members who left more than MEMBER_RETENTION_YEARS years ago "
        "(--dry-run: only report)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be erased; change nothing."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=f"Retention period in years (default: settings, now {settings.MEMBER_RETENTION_YEARS}).",
        )

    def handle(self, *args: Any, dry_run: bool = False, years: int | None = None, **options: Any):
        try:
            report = purge_former_members(years=years, dry_run=dry_run)
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(
            f"Members who left before {short_date(report.cutoff)}: {number(report.count)} "
            f"{verb}{' (dry run, nothing changed)' if dry_run else ''}."
        )
        for code, name, count in report.by_unit:
            self.stdout.write(f"  {code:<16} {number(count):>8}  {name}")
        self.stdout.write(
            f"History rows {verb}: {number(report.history_rows)}; event notes cleared: "
            f"{number(report.events)}; transfer requests cleared: {number(report.transfers)}; "
            f"duplicate flags removed: {number(report.duplicate_flags)}."
        )
        if report.member_ids:
            shown = ", ".join(str(i) for i in report.member_ids[:20])
            more = " …" if report.count > 20 else ""
            self.stdout.write(f"Record ids: {shown}{more}")
