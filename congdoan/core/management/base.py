"""What the project's own commands share."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation


class LanguageCommand(BaseCommand):
    """A command whose messages are in Vietnamese unless `--language en`. Subclasses write
    `add_more_arguments` and `run(**options)` (options without the language)."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages (default: Vietnamese).",
        )
        self.add_more_arguments(parser)

    def add_more_arguments(self, parser: CommandParser) -> None:
        pass

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.pop("language")):
            self.run(**options)

    def run(self, **options: Any) -> None:
        raise NotImplementedError
