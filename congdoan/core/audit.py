"""The audit trail: who changed what, when and why, read from django-simple-history.

Every service stamps the rows it writes with the actor and its own name
(`congdoan.core.history.stamp`). `audit_trail` reads the history rows of one or several models,
newest first, and compares each row with the previous row of the same object, so that every entry
names the changed fields with their value before and after. Pages show it with the partial
`core/partials/audit_trail.html`.

Queries are bounded whatever the number of rows: per history queryset one query (with the history
user joined and the previous row's id computed by a subquery), one more for previous rows that
fall outside the page, and one per model that the rows point to (to name foreign keys).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Field, Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import pgettext, pgettext_lazy

from congdoan.core.formats import short_date

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
_KINDS = {"+": CREATED, "~": CHANGED, "-": DELETED}
EMPTY = "—"

# The services that write history rows, in words (the rows store the service's name).
REASON_LABELS: dict[str, str | Promise] = {
    "unit_create": pgettext_lazy("change reason", "Found a unit"),
    "unit_update": pgettext_lazy("change reason", "Rename / update details"),
    "unit_move": pgettext_lazy("change reason", "Move a unit"),
    "unit_dissolve": pgettext_lazy("change reason", "Dissolve a unit"),
    "unit_split": pgettext_lazy("change reason", "Split a unit"),
    "cluster_create": pgettext_lazy("change reason", "Create a cluster"),
    "cluster_update": pgettext_lazy("change reason", "Update a cluster"),
    "cluster_member_add": pgettext_lazy("change reason", "Add a member unit"),
    "cluster_member_remove": pgettext_lazy("change reason", "Remove a member unit"),
    "cluster_set_head": pgettext_lazy("change reason", "Change the head unit"),
    "cluster_copy_year": pgettext_lazy("change reason", "Copy members to another year"),
    "term_create": pgettext_lazy("change reason", "Record a term"),
    "seat_add": pgettext_lazy("change reason", "Add a committee seat"),
    "seat_end": pgettext_lazy("change reason", "End a committee seat"),
    "member_admit": pgettext_lazy("change reason", "Admit a member"),
    "member_transfer": pgettext_lazy("change reason", "Transfer a member"),
    "member_exit": pgettext_lazy("change reason", "Member leaves the union"),
    "user_create": pgettext_lazy("change reason", "Create an account"),
    "user_update": pgettext_lazy("change reason", "Update an account"),
    "user_set_active": pgettext_lazy("change reason", "Enable or disable an account"),
    "role_grant": pgettext_lazy("change reason", "Grant a role"),
    "role_revoke": pgettext_lazy("change reason", "Revoke a role"),
    "target_set": pgettext_lazy("change reason", "Assign a target"),
    "target_handover": pgettext_lazy("change reason", "Hand over targets"),
    "values_save": pgettext_lazy("change reason", "Enter figures"),
    "sheet_submit": pgettext_lazy("change reason", "Submit figures"),
    "sheet_approve": pgettext_lazy("change reason", "Approve figures"),
    "sheet_return": pgettext_lazy("change reason", "Return figures for correction"),
    "sheet_lock": pgettext_lazy("change reason", "Lock figures"),
    "sheet_reopen": pgettext_lazy("change reason", "Reopen figures"),
}

Formatter = Callable[[Any], str]
# Objects that history rows point to, by (model, primary key).
Related = dict[tuple[Any, Any], Model]


def reason_label(reason: str) -> str:
    """The change reason in words; a service name without a label is shown as it is."""
    return str(REASON_LABELS.get(reason, reason))


@dataclass(frozen=True)
class AuditChange:
    field: str  # the field's verbose name
    old: str
    new: str


@dataclass
class AuditEntry:
    when: dt.datetime  # local time
    who: str  # the actor, or "system" in words
    reason: str  # the service that made the change, e.g. "unit_update"
    reason_label: str
    kind: str  # CREATED, CHANGED or DELETED
    object_label: str  # the object as it was after the change (before, for a deletion)
    model_label: str
    changes: list[AuditChange] = field(default_factory=list)


def audit_trail(
    *histories: QuerySet[Any],
    limit: int = 100,
    formatters: Mapping[str, Formatter] | None = None,
) -> list[AuditEntry]:
    """History rows of one or more models (e.g. `unit.history.all()`,
    `ClusterMembership.history.filter(cluster_id=…)`), merged newest first, at most `limit`.

    `formatters` shows the values of some fields in words (e.g. a province code as its name).
    """
    formatters = formatters or {}
    rows: list[Any] = []
    for history in histories:
        rows.extend(_newest(history, limit))
    rows.sort(key=lambda r: r.history_date, reverse=True)
    rows = rows[:limit]

    previous = _previous_rows(rows)
    related = _related_objects([*rows, *previous.values()])
    return [_entry(row, previous.get(_prev_key(row)), related, formatters) for row in rows]


# ---------------------------------------------------------------------------------------------


def _newest(history: QuerySet[Any], limit: int) -> list[Any]:
    """The newest rows of one history queryset, each with the id of the object's previous row."""
    model = history.model
    pk = model.instance_type._meta.pk.attname
    earlier = (
        model._default_manager.filter(**{pk: OuterRef(pk)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return list(
        history.all()
        .select_related("history_user")
        .annotate(audit_previous_id=Subquery(earlier))
        .order_by("-history_date", "-history_id")[:limit]
    )


def _prev_key(row: Any) -> tuple[Any, Any]:
    return (type(row), row.audit_previous_id)


def _previous_rows(rows: list[Any]) -> dict[tuple[Any, Any], Any]:
    """The previous row of each changed object's row: from the page, or fetched (one query
    per model) when it is older than the page."""
    found = {(type(r), r.history_id): r for r in rows}
    missing: dict[Any, set[Any]] = defaultdict(set)
    for row in rows:
        key = _prev_key(row)
        if row.history_type == "~" and row.audit_previous_id is not None and key not in found:
            missing[type(row)].add(row.audit_previous_id)
    for model, ids in missing.items():
        for row in model._default_manager.filter(history_id__in=ids):
            found[(model, row.history_id)] = row
    return found


def _fk_fields(row: Any) -> list[Field[Any, Any]]:
    return [f for f in row.tracked_fields if f.many_to_one]


def _related_objects(rows: Iterable[Any]) -> Related:
    """The objects the rows' foreign keys point to: one query per related model."""
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for row in rows:
        for f in _fk_fields(row):
            value = getattr(row, f.attname)
            if value is not None:
                wanted[f.related_model].add(value)
    out: Related = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids):
            out[(model, obj.pk)] = obj
    return out


def _instance(row: Any, related: Related) -> Model:
    """The object as the row recorded it, its foreign keys filled from `related` (no query)."""
    instance: Model = row.instance_type(
        **{f.attname: getattr(row, f.attname) for f in row.tracked_fields}
    )
    for f in _fk_fields(row):
        obj = related.get((f.related_model, getattr(row, f.attname)))
        if obj is not None:
            f.set_cached_value(instance, obj)  # type: ignore[attr-defined]
    return instance


def _object_label(row: Any, related: Related) -> str:
    try:
        return str(_instance(row, related))
    except ObjectDoesNotExist:  # points to something deleted since
        pk = getattr(row, row.instance_type._meta.pk.attname)
        return f"{capfirst(row.instance_type._meta.verbose_name)} #{pk}"


def _display(
    f: Field[Any, Any],
    value: Any,
    related: Related,
    formatters: Mapping[str, Formatter],
) -> str:
    """A field's value in words: related objects by name, choices by label, dates as dd/mm/yyyy."""
    if value is None or value == "":
        return EMPTY
    if f.name in formatters:
        return formatters[f.name](value) or str(value)
    if f.many_to_one:
        obj = related.get((f.related_model, value))
        return str(obj) if obj is not None else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return pgettext("audit value", "yes") if value else pgettext("audit value", "no")
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return short_date(value)
    return str(value)


def _entry(
    row: Any,
    previous: Any,
    related: Related,
    formatters: Mapping[str, Formatter],
) -> AuditEntry:
    kind = _KINDS.get(row.history_type, CHANGED)
    changes: list[AuditChange] = []
    if kind == CHANGED and previous is not None:
        order = {f.name: i for i, f in enumerate(row.tracked_fields)}
        fields = {f.name: f for f in row.tracked_fields}
        delta = row.diff_against(previous)
        for change in sorted(delta.changes, key=lambda c: order.get(c.field, len(order))):
            f = fields[change.field]
            changes.append(
                AuditChange(
                    field=capfirst(str(f.verbose_name)),
                    old=_display(f, change.old, related, formatters),
                    new=_display(f, change.new, related, formatters),
                )
            )
    user = row.history_user
    reason = row.history_change_reason or ""
    return AuditEntry(
        when=timezone.localtime(row.history_date),
        who=str(user) if user is not None else pgettext("audit trail", "system"),
        reason=reason,
        reason_label=reason_label(reason),
        kind=kind,
        object_label=_object_label(row, related),
        model_label=capfirst(str(row.instance_type._meta.verbose_name)),
        changes=changes,
    )
