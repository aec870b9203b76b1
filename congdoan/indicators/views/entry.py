"""Indicator pages: choosing a unit and a period, entering figures, the approval workflow, the
approver's work list (targets: `targets.py`).

Views only translate: writes go through `indicators.services` (which check who may do what),
reads through `indicators.selectors`. Units are fetched with `get_visible_or_404` under
"indicators.view", so a unit outside one's scope answers 404 like a missing one; a refused write
(`RuleViolation`) is shown on the page and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from congdoan.core.audit import audit_trail
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404, path_in_scope, scope_prefixes
from congdoan.indicators import selectors, services, wording
from congdoan.indicators.forms import PeriodOpenForm, ReasonForm
from congdoan.indicators.models import (
    Indicator,
    IndicatorGroup,
    Period,
    Remark,
    Sheet,
    SheetStatus,
    SheetStep,
    Source,
    Value,
)
from congdoan.indicators.periods import period_get
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
# Small read helpers


def _amount(value: Decimal | None) -> str:
    """A figure in Vietnamese format without trailing zero decimals ("1.234.567", "12,5")."""
    return wording.amount(value, 2) if value is not None else ""


def _status_label(status: str) -> str:
    if not status:
        return _("nothing entered")
    return str(SheetStatus(status).label)


def _unit(request: HttpRequest, pk: int) -> Unit:
    return get_visible_or_404(
        Unit.objects.select_related("parent", "unit_type"),
        request.user,
        Action.INDICATORS_VIEW,
        pk=pk,
    )


def _unit_and_period(request: HttpRequest, unit: int, period: int) -> tuple[Unit, Period]:
    return _unit(request, unit), get_object_or_404(Period, pk=period)


def _may_approve_somewhere(user: Any) -> bool:
    prefixes = scope_prefixes(user, Action.INDICATORS_APPROVE)
    return prefixes is None or bool(prefixes)


def _top_units(user: Any) -> list[tuple[Unit, bool]]:
    """The user's topmost visible units, each followed by its active children: (unit, is child)."""
    prefixes = scope_prefixes(user, Action.INDICATORS_VIEW)
    if prefixes is None:
        tops = list(Unit.objects.filter(depth=1))
    elif prefixes:
        tops = list(Unit.objects.filter(path__in=prefixes))
    else:
        return []
    children: dict[int, list[Unit]] = {}
    for kid in Unit.objects.filter(parent__in=tops).active().order_by("name"):
        children.setdefault(kid.parent_id or 0, []).append(kid)
    out: list[tuple[Unit, bool]] = []
    for top in sorted(tops, key=lambda u: u.path):
        out.append((top, False))
        out.extend((kid, True) for kid in children.get(top.pk, []))
    return out


def _submitted_at(unit_ids: list[int], period: Period) -> dict[int, dt.datetime | None]:
    return dict(
        Sheet.objects.filter(unit_id__in=unit_ids, period=period).values_list(
            "unit_id", "submitted_at"
        )
    )


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


class HomeView(LoginRequiredMixin, View):
    """indicators:home — GET unit (id), period (id), q (unit search; htmx: results only)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        q = request.GET.get("q", "").strip()
        hits: list[Unit] = []
        if q:
            hits = list(
                Unit.objects.visible_to(user, Action.INDICATORS_VIEW)
                .search(q)
                .select_related("unit_type")
                .order_by("dissolved_on", "depth", "path")[:SEARCH_LIMIT]
            )
        periods = list(Period.objects.order_by("-end", "start", "kind")[:PERIODS_LISTED])
        period = self._period(request.GET.get("period", ""), periods)
        if getattr(request, "htmx", False) and "q" in request.GET:
            return render(
                request,
                "indicators/partials/entry_unit_results.html",
                {"q": q, "hits": hits, "period": period},
            )
        unit: Unit | None = None
        unit_error = ""
        raw_unit = request.GET.get("unit", "").strip()
        if raw_unit:
            unit = (
                Unit.objects.visible_to(user, Action.INDICATORS_VIEW).filter(pk=raw_unit).first()
                if raw_unit.isdigit()
                else None
            )
            if unit is None:
                unit_error = _("No unit was found within your scope.")
        choices = _top_units(user)
        if unit is None and not raw_unit and choices:
            unit = choices[0][0]
        sheet = (
            Sheet.objects.filter(unit=unit, period=period).first()
            if unit is not None and period is not None
            else None
        )
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
                "periods": periods,
                "period": period,
                "sheet": sheet,
                "status_label": _status_label(sheet.status if sheet else ""),
                "open_form": PeriodOpenForm() if _may_approve_somewhere(user) else None,
            },
        )

    @staticmethod
    def _period(raw: str, periods: list[Period]) -> Period | None:
        if raw.isdigit():
            found = next((p for p in periods if p.pk == int(raw)), None)
            return found or Period.objects.filter(pk=int(raw)).first()
        today = timezone.localdate()
        current = [p for p in periods if p.start <= today]
        chosen = current or periods
        return chosen[0] if chosen else None


class PeriodOpenView(LoginRequiredMixin, View):
    """indicators:period_open — POST kind, year, number (and unit to come back to)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if not _may_approve_somewhere(request.user):
            raise PermissionDenied
        form = PeriodOpenForm(request.POST)
        params: dict[str, Any] = {}
        unit = request.POST.get("unit", "")
        if unit.isdigit():
            params["unit"] = unit
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = period_get(data["kind"], data["year"], data["number"])
            except RuleViolation as exc:
                messages.error(request, str(exc))
            else:
                params["period"] = period.pk
                messages.success(request, _("Period %(name)s is open.") % {"name": period.name})
        else:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else str(error))
        url = reverse("indicators:home")
        return HttpResponseRedirect(f"{url}?{urlencode(params)}" if params else url)


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

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def total_text(self) -> str:
        return _amount(self.figure.value) if self.figure else ""

    @property
    def target_text(self) -> str:
        return _amount(self.figure.target) if self.figure else ""

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

    def __init__(self, request: HttpRequest, unit: Unit, period: Period, only: str | None = None):
        self.request, self.unit, self.period = request, unit, period
        user = request.user
        self.sheet = Sheet.objects.filter(unit=unit, period=period).first()
        self.status = self.sheet.status if self.sheet else SheetStatus.DRAFT
        self.can_enter = services.can_enter(user, unit)
        self.can_approve = services.can_approve(user, unit)
        self.editable = self.can_enter and self.status == SheetStatus.DRAFT
        entered, others = services.sheet_indicators(unit, period)
        if only is not None:
            self.entered = [i for i in entered if i.code == only]
            self.computed: list[Indicator] = []
            self.below: list[Indicator] = []
        else:
            self.entered = entered
            self.computed = [i for i in others if i.source != Source.ENTERED]
            # Entered by other types of units (its grassroots unions): their total, read-only.
            self.below = [i for i in others if i.source == Source.ENTERED] if unit.numchild else []
        # The whole catalogue in one read (formulas find their inputs without another query).
        shown = self.entered if only is not None else [*entered, *others]
        self.figures = selectors.unit_figures(unit.pk, period, shown) if shown else {}
        values = Value.objects.filter(unit=unit, period=period)
        remarks = Remark.objects.filter(unit=unit, period=period)
        if only is not None:
            values = values.filter(indicator__in=self.entered)
            remarks = remarks.filter(indicator__in=self.entered)
        self.values = {v.indicator_id: v for v in values} if self.sheet else {}
        self.remarks = {r.indicator_id: r.text for r in remarks} if self.sheet else {}

    def row(self, indicator: Indicator, posted: dict[str, Any] | None = None) -> Row:
        value = self.values.get(indicator.pk)
        row = Row(
            indicator,
            value_text=_amount(value.value) if value else "",
            comment=value.comment if value else self.remarks.get(indicator.pk, ""),
            figure=self.figures.get(indicator.code),
            editable=self.editable,
        )
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
        steps = (
            list(SheetStep.objects.filter(sheet=self.sheet).select_related("actor"))
            if self.sheet
            else []
        )
        trail = None
        if self.sheet and path_in_scope(self.request.user, Action.AUDIT_VIEW, self.unit.path):
            trail = audit_trail(
                Value.history.filter(sheet_id=self.sheet.pk),
                Remark.history.filter(sheet_id=self.sheet.pk),
                limit=50,
            )
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


def _sheet_url(unit: Unit, period: Period) -> str:
    return reverse("indicators:sheet", kwargs={"unit": unit.pk, "period": period.pk})


class SheetView(LoginRequiredMixin, View):
    """indicators:sheet — GET the figures; POST "Save all" (v-<code>, c-<code> for each row)."""

    template_name = "indicators/entry/sheet.html"

    def get(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = _unit_and_period(request, unit, period)
        return render(request, self.template_name, SheetContext(request, u, p).page())

    def post(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = _unit_and_period(request, unit, period)
        codes = [i.code for i in services.indicators_for(u, p)]
        entries = {c: request.POST[f"v-{c}"] for c in codes if f"v-{c}" in request.POST}
        comments = {c: request.POST[f"c-{c}"] for c in codes if f"c-{c}" in request.POST}
        try:
            services.values_save(
                actor=request.user, unit=u, period=p, entries=entries, comments=comments
            )
        except services.EntryErrors as exc:
            ctx = SheetContext(request, u, p).page(
                posted=request.POST.dict(), errors=dict(exc.errors)
            )
            ctx["action_error"] = _("Nothing was saved: correct the figures marked below.")
            return render(request, self.template_name, ctx, status=400)
        except RuleViolation as exc:
            ctx = SheetContext(request, u, p).page(
                posted=request.POST.dict(), action_error=str(exc)
            )
            return render(request, self.template_name, ctx, status=400)
        messages.success(request, _("The figures are saved."))
        return HttpResponseRedirect(_sheet_url(u, p))


class SheetCellView(LoginRequiredMixin, View):
    """indicators:sheet_cell — POST one row's v-<code>, c-<code>; htmx gets the row back (with
    the error next to the field, nothing saved), other requests go back to the sheet."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, unit: int, period: int, code: str) -> HttpResponse:
        u, p = _unit_and_period(request, unit, period)
        entries = {code: request.POST[f"v-{code}"]} if f"v-{code}" in request.POST else {}
        comments = {code: request.POST[f"c-{code}"]} if f"c-{code}" in request.POST else {}
        error = ""
        try:
            services.values_save(
                actor=request.user, unit=u, period=p, entries=entries, comments=comments
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
        ctx = SheetContext(request, u, p, only=code)
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


class SheetActionView(LoginRequiredMixin, View):
    """A workflow step (`step`: submit, approve, return, lock, reopen): POST (reason, next);
    success goes back with a message, a refusal shows the sheet with the reason why (400)."""

    http_method_names = ["post"]
    step = ""

    def post(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = _unit_and_period(request, unit, period)
        service, takes_reason, done = STEPS[self.step]
        form = ReasonForm(request.POST)
        reason = request.POST.get("reason", "")
        sheet = Sheet.objects.filter(unit=u, period=p).first()
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
            ctx = SheetContext(request, u, p).page(action_error=str(exc), reason_form=form)
            return render(request, SheetView.template_name, ctx, status=400)
        messages.success(request, str(done) % {"unit": u.name, "period": p.name})
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


class ChildrenView(LoginRequiredMixin, View):
    """indicators:children — the units directly below, as of the period end, and their sheets."""

    def get(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = _unit_and_period(request, unit, period)
        kids = selectors.children_on(u.pk, p.end, request.user)
        ids = [k for k, _n, _c in kids]
        states = selectors.sheet_states(ids, p, timezone.localdate())
        submitted = _submitted_at(ids, p) if ids else {}
        below = selectors.sheets_below(ids, p) if ids else {}
        lines = []
        for kid, name, code in kids:
            state = states[kid]
            lines.append(
                ChildLine(
                    kid,
                    name,
                    code,
                    state.status,
                    _status_label(state.status),
                    STATUS_BADGES.get(state.status, ""),
                    state.late,
                    submitted.get(kid),
                    state.updated_at,
                    [
                        (_status_label(st), STATUS_BADGES.get(st, ""), below[kid][st])
                        for st in ("", *SheetStatus.values)
                        if kid in below and below[kid][st]
                    ],
                    sum(below[kid].values()) if kid in below else 0,
                )
            )
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
                "can_approve": path_in_scope(request.user, Action.INDICATORS_APPROVE, u.path),
            },
        )


_SHEET = "units/<int:unit>/periods/<int:period>/"

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
