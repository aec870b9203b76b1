"""What waits for an officer: the work list of the home page.

The apps above register at start-up (`AppConfig.ready`), so that this ground floor imports no
app: the kinds of work they list (a heading and a place on the page) and one provider each.
A provider takes the signed-in user and returns plain `WorkItem`s, read through its app's
selectors with a bounded number of queries whatever the size of the tree, each linking to the
page where the work is done. `work_for(user)` groups the items into sections by kind, in the
kinds' order, and leaves out the kinds with nothing waiting.

Registered today: members (`members/worklist.py`: transfers to confirm, imports, possible
duplicates) and indicators (`indicators/worklist.py`: sheets to approve and to send, units late
below, targets to hand down).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting: of which `kind`, what (`title`, `detail`), how many (`count`: 1 for
    one thing), where it is done (`url`), by when (`due`) and whether that day has passed."""

    kind: str
    title: str
    count: int
    url: str
    due: dt.date | None = None
    late: bool = False
    detail: str = ""


Provider = Callable[[Any], list[WorkItem]]


@dataclass(frozen=True)
class Kind:
    code: str
    heading: str | Promise
    order: int


@dataclass
class Section:
    """The items of one kind, as the home page shows them."""

    kind: str
    heading: str | Promise
    items: list[WorkItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def late(self) -> int:
        return sum(item.count for item in self.items if item.late)


_kinds: dict[str, Kind] = {}
_providers: dict[str, Provider] = {}


def register_kind(code: str, heading: str | Promise, *, order: int) -> None:
    """A kind of work and its heading; sections appear by `order`, smallest first."""
    _kinds[code] = Kind(code, heading, order)


def register_provider(name: str, provider: Provider) -> None:
    """`provider(user)` lists the items one app has for the user (registering a name again
    replaces it)."""
    _providers[name] = provider


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.code))


def work_for(user: Any) -> list[Section]:
    """The sections of work waiting for `user`, each holding at least one item."""
    found: dict[str, list[WorkItem]] = {}
    for provider in _providers.values():
        for item in provider(user):
            if item.kind not in _kinds:
                raise KeyError(f"work item of unregistered kind {item.kind!r}")
            found.setdefault(item.kind, []).append(item)
    return [Section(k.code, k.heading, found[k.code]) for k in kinds() if k.code in found]
