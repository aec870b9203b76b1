"""Errors that services raise when a business rule is broken.

The message is user-facing (translated, Vietnamese by default) and says what and where.
Views show it next to the form, the API answers 400 with it, plan validation attaches it to the
row that caused it.
"""

from typing import Any


class RuleViolation(Exception):
    def __init__(self, message: Any, *, field: str | None = None, row: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.row = row

    def __str__(self) -> str:
        return str(self.message)
