"""`congdoan load_demo [--scale S] [--seed N] [--reset]`: migrate and load the demo federation."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.demo.federation import DemoError
from congdoan.demo.loading import load_demo


class Command(BaseCommand):
    help = (
        "Migrate the database if needed and load the demo federation (LĐLĐ tỉnh Lai Châu, "
        "fictional people) when it holds no units; --reset rebuilds the embedded SQLite database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size factor (1.0: ~300 grassroots unions, ~30,000 members; about 1-2 minutes).",
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Random seed (same seed, same demo)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the SQLite database under CONGDOAN_VAR_DIR first (refused on PostgreSQL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary, _built = load_demo(
                scale=options["scale"],
                seed=options["seed"],
                reset=options["reset"],
                out=self.stdout,
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
