"""No lost update when two people edit the same record or sheet at once.

A form or an API call carries what the record was when the person opened it (a member: the id
of its latest history row, `loaded`; a sheet of figures: each figure as shown). On save, each
value they send is compared three ways (`merge`):

- it equals what they were shown: they did not touch it. It is not written, so a change someone
  else saved meanwhile stays;
- what is stored still equals what they were shown, or already equals what they send: nobody
  else changed it (or both made the same change). It is written;
- otherwise both changed it, differently: a conflict. Nothing at all is written; the service
  raises `EditConflict`, the page comes back with what they entered, says who saved what and
  when, and carries the new state, so that saving again (after checking) is their decision.

Two people changing different fields of the same record both keep their change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from congdoan.core.exceptions import RuleViolation


def merge(
    mine: Mapping[str, Any], shown: Mapping[str, Any], stored: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The values to write, and the fields in conflict (see the module docstring). A field
    missing from `shown` is written as sent."""
    write: dict[str, Any] = {}
    conflicts: list[str] = []
    for name, value in mine.items():
        if name not in shown:
            write[name] = value
        elif value == shown[name]:
            continue
        elif stored.get(name) in (shown[name], value):
            write[name] = value
        else:
            conflicts.append(name)
    return write, conflicts


@dataclass(frozen=True)
class Changed:
    """One field someone else changed meanwhile: its label and, when it may be shown in a
    message, the value now stored."""

    name: str
    label: str
    now: str | None


class EditConflict(RuleViolation):
    """Someone else saved the same fields meanwhile; nothing was written. `state` is what the
    next save should carry (the record as now stored)."""

    def __init__(self, message: str, *, changed: list[Changed], state: Any) -> None:
        super().__init__(message)
        self.changed = changed
        self.state = state
