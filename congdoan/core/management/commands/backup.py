"""`congdoan backup [--output FILE]`: the database and the uploads in one archive (see
congdoan/core/backup.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from congdoan.core import backup
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number
from congdoan.core.management.base import LanguageCommand


class Command(LanguageCommand):
    help = "Back up the database and the uploaded files into one archive."

    def add_more_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="The archive (default: var/backups/…tar)."
        )

    def run(self, **options: Any) -> None:
        output: Path | None = options.get("output")
        started = time.perf_counter()
        try:
            path, manifest = backup.backup(output)
        except RuleViolation as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Backup written to %(file)s: %(tables)s tables, %(rows)s rows, %(files)s files "
                "(%(size)s MB), in %(seconds)s s."
            )
            % {
                "file": path,
                "tables": number(len(manifest.tables)),
                "rows": number(manifest.rows),
                "files": number(len(manifest.files)),
                "size": number(path.stat().st_size / 1e6, 1),
                "seconds": number(time.perf_counter() - started, 1),
            }
        )
