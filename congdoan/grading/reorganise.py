"""What a reorganisation of the tree does to gradings (a receiver of `unit_work_handed_over`,
connected in `apps.py`; it runs inside the reorganisation's transaction, so a dry run rolls it
back with it).

- A merged, split or dissolved union keeps its gradings: they are its history, still read
  through its unit (which stays in the tree with `dissolved_on` set) and counted by the
  indicators under its parent as the tree stood at each period's end.
- Draft gradings *given by* the unit that hands over its work go to the receiving unit when it
  stands above the graded union (it finishes and confirms them); confirmed ones stay as decided.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from congdoan.grading.services import hand_over_drafts
from congdoan.organisation.models import Unit


def on_work_handed_over(
    sender: Any, *, source: Unit, target: Unit, actor: Any = None, changes: Any = None, **kw: Any
) -> None:
    moved = hand_over_drafts(actor, source, target)
    if moved and changes is not None:
        changes.add(
            "update",
            _("Draft gradings handed over to %(unit)s to be finished: %(n)s.")
            % {"n": moved, "unit": target.short_name or target.name},
            unit=target.code,
        )
