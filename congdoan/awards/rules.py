"""Eligibility rules, checked by `services.award_add` before an award is written.

Three layers, run in this order:

1. Rules every award obeys (`BASE_RULES`): the form may go to this kind of recipient; the form
   belongs to the regulation of the decision (the one in force on its date); the issuer is at
   the form's level; a thematic form names its theme.
2. Data rules, read from `AwardForm.rules` (`DATA_RULES`, one handler per key):
   - `min_union_years` (int): a member needs this many full years of union membership, from
     `Member.admitted_on` to the decision's date;
   - `once_per_person` (bool): a member (or an outside person, by name) receives the form once;
   - `quota_per_decision` (int): how many awards of the form one decision may hold;
   - `benefit_thresholds` ({category: đồng}): the award's `details` give the author's
     `category` (a key of the table: "worker", "engineer") and the initiative's `benefit` in
     đồng, which must reach the category's threshold.
   The numbers are data, versioned with the regulation: the seeded values (migration
   0002_default_catalogue) are configurable defaults to be checked against the regulation's
   text, not quotations of it.
3. Checks registered in code (`@check("name")`) for what data cannot say, run when the form
   names them in `AwardForm.checks`: `overall_excludes_thematic` — a unit that gets an overall
   award does not also get a thematic one from the same issuer in the same year (either order).

Each refusal is a `RuleViolation` whose Vietnamese message names the rule and the recipient. An
unknown rule key or check name is refused too: a misspelt rule must not pass silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from congdoan.awards.models import (
    LEVEL_CODES,
    Award,
    IssuerLevel,
    RecipientKind,
    Scope,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number, short_date
from congdoan.core.text import fold

Rule = Callable[[Award], None]
DataRule = Callable[[Award, Any], None]

CHECKS: dict[str, Rule] = {}
DATA_RULES: dict[str, DataRule] = {}


def check(name: str) -> Callable[[Rule], Rule]:
    """Register a check that forms may name in `AwardForm.checks`."""

    def register(function: Rule) -> Rule:
        CHECKS[name] = function
        return function

    return register


def data_rule(key: str) -> Callable[[DataRule], DataRule]:
    """Register the handler of a key of `AwardForm.rules`."""

    def register(function: DataRule) -> DataRule:
        DATA_RULES[key] = function
        return function

    return register


def check_award(award: Award) -> None:
    """Run every rule on an award not yet saved (decision and form set); raise the first
    refusal."""
    for rule in BASE_RULES:
        rule(award)
    for key, value in (award.form.rules or {}).items():
        handler = DATA_RULES.get(key)
        if handler is None:
            raise RuleViolation(
                _("%(form)s has an unknown rule %(rule)s.") % {"form": award.form, "rule": key}
            )
        handler(award, value)
    for name in award.form.checks or []:
        function = CHECKS.get(name)
        if function is None:
            raise RuleViolation(
                _("%(form)s has an unknown check %(rule)s.") % {"form": award.form, "rule": name}
            )
        function(award)


def union_years(admitted_on: dt.date, day: dt.date) -> int:
    """Full years from `admitted_on` to `day` (0 before the first anniversary)."""
    years = (
        day.year - admitted_on.year - ((day.month, day.day) < (admitted_on.month, admitted_on.day))
    )
    return max(years, 0)


def _names(award: Award) -> dict[str, Any]:
    return {"form": award.form.name, "recipient": award.recipient_label}


# ---------------------------------------------------------------------------------------------
# 1. Rules of every award


def _recipient_allowed(award: Award) -> None:
    kind = award.recipient_kind
    if not award.form.allows(kind):
        allowed = ", ".join(str(RecipientKind(k).label) for k in award.form.recipients or [])
        raise RuleViolation(
            _("%(form)s cannot be given to %(recipient)s (%(kind)s): it is for %(allowed)s.")
            % {**_names(award), "kind": RecipientKind(kind).label, "allowed": allowed or "—"},
            field="form",
        )


def _form_of_regulation(award: Award) -> None:
    decision = award.decision
    if award.form.regulation_id != decision.regulation_id:
        raise RuleViolation(
            _(
                "%(form)s belongs to %(form_regulation)s, not to %(regulation)s, the regulation "
                "of decision %(decision)s of %(date)s."
            )
            % {
                "form": award.form.name,
                "form_regulation": award.form.regulation.name,
                "regulation": decision.regulation.name,
                "decision": decision.number,
                "date": short_date(decision.signed_on),
            },
            field="form",
        )


def _issuer_level(award: Award) -> None:
    decision, form = award.decision, award.form
    if decision.issuer_unit is None:
        ok = form.issuer_level == IssuerLevel.OUTSIDE
    else:
        level = decision.issuer_unit.unit_type.level.code
        ok = level in LEVEL_CODES.get(form.issuer_level, frozenset())
    if not ok:
        raise RuleViolation(
            _("%(form)s is issued by the level “%(level)s”; %(issuer)s is not at that level.")
            % {
                "form": form.name,
                "level": IssuerLevel(form.issuer_level).label,
                "issuer": decision.issuer_label,
            },
            field="form",
        )


def _theme(award: Award) -> None:
    if award.form.scope == Scope.THEMATIC and not award.theme.strip():
        raise RuleViolation(
            _("%(form)s is thematic: give the theme of the award to %(recipient)s.")
            % _names(award),
            field="theme",
        )


BASE_RULES: tuple[Rule, ...] = (_recipient_allowed, _form_of_regulation, _issuer_level, _theme)


# ---------------------------------------------------------------------------------------------
# 2. Data rules


def _others(award: Award) -> Any:
    return Award.objects.exclude(pk=award.pk) if award.pk else Award.objects.all()


@data_rule("min_union_years")
def _min_union_years(award: Award, years: Any) -> None:
    """Members only: an outside person has no admission date to count from."""
    if award.member is None:
        return
    has = union_years(award.member.admitted_on, award.decision.signed_on)
    if has < int(years):
        raise RuleViolation(
            _(
                "%(form)s needs at least %(years)s years of union membership: %(recipient)s has "
                "%(has)s (admitted on %(admitted)s, decision of %(date)s)."
            )
            % {
                **_names(award),
                "years": number(int(years)),
                "has": number(has),
                "admitted": short_date(award.member.admitted_on),
                "date": short_date(award.decision.signed_on),
            },
            field="member",
        )


@data_rule("once_per_person")
def _once_per_person(award: Award, once: Any) -> None:
    """The form's code across regulations: a medal of 2019 counts for the 2024 one."""
    if not once or award.recipient_kind not in (RecipientKind.MEMBER, RecipientKind.OUTSIDE_PERSON):
        return
    same = _others(award).filter(form__code=award.form.code)
    if award.member is not None:
        earlier = same.filter(member=award.member)
    else:
        key = fold(award.outside_name)
        ids = [
            a.pk
            for a in same.filter(member__isnull=True, outside_kind=award.outside_kind)
            if fold(a.outside_name) == key
        ]
        earlier = same.filter(pk__in=ids)
    first = earlier.select_related("decision").order_by("decision__signed_on").first()
    if first is not None:
        raise RuleViolation(
            _(
                "%(form)s is given once per person: %(recipient)s received it by decision %(decision)s."
            )
            % {**_names(award), "decision": first.decision.number},
            field="form",
        )


@data_rule("quota_per_decision")
def _quota_per_decision(award: Award, quota: Any) -> None:
    """Checked in the decision, not on a nomination (which has no decision yet)."""
    if award.decision.pk is None:
        return
    held = _others(award).filter(decision=award.decision, form=award.form).count()
    if held >= int(quota):
        raise RuleViolation(
            _(
                "Decision %(decision)s may hold at most %(quota)s awards of %(form)s: "
                "%(recipient)s would be one too many."
            )
            % {**_names(award), "decision": award.decision.number, "quota": number(int(quota))},
            field="form",
        )


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


@data_rule("benefit_thresholds")
def _benefit_thresholds(award: Award, thresholds: Any) -> None:
    details = award.details if isinstance(award.details, dict) else {}
    category = str(details.get("category", ""))
    if category not in thresholds:
        raise RuleViolation(
            _("%(form)s for %(recipient)s: give the author's category (%(categories)s).")
            % {**_names(award), "categories": ", ".join(sorted(thresholds))},
            field="details",
        )
    benefit = _amount(details.get("benefit"))
    if benefit is None:
        raise RuleViolation(
            _("%(form)s for %(recipient)s: give the benefit of the initiative in đồng.")
            % _names(award),
            field="details",
        )
    threshold = Decimal(str(thresholds[category]))
    if benefit < threshold:
        raise RuleViolation(
            _(
                "%(form)s needs a benefit of at least %(threshold)s đồng for the author category "
                "%(category)s: the initiative of %(recipient)s brought %(benefit)s đồng."
            )
            % {
                **_names(award),
                "threshold": number(threshold),
                "category": category,
                "benefit": number(benefit),
            },
            field="details",
        )


# ---------------------------------------------------------------------------------------------
# 3. Checks registered in code


def _issuer_filter(award: Award) -> dict[str, Any]:
    decision = award.decision
    if decision.issuer_unit_id is not None:
        return {"decision__issuer_unit_id": decision.issuer_unit_id}
    return {"decision__issuer_unit__isnull": True, "decision__issuer_name": decision.issuer_name}


@check("overall_excludes_thematic")
def _overall_excludes_thematic(award: Award) -> None:
    """A unit that gets an overall award does not also get a thematic one from the same issuer
    in the same year, whichever comes first."""
    if award.unit is None or award.form.scope not in (Scope.OVERALL, Scope.THEMATIC):
        return
    other_scope = Scope.THEMATIC if award.form.scope == Scope.OVERALL else Scope.OVERALL
    clash = (
        _others(award)
        .filter(unit=award.unit, year=award.year, form__scope=other_scope, **_issuer_filter(award))
        .select_related("form", "decision")
        .first()
    )
    if clash is None:
        return
    names = {
        **_names(award),
        "other": clash.form.name,
        "decision": clash.decision.number,
        "year": award.year,
        "issuer": award.decision.issuer_label,
    }
    if award.form.scope == Scope.THEMATIC:
        message = _(
            "%(recipient)s already has the overall award %(other)s of %(issuer)s for %(year)s "
            "(decision %(decision)s): it cannot also get the thematic %(form)s."
        )
    else:
        message = _(
            "%(recipient)s already has the thematic award %(other)s of %(issuer)s for %(year)s "
            "(decision %(decision)s): it cannot also get the overall %(form)s."
        )
    raise RuleViolation(message % names, field="form")


@check("graded_good_or_better")
def _graded_good_or_better(award: Award) -> None:
    """A grassroots union whose grading for the emulation year is confirmed (grading app) gets
    the form only when graded good or better (Hoàn thành tốt nhiệm vụ and above). A union with
    no confirmed grading of that year in the system is not refused: many are graded on paper,
    and the council checks them from the dossier."""
    from congdoan.grading.selectors import is_good_or_better, result_for

    unit = award.unit
    if unit is None or not unit.unit_type.is_grassroots:
        return
    grading = result_for(unit, award.year)
    if grading is None or is_good_or_better(grading):
        return
    raise RuleViolation(
        _(
            "%(form)s goes to grassroots unions graded good or better: %(recipient)s was graded "
            "“%(category)s” for %(year)s."
        )
        % {**_names(award), "category": grading.category.name, "year": award.year},
        field="unit",
    )
