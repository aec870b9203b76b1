"""`congdoan restore FILE [--no-input] [--no-safety-copy]`: replace the database and the uploads
by a backup's (see congdoan/core/backup.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congdoan.core import backup
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number
from congdoan.core.management.base import LanguageCommand


class Command(LanguageCommand):
    help = "Replace the database and the uploaded files by those of a backup."

    def add_more_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="A file written by `congdoan backup`.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask."
        )
        parser.add_argument(
            "--no-safety-copy",
            action="store_false",
            dest="safety_copy",
            help="Do not back up the current data first.",
        )

    def run(self, **options: Any) -> None:
        archive: Path = options["archive"]
        interactive, safety_copy = options["interactive"], options["safety_copy"]
        started = time.perf_counter()
        try:
            manifest = backup.check(archive)
            taken = parse_datetime(manifest.created_at)
            if interactive and not backup.is_empty():
                answer = input(
                    _(
                        "Every record of this installation will be replaced by the backup of "
                        "%(when)s (%(rows)s rows, %(files)s files). Type 'yes' to go on: "
                    )
                    % {
                        "when": date_format(timezone.localtime(taken), "SHORT_DATETIME_FORMAT")
                        if taken
                        else manifest.created_at,
                        "rows": number(manifest.rows),
                        "files": number(len(manifest.files)),
                    }
                )
                if answer.strip().lower() != "yes":
                    raise CommandError(_("Restore cancelled; nothing was changed."))
            done = backup.restore(archive, safety_copy=safety_copy)
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        if done.safety_copy:
            self.stdout.write(
                _("The data before the restore was kept in %(file)s.") % {"file": done.safety_copy}
            )
        if done.migrated:
            self.stdout.write(_("The backup came from an older version: migrations applied."))
        self.stdout.write(
            _(
                "Restored from %(file)s: %(tables)s tables, %(rows)s rows, %(files)s files, "
                "in %(seconds)s s."
            )
            % {
                "file": archive,
                "tables": number(len(done.manifest.tables)),
                "rows": number(done.manifest.rows),
                "files": number(len(done.manifest.files)),
                "seconds": number(time.perf_counter() - started, 1),
            }
        )
