"""Indicator pages: choosing a unit and a period, entering figures, the approval workflow, the
approver's work list (targets: `targets.py`).

Views only translate: writes go through `indicators.services` and `indicators.periods` (which
check who may do what), reads through `indicators.selectors`. Every page goes through
`IndicatorPageMixin`: a unit outside one's "indicators.view" scope answers 404 like a missing one,
and so does a period nobody opened; a refused write (`RuleViolation`) is shown on the page and
nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.indicators import derived, periods, selectors, services, wording
from congdoan.indicators.forms import PeriodOpenForm, ReasonForm
from congdoan.indicators.models import Indicator, IndicatorGroup, Period, SheetStatus, Source
from congdoan.indicators.views.base import SHEET_PATH, IndicatorPageMixin, amount
from congdoan.organisation.models import Unit

PERIODS_LISTED = 60
SEARCH_LIMIT = 15
STATUS_BADGES = {
    "": "text-bg-light border",
    SheetStatus.DRAFT: "text-bg-secondary",
    SheetStatus.SUBMITTED: "text-bg-warning",
    SheetStatus.APPROVED: "text-bg-success",
    SheetStatus.LOCKED: "text-bg-dark",
}
ACHIEVEMENT_BADGES = {
    wording.BELOW: "text-bg-danger",
    wording.REACHED: "text-bg-success",
    wording.EXCEEDED: "text-bg-primary",
}


# ---------------------------------------------------------------------------------------------
# Small helpers


def _status_label(status: str) -> str:
    if not status:
        return _("nothing entered")
    return str(SheetStatus(status).label)


def _next_url(request: HttpRequest, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# ---------------------------------------------------------------------------------------------
# Home: choose a unit and a period


class HomeView(IndicatorPageMixin, View):
    """indicators:home — GET unit (id), period (id), q (unit search; htmx: results only)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "").strip()
        hits = selectors.unit_search(self.get_queryset(), q, limit=SEARCH_LIMIT) if q else []
        listed = selectors.periods_latest(limit=PERIODS_LISTED)
        period = self._period(request.GET.get("period", ""), listed)
        if getattr(request, "htmx", False) and "q" in request.GET:
            return render(
                request,
                "indicators/partials/entry_unit_results.html",
                {"q": q, "hits": hits, "period": period},
            )
        unit, unit_error, choices = self._unit(request.GET.get("unit", "").strip())
        sheet = selectors.sheet_find(unit=unit, period=period)
        return render(
            request,
            "indicators/entry/home.html",
            {
                "q": q,
                "hits": hits,
                "unit": unit,
                "unit_error": unit_error,
                "unit_choices": choices,
                "unit_listed": unit is not None and any(u.pk == unit.pk for u, _c in choices),
                "periods": listed,
                "period": period,
                "sheet": sheet,
                "status_label": _status_label(sheet.status if sheet else ""),
                "open_form": PeriodOpenForm() if periods.may_open_calendar(request.user) else None,
            },
        )

    def _unit(self, raw: str) -> tuple[Unit | None, str, list[tuple[Unit, bool]]]:
        """The unit asked for (an error when it is not within the scope), else the first the
        user may choose; and the choices."""
        choices = selectors.units_top(self.request.user)
        if not raw:
            return (choices[0][0] if choices else None), "", choices
        pk = parse_id(raw)
        try:
            unit = self.get_unit(pk) if pk is not None else None
        except Http404:
            unit = None
        return unit, ("" if unit else _("No unit was found within your scope.")), choices

    @staticmethod
    def _period(raw: str, listed: list[Period]) -> Period | None:
        pk = parse_id(raw)
        if pk is not None:
            found = next((p for p in listed if p.pk == pk), None)
            return found or selectors.period_by_id(pk)
        today = timezone.localdate()
        current = [p for p in listed if p.start <= today]
        chosen = current or listed
        return chosen[0] if chosen else None


class PeriodOpenView(IndicatorPageMixin, View):
    """indicators:period_open — POST kind, year, number (and unit to come back to). Opening a
    calendar period is `periods.period_open`, for users who enter or approve figures."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if not periods.may_open_calendar(request.user):
            raise PermissionDenied
        form = PeriodOpenForm(request.POST)
        params: dict[str, Any] = {}
        unit = parse_id(request.POST.get("unit", ""))
        if unit is not None:
            params["unit"] = unit
        if form.is_valid():
            period = self._open(form.cleaned_data)
            if period is not None:
                params["period"] = period.pk
        else:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else str(error))
        url = reverse("indicators:home")
        return HttpResponseRedirect(f"{url}?{urlencode(params)}" if params else url)

    def _open(self, data: dict[str, Any]) -> Period | None:
        try:
            period = periods.period_open(
                actor=self.request.user, kind=data["kind"], year=data["year"], number=data["number"]
            )
        except RuleViolation as exc:
            messages.error(self.request, str(exc))
            return None
        messages.success(self.request, _("Period %(name)s is open.") % {"name": period.label})
        return period


# ---------------------------------------------------------------------------------------------
# The figures sheet


@dataclass
class Row:
    """One line of the sheet: an indicator, its own value and comment, and the figure of the
    unit's subtree with the target and the achievement."""

    indicator: Indicator
    value_text: str = ""
    comment: str = ""
    figure: selectors.Figure | None = None
    error: str = ""
    editable: bool = False
    # Kept in a register by this unit: the value is counted from its records (read-only).
    records_url: str = ""
    # The figure and comment as stored when the page was made (o-<code>, oc-<code>): a save
    # writes only what the user changed from them (core/concurrency.py).
    shown_value: str = ""
    shown_comment: str = ""

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def total_text(self) -> str:
        return amount(self.figure.value) if self.figure else ""

    @property
    def target_text(self) -> str:
        return amount(self.figure.target) if self.figure else ""

    @property
    def percent_text(self) -> str:
        return wording.percent(self.figure.percent) if self.figure else ""

    @property
    def status(self) -> str:
        return (self.figure.status or "") if self.figure else ""

    @property
    def status_label(self) -> str:
        return wording.status_label(self.status)

    @property
    def status_badge(self) -> str:
        return ACHIEVEMENT_BADGES.get(self.status, "")

    @property
    def approval_text(self) -> str:
        """✓ when every value behind the figure is approved, else "approved/entered" units."""
        fig = self.figure
        if fig is None or fig.value is None:
            return ""
        if fig.is_approved:
            return "✓"
        return f"{fig.approved_units}/{fig.units}" if fig.units else ""


def _groups(rows: list[Row]) -> list[tuple[IndicatorGroup, list[Row]]]:
    out: list[tuple[IndicatorGroup, list[Row]]] = []
    for row in rows:
        group = row.indicator.group
        if not out or out[-1][0].pk != group.pk:
            out.append((group, []))
        out[-1][1].append(row)
    return out


class SheetContext:
    """Everything the sheet page shows, read with a fixed number of queries whatever the number
    of indicators: one for the catalogue, one `selectors.figures` call, one each for the values,
    the comments without a figure, the steps and the trail. `only` (an indicator code): just that
    row, for the htmx fragment — its own figure, not the whole sheet's derived figures."""

    def __init__(
        self, user: Any, unit: Unit, period: Period, only: str | None = None, *, can_audit: bool
    ):
        self.unit, self.period, self.can_audit = unit, period, can_audit
        self.sheet = selectors.sheet_find(unit=unit, period=period)
        self.status = self.sheet.status if self.sheet else SheetStatus.DRAFT
        self.can_enter = services.can_enter(user, unit)
        self.can_approve = services.can_approve(user, unit)
        self.editable = self.can_enter and self.status == SheetStatus.DRAFT
        shown = self._indicators(only)
        self.figures = selectors.unit_figures(unit.pk, period, shown) if shown else {}
        self.values: dict[int, Any] = {}
        self.remarks: dict[int, str] = {}
        if self.sheet:
            rows = self.entered if only is not None else None
            self.values = selectors.sheet_values(unit=unit, period=period, indicators=rows)
            self.remarks = selectors.sheet_remarks(unit=unit, period=period, indicators=rows)
        # Figures this unit keeps in a register: its own value counted from the records.
        # (Read for every indicator shown, not only the entered ones, so that the sheet reads
        # the same queries whichever indicators its unit enters.)
        self.kept = selectors.kept_in_registers([unit.pk], period, shown).get(unit.pk, set())
        self.kept &= {i.code for i in self.entered}
        cache: dict[Any, Any] = {}  # definitions of one register share one read
        self.kept_values = {
            i.code: derived.own_values(i.derivation, [unit.pk], period, cache).get(
                unit.pk, Decimal(0)
            )
            for i in self.entered
            if i.code in self.kept
        }

    def _indicators(self, only: str | None) -> list[Indicator]:
        """Sets the rows' indicators (entered, computed, entered below); returns those whose
        figures are read: the whole catalogue in one read (formulas find their inputs without
        another query), or only the row's."""
        entered, others = services.sheet_indicators(self.unit, self.period)
        if only is not None:
            self.entered = [i for i in entered if i.code == only]
            self.computed: list[Indicator] = []
            self.below: list[Indicator] = []
            return self.entered
        self.entered = entered
        self.computed = [i for i in others if i.source != Source.ENTERED]
        # Entered by other types of units (its grassroots unions): their total, read-only.
        self.below = [i for i in others if i.source == Source.ENTERED] if self.unit.numchild else []
        return [*entered, *others]

    def row(self, indicator: Indicator, posted: dict[str, Any] | None = None) -> Row:
        value = self.values.get(indicator.pk)
        row = Row(
            indicator,
            value_text=amount(value.value) if value else "",
            comment=value.comment if value else self.remarks.get(indicator.pk, ""),
            figure=self.figures.get(indicator.code),
            editable=self.editable,
        )
        if indicator.code in self.kept:
            row.value_text = amount(self.kept_values[indicator.code])
            row.records_url = derived.records_link(indicator.derivation, self.unit.pk, self.period)
        row.shown_value, row.shown_comment = row.value_text, row.comment
        if posted is not None:
            row.value_text = posted.get(f"v-{indicator.code}", row.value_text)
            row.comment = posted.get(f"c-{indicator.code}", row.comment)
        return row

    def page(
        self,
        *,
        posted: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        action_error: str = "",
        reason_form: ReasonForm | None = None,
    ) -> dict[str, Any]:
        errors = errors or {}
        rows = []
        for indicator in self.entered:
            row = self.row(indicator, posted)
            row.error = errors.get(indicator.code, "")
            rows.append(row)
        computed = [Row(i, figure=self.figures.get(i.code)) for i in self.computed]
        # Only what the units below have entered or been assigned.
        below = [
            Row(i, figure=fig)
            for i in self.below
            if (fig := self.figures.get(i.code)) and (fig.value is not None or fig.target)
        ]
        steps = selectors.sheet_steps(self.sheet) if self.sheet else []
        trail = selectors.sheet_trail(self.sheet) if self.sheet and self.can_audit else None
        other_errors = [
            (code, msg) for code, msg in errors.items() if code not in {r.code for r in rows}
        ]
        return {
            "unit": self.unit,
            "period": self.period,
            "sheet": self.sheet,
            "status": self.status,
            "status_label": _status_label(self.status if self.sheet else ""),
            "status_badge": STATUS_BADGES.get(self.status if self.sheet else "", ""),
            "editable": self.editable,
            "can_enter": self.can_enter,
            "can_approve": self.can_approve,
            "groups": _groups(rows),
            "computed_groups": _groups(computed),
            "below_groups": _groups(below),
            "errors": errors,
            "other_errors": other_errors,
            "steps": steps,
            "trail": trail,
            "action_error": action_error,
            "reason_form": reason_form or ReasonForm(),
            "has_children": self.unit.numchild > 0,
            "due_on": self.period.due_on,
        }


def _shown(request: HttpRequest, codes: list[str]) -> dict[str, dict[str, str]]:
    """The figures and comments as the page showed them (o-<code>, oc-<code>)."""
    return {
        "shown": {c: request.POST[f"o-{c}"] for c in codes if f"o-{c}" in request.POST},
        "shown_comments": {c: request.POST[f"oc-{c}"] for c in codes if f"oc-{c}" in request.POST},
    }


def _sheet_url(unit: Unit, period: Period) -> str:
    return reverse("indicators:sheet", kwargs={"unit": unit.pk, "period": period.pk})


class SheetPageMixin(IndicatorPageMixin):
    """Pages that show a unit's sheet (the sheet itself, and refused writes on it)."""

    def sheet_context(self, unit: Unit, period: Period, only: str | None = None) -> SheetContext:
        return SheetContext(
            self.request.user,
            unit,
            period,
            only,
            can_audit=self.can(Action.AUDIT_VIEW, unit),
        )


class SheetView(SheetPageMixin, View):
    """indicators:sheet — GET the figures; POST "Save all" (v-<code>, c-<code> for each row)."""

    template_name = "indicators/entry/sheet.html"

    def get(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        return render(request, self.template_name, self.sheet_context(u, p).page())

    def post(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        codes = [i.code for i in services.indicators_for(u, p)]
        entries = {c: request.POST[f"v-{c}"] for c in codes if f"v-{c}" in request.POST}
        comments = {c: request.POST[f"c-{c}"] for c in codes if f"c-{c}" in request.POST}
        try:
            services.values_save(
                actor=request.user,
                unit=u,
                period=p,
                entries=entries,
                comments=comments,
                **_shown(request, codes),
            )
        except services.EntryErrors as exc:
            ctx = self.sheet_context(u, p).page(posted=request.POST.dict(), errors=dict(exc.errors))
            ctx["action_error"] = _("Nothing was saved: correct the figures marked below.")
            return render(request, self.template_name, ctx, status=400)
        except RuleViolation as exc:
            ctx = self.sheet_context(u, p).page(posted=request.POST.dict(), action_error=str(exc))
            return render(request, self.template_name, ctx, status=400)
        messages.success(request, _("The figures are saved."))
        return HttpResponseRedirect(_sheet_url(u, p))


class SheetCellView(SheetPageMixin, View):
    """indicators:sheet_cell — POST one row's v-<code>, c-<code>; htmx gets the row back (with
    the error next to the field, nothing saved), other requests go back to the sheet."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, unit: int, period: int, code: str) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        entries = {code: request.POST[f"v-{code}"]} if f"v-{code}" in request.POST else {}
        comments = {code: request.POST[f"c-{code}"]} if f"c-{code}" in request.POST else {}
        error = ""
        try:
            services.values_save(
                actor=request.user,
                unit=u,
                period=p,
                entries=entries,
                comments=comments,
                **_shown(request, [code]),
            )
        except services.EntryErrors as exc:
            error = "; ".join(msg for _c, msg in exc.errors)
        except RuleViolation as exc:
            error = str(exc)
        if not getattr(request, "htmx", False):
            if error:
                messages.error(request, error)
            else:
                messages.success(request, _("The figures are saved."))
            return HttpResponseRedirect(_sheet_url(u, p))
        ctx = self.sheet_context(u, p, only=code)
        indicator = next(iter(ctx.entered), None)
        if indicator is None:
            return HttpResponse(
                format_html('<tr><td colspan="8" class="text-danger">{}</td></tr>', error)
            )
        row = ctx.row(indicator, request.POST.dict() if error else None)
        row.error = error
        return render(
            request,
            "indicators/partials/entry_row.html",
            {
                "row": row,
                "unit": u,
                "period": p,
                "saved": not error,
                "has_children": u.numchild > 0,
            },
        )


# The workflow steps: the service each calls and the message it leaves.
STEPS: dict[str, tuple[Any, bool, Promise]] = {
    # step: (service, takes a reason, message)
    "submit": (
        services.sheet_submit,
        False,
        gettext_lazy("The figures of %(unit)s for %(period)s are submitted for approval."),
    ),
    "approve": (
        services.sheet_approve,
        False,
        gettext_lazy("The figures of %(unit)s for %(period)s are approved."),
    ),
    "return": (
        services.sheet_return,
        True,
        gettext_lazy("The figures of %(unit)s for %(period)s are returned for correction."),
    ),
    "lock": (
        services.sheet_lock,
        False,
        gettext_lazy("The figures of %(unit)s for %(period)s are locked."),
    ),
    "reopen": (
        services.sheet_reopen,
        True,
        gettext_lazy("The figures of %(unit)s for %(period)s are reopened for correction."),
    ),
}


class SheetActionView(SheetPageMixin, View):
    """A workflow step (`step`: submit, approve, return, lock, reopen): POST (reason, next);
    success goes back with a message, a refusal shows the sheet with the reason why (400)."""

    http_method_names = ["post"]
    step = ""

    def post(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        service, takes_reason, done = STEPS[self.step]
        form = ReasonForm(request.POST)
        reason = request.POST.get("reason", "")
        sheet = selectors.sheet_find(unit=u, period=p)
        try:
            if sheet is None:
                raise RuleViolation(_("There are no figures to submit yet."))
            if takes_reason:
                service(actor=request.user, sheet=sheet, reason=reason)
            else:
                service(actor=request.user, sheet=sheet)
        except RuleViolation as exc:
            if exc.field == "reason" and form.is_valid():
                form.add_error("reason", str(exc))
            ctx = self.sheet_context(u, p).page(action_error=str(exc), reason_form=form)
            return render(request, SheetView.template_name, ctx, status=400)
        messages.success(request, str(done) % {"unit": u.name, "period": p.label})
        return HttpResponseRedirect(_next_url(request, _sheet_url(u, p)))


# ---------------------------------------------------------------------------------------------
# The approver's work list


@dataclass
class ChildLine:
    unit_id: int
    name: str
    code: str
    status: str
    status_label: str
    status_badge: str
    late: bool
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None
    below: list[tuple[str, str, int]] = field(default_factory=list)  # (status label, badge, n)
    below_total: int = 0


def _child_line(
    kid: int,
    name: str,
    code: str,
    state: selectors.SheetState,
    submitted: dt.datetime | None,
    below: Counter[str] | None,
) -> ChildLine:
    """A unit below: its sheet, and how many units below it have entered, sent… their own."""
    return ChildLine(
        kid,
        name,
        code,
        state.status,
        _status_label(state.status),
        STATUS_BADGES.get(state.status, ""),
        state.late,
        submitted,
        state.updated_at,
        [
            (_status_label(st), STATUS_BADGES.get(st, ""), below[st])
            for st in ("", *SheetStatus.values)
            if below and below[st]
        ],
        sum(below.values()) if below else 0,
    )


class ChildrenView(IndicatorPageMixin, View):
    """indicators:children — the units directly below, as of the period end, and their sheets."""

    def get(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        kids = selectors.children_on(u.pk, p.end, request.user)
        ids = [k for k, _n, _c in kids]
        states = selectors.sheet_states(ids, p, timezone.localdate())
        submitted = selectors.submitted_at(ids, p) if ids else {}
        below = selectors.sheets_below(ids, p) if ids else {}
        lines = [
            _child_line(kid, name, code, states[kid], submitted.get(kid), below.get(kid))
            for kid, name, code in kids
        ]
        counts = Counter(line.status for line in lines)
        summary = [
            (_status_label(s), STATUS_BADGES[s], counts.get(s, 0))
            for s in ("", *SheetStatus.values)
        ]
        return render(
            request,
            "indicators/entry/children.html",
            {
                "unit": u,
                "period": p,
                "lines": lines,
                "summary": summary,
                "late": sum(1 for line in lines if line.late),
                "can_approve": self.can(Action.INDICATORS_APPROVE, u),
            },
        )


_SHEET = SHEET_PATH

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("periods/open/", PeriodOpenView.as_view(), name="period_open"),
    path(f"{_SHEET}sheet/", SheetView.as_view(), name="sheet"),
    path(f"{_SHEET}sheet/cell/<slug:code>/", SheetCellView.as_view(), name="sheet_cell"),
    path(f"{_SHEET}sheet/submit/", SheetActionView.as_view(step="submit"), name="sheet_submit"),
    path(f"{_SHEET}sheet/approve/", SheetActionView.as_view(step="approve"), name="sheet_approve"),
    path(f"{_SHEET}sheet/return/", SheetActionView.as_view(step="return"), name="sheet_return"),
    path(f"{_SHEET}sheet/lock/", SheetActionView.as_view(step="lock"), name="sheet_lock"),
    path(f"{_SHEET}sheet/reopen/", SheetActionView.as_view(step="reopen"), name="sheet_reopen"),
    path(f"{_SHEET}children/", ChildrenView.as_view(), name="children"),
]
