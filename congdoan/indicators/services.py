"""Writes of the indicator engine: targets and their allocation, figures, the approval workflow.

Who may do what:
- enter figures of a unit and submit them: `indicators.enter` on the unit;
- assign a unit's targets, approve, return, lock or reopen its figures: `indicators.approve` on
  the unit above it (a unit never approves itself; units without a parent: system admins).

Every write stamps the history rows with the actor and the service, and keeps the roll-up
(`rollup.py`) up to date in the same transaction.

Targets close (`target_set`, `targets_set_many`, `targets_allocate` refuse to change them):
- for every unit, once the period is over: it has ended and its due day has passed (its last
  day, for a period without a due day; `selectors.targets_past`). By then the figures are in,
  and a target changed afterwards would rewrite the achievement that reports have published;
- for a unit whose figures of the period are locked (`selectors.targets_locked`): its
  achievement is final, like its figures. Reopening the figures opens its targets again.
A period that has not ended (or whose figures are not yet due) keeps its targets open, so that
a reorganisation in the middle of a year can have them allocated again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congdoan.core.concurrency import Changed, EditConflict, merge
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number, short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, refusal
from congdoan.core.text import nfc
from congdoan.indicators import derived, rollup, selectors, wording
from congdoan.indicators.models import (
    APPROVED_STATUSES,
    DataSet,
    DataSetItem,
    Indicator,
    Period,
    Remark,
    Sheet,
    SheetStatus,
    SheetStep,
    Source,
    Step,
    Target,
    Value,
    ValueType,
)
from congdoan.organisation.models import Unit

MAX_VALUE = Decimal("1e17")
COMMENT_MAX = Value._meta.get_field("comment").max_length or 1000


class EntryErrors(RuleViolation):
    """Several figures were refused: `errors` lists (indicator code, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{code}: {msg}" for code, msg in errors))
        self.errors = errors


# ---------------------------------------------------------------------------------------------
# Checks


def _parent(unit: Unit) -> Unit | None:
    return unit.parent if unit.parent_id else None


def can_enter(actor: Any, unit: Unit) -> bool:
    return path_in_scope(actor, Action.INDICATORS_ENTER, unit.path)


def can_approve(actor: Any, unit: Unit) -> bool:
    """The actor acts for the unit above `unit` (or is a system admin at the top)."""
    parent = _parent(unit)
    if parent is None:
        return bool(getattr(actor, "is_superuser", False))
    return path_in_scope(actor, Action.INDICATORS_APPROVE, parent.path)


def _refuse_unless(actor: Any, allowed: bool, unit: Unit) -> None:
    """`allowed` is `can_enter` or `can_approve`; refused with the one refusal of
    `core.scoping` (which names the unit only to those who may see it)."""
    if actor is not None and not allowed:
        raise refusal(actor, unit)


def _require_existed(unit: Unit, period: Period) -> None:
    if unit.founded_on > period.end or (
        unit.dissolved_on is not None and unit.dissolved_on <= period.start
    ):
        raise RuleViolation(
            _("%(unit)s did not exist during %(period)s.")
            % {"unit": unit.name, "period": period.label}
        )


def parse_number(raw: Any) -> Decimal | None:
    """A figure as typed or read from a file: 1.234.567 / 1234567 / 12,5 / 12.5; "" → None.

    A dot followed by exactly three digits separates thousands (Vietnamese style); otherwise a
    single dot is a decimal point. ValueError if it is not a number.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
    if not value.is_finite():
        raise ValueError(raw)
    return value


def check_value(indicator: Indicator, raw: Any) -> Decimal | None:
    """The figure to store for `indicator`, or RuleViolation saying why it is refused."""
    try:
        value = parse_number(raw)
    except ValueError as exc:
        raise RuleViolation(
            _("“%(raw)s” is not a number.") % {"raw": raw}, field=indicator.code
        ) from exc
    if value is None:
        return None
    if abs(value) >= MAX_VALUE:
        raise RuleViolation(_("The number is too large."), field=indicator.code)
    if indicator.value_type == ValueType.COUNT:
        if value != value.to_integral_value():
            raise RuleViolation(
                _("%(name)s is counted in whole %(uom)s; %(value)s is not a whole number.")
                % {"name": indicator.name, "uom": indicator.unit_label, "value": raw},
                field=indicator.code,
            )
        value = value.to_integral_value()
    if value < 0 and indicator.value_type != ValueType.DECIMAL:
        raise RuleViolation(
            _("%(name)s cannot be negative.") % {"name": indicator.name}, field=indicator.code
        )
    if indicator.value_type == ValueType.PERCENT and value > 100:
        raise RuleViolation(
            _("%(name)s is a percentage between 0 and 100.") % {"name": indicator.name},
            field=indicator.code,
        )
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _entered_here(unit_type_id: int) -> Q:
    """Indicators that units of a type enter: entered by hand, and in one of the type's data sets
    (a type whose data sets hold none enters none); when the type has no data set at all, every
    entered indicator."""
    in_set = DataSetItem.objects.filter(indicator=OuterRef("pk"), data_set__unit_types=unit_type_id)
    has_sets = DataSet.objects.filter(unit_types=unit_type_id)
    return Q(source=Source.ENTERED) & (Q(Exists(in_set)) | ~Q(Exists(has_sets)))


def indicators_for(unit: Unit, period: Period) -> list[Indicator]:
    """The indicators a unit enters for a period: its type's data sets, else every entered one.
    One query."""
    qs = Indicator.objects.filter(_entered_here(unit.unit_type_id)).select_related("group")
    return [i for i in qs if i.valid_in(period.end.year)]


def sheet_indicators(unit: Unit, period: Period) -> tuple[list[Indicator], list[Indicator]]:
    """The indicators valid in the period, split into those the unit enters (`indicators_for`)
    and the others (derived, formulas, and those entered by other types of units), in catalogue
    order. One query."""
    qs = Indicator.objects.select_related("group").annotate(
        entered_here=Case(
            When(_entered_here(unit.unit_type_id), then=True),
            default=False,
            output_field=BooleanField(),
        )
    )
    entered: list[Indicator] = []
    others: list[Indicator] = []
    for indicator in qs:
        if indicator.valid_in(period.end.year):
            (entered if indicator.entered_here else others).append(indicator)
    return entered, others


# ---------------------------------------------------------------------------------------------
# Targets


def target_set(
    *, actor: Any, unit: Unit, indicator: Indicator, period: Period, value: Any, note: str = ""
) -> Target | None:
    """Assign (or change, or with an empty value remove) a unit's target (refused once the
    targets are closed: see the module's docstring)."""
    _refuse_unless(actor, can_approve(actor, unit), unit)
    require_targets_open(period, [unit])
    amount = check_value(indicator, value)
    existing = Target.objects.filter(unit=unit, indicator=indicator, period=period).first()
    if amount is None:
        if existing is not None:
            stamp(existing, actor, "target_set")
            existing.delete()
        return None
    target = existing or Target(unit=unit, indicator=indicator, period=period)
    target.value = amount
    target.note = note
    target.assigned_by = _parent(unit)
    stamp(target, actor, "target_set")
    target.save()
    return target


def require_targets_open(period: Period, units: Sequence[Unit]) -> None:
    """Refuse a change of the targets of `units` for `period` once they are closed (see the
    module's docstring). The caller has checked that the actor may set them."""
    if selectors.targets_past(period):
        raise RuleViolation(
            _(
                "The targets of %(period)s are closed: the period ended on %(end)s and its "
                "figures were due on %(due)s. Targets can no longer change once the figures "
                "are in."
            )
            % {
                "period": period.label,
                "end": short_date(period.end),
                "due": short_date(period.due_on or period.end),
            }
        )
    locked = set(selectors.targets_locked(period, [u.pk for u in units]))
    if locked:
        names = [u.name for u in units if u.pk in locked]
        shown = ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
        raise RuleViolation(
            _(
                "The figures of %(period)s are locked for %(units)s: their targets can no "
                "longer change (the unit above may reopen the figures)."
            )
            % {"units": shown, "period": period.label}
        )


def allocate(total: Decimal, weights: Sequence[Decimal], decimals: int = 0) -> list[Decimal]:
    """Split `total` in proportion to `weights`, rounded to `decimals`, keeping the total.

    Largest remainders: each share is rounded down, then the units left over go to the shares
    with the largest remainders (ties to the first). Equal weights split evenly.
    """
    if not weights:
        return []
    quantum = Decimal(1).scaleb(-decimals)
    total = Decimal(total).quantize(quantum, rounding=ROUND_HALF_UP)
    weights = [max(Decimal(w), Decimal(0)) for w in weights]
    whole = sum(weights)
    if whole == 0:
        weights = [Decimal(1)] * len(weights)
        whole = Decimal(len(weights))
    exact = [total * w / whole for w in weights]
    shares = [(e / quantum).to_integral_value(rounding="ROUND_FLOOR") * quantum for e in exact]
    left = int(((total - sum(shares)) / quantum).to_integral_value())
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += quantum
    return shares


@dataclass(frozen=True)
class Allocation:
    unit: Unit
    weight: Decimal
    value: Decimal


def allocation_preview(
    *, parent: Unit, indicator: Indicator, period: Period, total: Any, method: str = "even"
) -> list[Allocation]:
    """How `total` would be split among the active children of `parent` (nothing written).

    `method`: "even", or "members": in proportion to the members in each child's subtree at the
    period's end, or on the latest day not after today for a period still running
    (`members_day`).
    """
    amount = check_value(indicator, total)
    if amount is None:
        raise RuleViolation(_("Enter the total to allocate."), field="total")
    from congdoan.indicators.selectors import target_children

    # The units below on the day `selectors.targets_day` gives — the same as the targets page
    # and `selectors.target_gaps`.
    rows = target_children(parent.pk, period)
    found = Unit.objects.in_bulk([u for u, _name, _code in rows])
    kids = [found[u] for u, _name, _code in rows if u in found]
    if not kids:
        raise RuleViolation(_("%(unit)s has no units below it.") % {"unit": parent.name})
    if method == "members":
        weights = _members_by_child(kids, period)
    elif method == "even":
        weights = [Decimal(1)] * len(kids)
    else:
        raise RuleViolation(_("Unknown allocation method."), field="method")
    decimals = 0 if indicator.value_type in (ValueType.COUNT, ValueType.MONEY) else 2
    shares = allocate(amount, weights, decimals)
    return [Allocation(k, w, s) for k, w, s in zip(kids, weights, shares, strict=True)]


def members_day(period: Period, today: dt.date | None = None) -> dt.date:
    """The day whose members weigh an allocation "by members": the period's last day, or today
    while the period runs (members cannot be counted ahead)."""
    return min(period.end, today or timezone.localdate())


@dataclass(frozen=True)
class _AsOf:
    """A period cut at `end`: what the derived definitions read (`pk` keys their cache)."""

    pk: int
    start: dt.date
    end: dt.date


MEMBERS = "members_end"  # the derived definition of the members registry


def _members_by_child(kids: list[Unit], period: Period) -> list[Decimal]:
    """Members in each child's subtree on `members_day`, as the tree stood that day, read
    through the members registry's definition (as the derived indicator "members at the end of
    the period" reads them)."""
    if not derived.has_subtree(MEMBERS):
        raise RuleViolation(_("Member counts are not available; allocate evenly."), field="method")
    day = members_day(period)
    as_of = _AsOf(period.pk, min(period.start, day), day)
    counts = derived.subtree_values(MEMBERS, [k.pk for k in kids], as_of, {})
    return [counts.get(k.pk, Decimal(0)) for k in kids]


@transaction.atomic
def targets_allocate(
    *,
    actor: Any,
    parent: Unit,
    indicator: Indicator,
    period: Period,
    total: Any = None,
    method: str = "even",
) -> list[Target]:
    """Assign targets to the children of `parent` whose sum is `total` (default: the parent's
    own target); refused once their targets are closed (see the module's docstring)."""
    if actor is not None and not path_in_scope(actor, Action.INDICATORS_APPROVE, parent.path):
        raise refusal(actor, parent)
    require_targets_open(period, [])
    if total is None or total == "":
        own = Target.objects.filter(unit=parent, indicator=indicator, period=period).first()
        if own is None:
            raise RuleViolation(
                _("%(unit)s has no target for %(indicator)s to allocate; enter the total.")
                % {"unit": parent.name, "indicator": indicator.name},
                field="total",
            )
        total = own.value
    plan = allocation_preview(
        parent=parent, indicator=indicator, period=period, total=total, method=method
    )
    return targets_set_many(
        actor=actor,
        indicator=indicator,
        period=period,
        values={row.unit: row.value for row in plan},
    )


@transaction.atomic
def targets_set_many(
    *,
    actor: Any,
    indicator: Indicator,
    period: Period,
    values: Mapping[Unit, Any],
    note: str = "",
) -> list[Target]:
    """`target_set` for many units at once (bulk rows with their history); empty values are
    skipped. All or nothing: the first refused unit or value raises, and so do closed targets
    (of the period, or of any unit whose figures are locked)."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    for unit in values:
        _refuse_unless(actor, can_approve(actor, unit), unit)
    require_targets_open(period, list(values))
    checked: dict[int, tuple[Unit, Decimal]] = {}
    for unit, raw in values.items():
        amount = check_value(indicator, raw)
        if amount is not None:
            checked[unit.pk] = (unit, amount)
    existing = {
        t.unit_id: t
        for t in Target.objects.filter(
            unit_id__in=list(checked), indicator=indicator, period=period
        )
    }
    created, updated = [], []
    for unit_id, (unit, amount) in checked.items():
        target = existing.get(unit_id)
        if target is None:
            created.append(
                Target(
                    unit=unit,
                    indicator=indicator,
                    period=period,
                    value=amount,
                    note=note,
                    assigned_by_id=unit.parent_id,
                )
            )
        elif target.value != amount or target.note != note:
            target.value, target.note, target.assigned_by_id = amount, note, unit.parent_id
            target.updated_at = timezone.now()
            updated.append(target)
    user = actor if getattr(actor, "pk", None) else None
    if created:
        bulk_create_with_history(
            created, Target, default_user=user, default_change_reason="target_set"
        )
    if updated:
        bulk_update_with_history(
            updated,
            Target,
            ["value", "note", "assigned_by", "updated_at"],
            default_user=user,
            default_change_reason="target_set",
        )
    return [*created, *updated, *(t for u, t in existing.items() if t not in updated)]


# ---------------------------------------------------------------------------------------------
# Figures


def sheet_for(unit: Unit, period: Period) -> Sheet:
    sheet, _created = Sheet.objects.get_or_create(unit=unit, period=period)
    return sheet


@transaction.atomic
def values_save(
    *,
    actor: Any,
    unit: Unit,
    period: Period,
    entries: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    shown: Mapping[str, Any] | None = None,
    shown_comments: Mapping[str, str] | None = None,
) -> Sheet:
    """Save a unit's figures for a period ({indicator code: raw value}; empty removes) and their
    comments ({indicator code: comment}; a comment without a figure is kept, see
    `values_save_many`).

    All or nothing: EntryErrors lists every refused figure and nothing is written. Only a draft
    sheet can be changed (reopen an approved or locked one first).

    `shown`, `shown_comments`: the figures and comments as the sheet showed them when opened
    (the page's o-<code>, oc-<code>). Then only what the user changed is written, and a figure
    someone else changed meanwhile raises `EditConflict` (core/concurrency.py).
    """
    sheets = values_save_many(
        actor=actor,
        period=period,
        entries_by_unit={unit: entries},
        comments_by_unit={unit: comments or {}},
        shown_by_unit={unit: (shown or {}, shown_comments or {})}
        if shown is not None or shown_comments is not None
        else None,
    )
    return sheets[unit.pk]


def _clean_comment(raw: Any) -> str:
    """A comment as stored: NFC, without surrounding spaces ("" for none)."""
    return nfc(str(raw)).strip() if raw is not None else ""


@transaction.atomic
def values_save_many(
    *,
    actor: Any,
    period: Period,
    entries_by_unit: Mapping[Unit, Mapping[str, Any]],
    comments_by_unit: Mapping[Unit, Mapping[str, str]] | None = None,
    shown_by_unit: Mapping[Unit, tuple[Mapping[str, Any], Mapping[str, str]]] | None = None,
) -> dict[int, Sheet]:
    """`values_save` for many units at once (an Excel upload): the same checks, all or nothing,
    a bounded number of queries whatever the number of units (bulk writes with history rows,
    one roll-up upsert; only a removed figure or comment costs its own delete).

    Comments: a code absent from a unit's comments keeps its comment; an empty one removes it.
    A comment stays with its figure (`Value.comment`); without a figure — none entered, or the
    figure removed — it is kept as a `Remark`, which the roll-up does not count (no value, no
    unit). Entering the figure later moves the comment back onto it.
    """
    units = list(entries_by_unit)
    for unit in units:
        _refuse_unless(actor, can_enter(actor, unit), unit)
        _require_existed(unit, period)
    allowed = _allowed_by_type(units, period)
    checked = _checked_entries(units, period, allowed, entries_by_unit, comments_by_unit or {})
    sheets = _editable_sheets(units, period)
    for unit, (shown, shown_comments) in (shown_by_unit or {}).items():
        checked[unit.pk] = _changed_by_me(
            unit, period, allowed[unit.unit_type_id], checked[unit.pk], shown, shown_comments
        )
    changes = _planned_changes(units, period, sheets, allowed, checked)
    now = _write_changes(changes, actor)
    rollup.apply_many(period, changes.deltas)
    Sheet.objects.filter(pk__in=[s.pk for s in sheets.values()]).update(updated_at=now)
    return sheets


# The steps of `values_save_many`, in order.

# Per unit: the checked figures ({code: value, None to remove}) and comments ({code: text}).
_Checked = dict[int, tuple[dict[str, Decimal | None], dict[str, str]]]


def _allowed_by_type(units: list[Unit], period: Period) -> dict[int, dict[str, Indicator]]:
    """The indicators each unit type enters, by code (`indicators_for`, once per type)."""
    allowed: dict[int, dict[str, Indicator]] = {}
    for unit in units:
        if unit.unit_type_id not in allowed:
            allowed[unit.unit_type_id] = {i.code: i for i in indicators_for(unit, period)}
    return allowed


def _kept(
    units: list[Unit], period: Period, allowed: dict[int, dict[str, Indicator]]
) -> dict[int, set[str]]:
    """Figures the units do not enter: those their registers give them (`kept_in_registers`)."""
    every = {i.pk: i for codes in allowed.values() for i in codes.values()}
    return selectors.kept_in_registers([u.pk for u in units], period, every.values())


def kept_message(unit: Unit) -> str:
    return _(
        "%(unit)s keeps the register of this figure: it is counted from the records, not "
        "entered. Add or correct the records instead."
    ) % {"unit": unit.name}


def _checked_entries(
    units: list[Unit],
    period: Period,
    allowed: dict[int, dict[str, Indicator]],
    entries_by_unit: Mapping[Unit, Mapping[str, Any]],
    comments_by_unit: Mapping[Unit, Mapping[str, str]],
) -> _Checked:
    """Every figure and comment checked; EntryErrors lists every refused one."""
    errors: list[tuple[str, str]] = []
    checked: _Checked = {}
    kept = _kept(units, period, allowed)
    for unit in units:
        entries = entries_by_unit[unit]
        for code in sorted(kept.get(unit.pk, set()) & set(entries)):
            if entries[code] not in (None, ""):
                errors.append((code, kept_message(unit)))
        checked[unit.pk] = _checked_unit(
            allowed[unit.unit_type_id],
            {c: v for c, v in entries.items() if c not in kept.get(unit.pk, ())},
            comments_by_unit.get(unit, {}),
            errors,
        )
    if errors:
        raise EntryErrors(errors)
    return checked


def _checked_unit(
    allowed: dict[str, Indicator],
    entries: Mapping[str, Any],
    comments: Mapping[str, str],
    errors: list[tuple[str, str]],
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """One unit's figures and comments checked; refusals are added to `errors`."""
    figures: dict[str, Decimal | None] = {}
    notes: dict[str, str] = {}
    for code in sorted(set(entries) | set(comments)):
        indicator = allowed.get(code)
        if indicator is None:
            errors.append((code, _("This indicator is not entered by this unit for this period.")))
            continue
        if code in comments:
            text = _clean_comment(comments[code])
            if len(text) > COMMENT_MAX:
                message = _("The comment is too long: at most %(max)s characters.") % {
                    "max": number(COMMENT_MAX)
                }
                errors.append((code, message))
            else:
                notes[code] = text
        if code in entries:
            try:
                figures[code] = check_value(indicator, entries[code])
            except RuleViolation as exc:
                errors.append((code, str(exc)))
    return figures, notes


def _changed_by_me(
    unit: Unit,
    period: Period,
    allowed: dict[str, Indicator],
    checked: tuple[dict[str, Decimal | None], dict[str, str]],
    shown: Mapping[str, Any],
    shown_comments: Mapping[str, str],
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """The figures and comments the user changed on the sheet as shown (the sheet is locked);
    `EditConflict` when someone else changed the same ones meanwhile."""
    figures, notes = checked
    codes = set(figures) | set(notes)
    stored_values = {
        v.indicator.code: v
        for v in Value.objects.filter(
            unit=unit, period=period, indicator__code__in=codes
        ).select_related("indicator")
    }
    remarks = dict(
        Remark.objects.filter(unit=unit, period=period, indicator__code__in=codes).values_list(
            "indicator__code", "text"
        )
    )
    stored = {c: (v.value if (v := stored_values.get(c)) else None) for c in figures}
    stored_notes = {
        c: (v.comment if (v := stored_values.get(c)) else remarks.get(c, "")) for c in notes
    }
    shown_figures: dict[str, Decimal | None] = {}
    for code, raw in shown.items():
        if code in figures:
            try:
                shown_figures[code] = check_value(allowed[code], raw)
            except RuleViolation:
                continue  # not a figure the page showed: what the user sends is written
    figures, figure_conflicts = merge(figures, shown_figures, stored)
    notes, note_conflicts = merge(
        notes, {c: _clean_comment(t) for c, t in shown_comments.items() if c in notes}, stored_notes
    )
    conflicts = sorted(set(figure_conflicts) | set(note_conflicts))
    if conflicts:
        raise _figures_conflict(unit, period, allowed, conflicts, stored, stored_notes)
    return figures, notes


def _figures_conflict(
    unit: Unit,
    period: Period,
    allowed: dict[str, Indicator],
    codes: list[str],
    stored: dict[str, Decimal | None],
    stored_notes: dict[str, str],
) -> EditConflict:
    last = (
        Value.history.filter(unit_id=unit.pk, period_id=period.pk, indicator__code__in=codes)
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )
    changed = []
    for code in codes:
        now = stored.get(code) if code in stored else None
        text = wording.amount(now, 2) if now is not None else "—"
        if code in stored_notes and code not in stored:
            text = stored_notes[code] or "—"
        changed.append(Changed(name=code, label=allowed[code].name, now=text))
    who = last.history_user if last is not None else None
    return EditConflict(
        _(
            "%(who)s saved figures of %(unit)s at %(when)s, after you opened the sheet, and "
            "changed the ones you changed too: %(figures)s. Nothing was saved; what you entered "
            "is still on the sheet. Check it and save again to keep your values."
        )
        % {
            "who": str(who) if who else _("the system"),
            "unit": unit.name,
            "when": date_format(timezone.localtime(last.history_date), "SHORT_DATETIME_FORMAT")
            if last is not None
            else "—",
            "figures": "; ".join(f"{c.label} ({_('now')}: {c.now})" for c in changed),
        },
        changed=changed,
        state=None,
    )


def _editable_sheets(units: list[Unit], period: Period) -> dict[int, Sheet]:
    """The units' sheets (created when missing), locked; refused unless every one is a draft."""
    ids = [u.pk for u in units]
    Sheet.objects.bulk_create([Sheet(unit_id=u, period=period) for u in ids], ignore_conflicts=True)
    sheets = {
        s.unit_id: s
        for s in Sheet.objects.select_for_update().filter(unit_id__in=ids, period=period)
    }
    for unit in units:
        sheet = sheets[unit.pk]
        if not sheet.is_editable:
            raise RuleViolation(
                _(
                    "The figures of %(unit)s for %(period)s are %(status)s; they can no longer be "
                    "changed unless the unit above reopens them."
                )
                % {"unit": unit.name, "period": period.label, "status": sheet.get_status_display()}
            )
    return sheets


@dataclass
class _Changes:
    """The rows `values_save_many` writes, and the roll-up's differences per unit."""

    created: list[Value] = field(default_factory=list)
    updated: list[Value] = field(default_factory=list)
    removed: list[Value] = field(default_factory=list)
    remarks_created: list[Remark] = field(default_factory=list)
    remarks_updated: list[Remark] = field(default_factory=list)
    remarks_removed: list[Remark] = field(default_factory=list)
    deltas: dict[int, list[rollup.Delta]] = field(default_factory=dict)

    def without_figure(
        self, row: Value | None, remark: Remark | None, comment: str, where: dict[str, Any]
    ) -> None:
        """No figure: the value goes, a comment is kept as a remark."""
        if row is not None:
            self.removed.append(row)
        if not comment:
            if remark is not None:
                self.remarks_removed.append(remark)
        elif remark is None:
            self.remarks_created.append(Remark(**where, text=comment))
        elif remark.text != comment:
            remark.text = comment
            self.remarks_updated.append(remark)

    def with_figure(
        self,
        row: Value | None,
        remark: Remark | None,
        value: Decimal,
        comment: str,
        where: dict[str, Any],
    ) -> None:
        """A figure: the value is added or changed, and a remark's comment goes onto it."""
        if remark is not None:
            self.remarks_removed.append(remark)
        if row is None:
            self.created.append(Value(**where, value=value, comment=comment))
        elif row.value != value or row.comment != comment:
            row.value, row.comment = value, comment
            self.updated.append(row)


def _planned_changes(
    units: list[Unit],
    period: Period,
    sheets: dict[int, Sheet],
    allowed: dict[int, dict[str, Indicator]],
    checked: _Checked,
) -> _Changes:
    """What to write: each checked figure and comment against the stored value and remark."""
    ids = [u.pk for u in units]
    existing = {
        (v.unit_id, v.indicator_id): v for v in Value.objects.filter(unit_id__in=ids, period=period)
    }
    remarks = {
        (r.unit_id, r.indicator_id): r
        for r in Remark.objects.filter(unit_id__in=ids, period=period)
    }
    changes = _Changes()
    for unit in units:
        figures, notes = checked[unit.pk]
        unit_deltas = changes.deltas.setdefault(unit.pk, [])
        for code in sorted(set(figures) | set(notes)):
            indicator = allowed[unit.unit_type_id][code]
            key = (unit.pk, indicator.pk)
            row, remark = existing.get(key), remarks.get(key)
            old = row.value if row else None
            new = figures.get(code, old)
            comment = notes.get(code, row.comment if row else remark.text if remark else "")
            where = {
                "sheet": sheets[unit.pk],
                "unit": unit,
                "period": period,
                "indicator": indicator,
            }
            if new is None:
                changes.without_figure(row, remark, comment, where)
            else:
                changes.with_figure(row, remark, new, comment, where)
            unit_deltas.append(
                rollup.value_delta(indicator.pk, old, new, was_approved=False, is_approved=False)
            )
    return changes


def _write_changes(changes: _Changes, actor: Any) -> dt.datetime:
    """Deletes one by one (each with its history row), the rest in bulk with history rows;
    returns the time written."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    user = actor if getattr(actor, "pk", None) else None
    for gone in (*changes.removed, *changes.remarks_removed):
        stamp(gone, actor, "values_save")
        gone.delete()
    now = timezone.now()
    writes: tuple[tuple[Any, list[Any], list[Any], list[str]], ...] = (
        (Value, changes.created, changes.updated, ["value", "comment", "updated_at"]),
        (Remark, changes.remarks_created, changes.remarks_updated, ["text", "updated_at"]),
    )
    for model, new_rows, changed_rows, fields in writes:
        if new_rows:
            bulk_create_with_history(
                new_rows, model, default_user=user, default_change_reason="values_save"
            )
        if changed_rows:
            for changed in changed_rows:
                changed.updated_at = now
            bulk_update_with_history(
                changed_rows,
                model,
                fields,
                default_user=user,
                default_change_reason="values_save",
            )
    return now


def _move(sheet: Sheet, actor: Any, step: str, to_status: str, reason: str = "") -> Sheet:
    from_status = sheet.status
    was_approved = sheet.is_approved
    now = timezone.now()
    sheet.status = to_status
    fields = ["status", "updated_at"]
    if step == Step.SUBMIT:
        sheet.submitted_at = now
        fields.append("submitted_at")
        if sheet.first_submitted_at is None:
            sheet.first_submitted_at = now
            fields.append("first_submitted_at")
    elif step == Step.APPROVE:
        sheet.approved_at = now
        fields.append("approved_at")
    elif step == Step.LOCK:
        sheet.locked_at = now
        fields.append("locked_at")
    stamp(sheet, actor, f"sheet_{step}")
    sheet.save(update_fields=fields)
    SheetStep.objects.create(
        sheet=sheet,
        step=step,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
    )
    if was_approved != sheet.is_approved:
        sign = 1 if sheet.is_approved else -1
        deltas = [
            rollup.Delta(v.indicator_id, approved=sign * v.value, approved_units=sign)
            for v in sheet.values.all()
        ]
        rollup.apply(sheet.unit_id, sheet.period, deltas)
    return sheet


def _locked_sheet(sheet: Sheet) -> Sheet:
    return Sheet.objects.select_for_update().select_related("unit", "period").get(pk=sheet.pk)


def _wrong_status(sheet: Sheet, action: str) -> RuleViolation:
    return RuleViolation(
        _("The figures of %(unit)s for %(period)s are %(status)s: they cannot be %(action)s.")
        % {
            "unit": sheet.unit.name,
            "period": sheet.period.label,
            "status": sheet.get_status_display(),
            "action": action,
        }
    )


@transaction.atomic
def sheet_submit(*, actor: Any, sheet: Sheet) -> Sheet:
    sheet = _locked_sheet(sheet)
    _refuse_unless(actor, can_enter(actor, sheet.unit), sheet.unit)
    if sheet.status != SheetStatus.DRAFT:
        raise _wrong_status(sheet, _("submitted"))
    if not sheet.values.exists():
        raise RuleViolation(_("There are no figures to submit yet."))
    return _move(sheet, actor, Step.SUBMIT, SheetStatus.SUBMITTED)


@transaction.atomic
def sheet_approve(*, actor: Any, sheet: Sheet) -> Sheet:
    sheet = _locked_sheet(sheet)
    _refuse_unless(actor, can_approve(actor, sheet.unit), sheet.unit)
    if sheet.status != SheetStatus.SUBMITTED:
        raise _wrong_status(sheet, _("approved"))
    return _move(sheet, actor, Step.APPROVE, SheetStatus.APPROVED)


@transaction.atomic
def sheet_return(*, actor: Any, sheet: Sheet, reason: str) -> Sheet:
    """Send submitted figures back to the unit for correction, saying why."""
    sheet = _locked_sheet(sheet)
    _refuse_unless(actor, can_approve(actor, sheet.unit), sheet.unit)
    if sheet.status != SheetStatus.SUBMITTED:
        raise _wrong_status(sheet, _("returned"))
    if not reason.strip():
        raise RuleViolation(_("Say why the figures are returned."), field="reason")
    return _move(sheet, actor, Step.RETURN, SheetStatus.DRAFT, reason.strip())


@transaction.atomic
def sheet_lock(*, actor: Any, sheet: Sheet) -> Sheet:
    sheet = _locked_sheet(sheet)
    _refuse_unless(actor, can_approve(actor, sheet.unit), sheet.unit)
    if sheet.status != SheetStatus.APPROVED:
        raise _wrong_status(sheet, _("locked"))
    return _move(sheet, actor, Step.LOCK, SheetStatus.LOCKED)


@transaction.atomic
def sheet_reopen(*, actor: Any, sheet: Sheet, reason: str) -> Sheet:
    """Reopen approved or locked figures for correction; the reason is recorded."""
    sheet = _locked_sheet(sheet)
    _refuse_unless(actor, can_approve(actor, sheet.unit), sheet.unit)
    if sheet.status not in APPROVED_STATUSES:
        raise _wrong_status(sheet, _("reopened"))
    if not reason.strip():
        raise RuleViolation(_("Reopening needs a reason."), field="reason")
    return _move(sheet, actor, Step.REOPEN, SheetStatus.DRAFT, reason.strip())


def late_sheets_q(period: Period, today: dt.date) -> Q:
    """Sheets of `period` not submitted by its due date (when it has passed)."""
    if period.due_on is None or today <= period.due_on:
        return Q(pk__in=[])
    return Q(period=period, status=SheetStatus.DRAFT)


def describe(value: Decimal | None) -> str:
    return number(value) if value is not None else ""
