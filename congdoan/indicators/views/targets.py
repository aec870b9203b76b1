"""Indicator pages: the targets a unit assigns to the units below it (set one, allocate a total
evenly or by members with a preview, warnings when they do not add up).

Writes go through `indicators.services` (`target_set`, `targets_allocate`, which check that the
actor acts for the unit above and that the targets are not closed); reads through
`indicators.selectors`, units and periods through `IndicatorPageMixin` (404 for a unit outside
the user's scope and for a period nobody opened).

The targets of the units below are a wide table: an indicator a row and a unit a column (20
units a page, the default) or a unit a row (`?rows=units`, 50 a page), `?page=`, `?group=`;
once the targets are closed the forms are not shown (the services refuse anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.permissions import Action
from congdoan.indicators import selectors, services
from congdoan.indicators.forms import AllocationForm, TargetForm
from congdoan.indicators.models import Aggregation, Indicator, Period, Source
from congdoan.indicators.views.base import SHEET_PATH, IndicatorPageMixin, amount
from congdoan.organisation.models import Unit

# ---------------------------------------------------------------------------------------------
# Targets


def _summed_indicators(period: Period) -> list[Indicator]:
    """Indicators whose targets add up the tree: entered or derived, summed."""
    return [
        i
        for i in selectors.indicators_in(period)
        if i.aggregation == Aggregation.SUM and i.source in (Source.ENTERED, Source.DERIVED)
    ]


def _target_children(unit: Unit, period: Period, user: Any) -> list[tuple[int, str, str]]:
    """The units below `unit` that receive targets (`selectors.targets_day`)."""
    return selectors.target_children(unit.pk, period, user)


def _indicator(code: str) -> Indicator:
    """An indicator a form offered (404 if it has gone since)."""
    found = selectors.indicator_by_code(code)
    if found is None:
        raise Http404
    return found


UNITS_ACROSS, UNITS_DOWN = "indicators", "units"  # `?rows=`: what the rows are
PAGE_COLUMNS, PAGE_ROWS = 20, 50  # units a page, across and down


@dataclass
class TargetLine:
    """An indicator: the unit's own target, the sum of its units below (all of them, not only
    this page's), each unit's of the page, and whether the sum differs from its own."""

    indicator: Indicator
    own: str
    cells: list[str]
    children_total: str
    differs: bool


@dataclass
class Pager:
    page: int
    pages: int
    count: int
    per_page: int

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.count else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.count)

    @property
    def links(self) -> list[int | None]:
        """Pages to link: the first, the last and those around this one (None: a gap)."""
        keep = {1, self.pages, *range(self.page - 2, self.page + 3)}
        out: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        return out


@dataclass
class TargetMatrix:
    lines: list[TargetLine]
    units: list[tuple[int, str, str]]  # the units below on this page
    pager: Pager

    @property
    def by_unit(self) -> list[tuple[tuple[int, str, str], list[str]]]:
        """The same targets a unit a row: each unit of the page with its target per indicator."""
        return [(u, [line.cells[i] for line in self.lines]) for i, u in enumerate(self.units)]


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdecimal() and 0 < int(raw) < 10**6 else 1


def _matrix(
    unit: Unit,
    period: Period,
    kids: list[tuple[int, str, str]],
    shown: list[Indicator],
    *,
    page: int,
    per_page: int,
) -> TargetMatrix:
    """The targets of the unit and of its units below on `page`, with the sums of them all."""
    pages = max(1, -(-len(kids) // per_page))
    page = min(page, pages)
    units = kids[(page - 1) * per_page : page * per_page]
    ids = [u for u, _n, _c in units]
    values = selectors.target_values(period=period, unit_ids=[unit.pk, *ids], indicators=shown)
    totals = selectors.target_totals(
        period=period, unit_ids=[u for u, _n, _c in kids], indicators=shown
    )
    lines = []
    for ind in shown:
        own = values.get((unit.pk, ind.pk))
        total, given = totals.get(ind.pk, (None, 0))
        lines.append(
            TargetLine(
                ind,
                amount(own),
                [amount(values.get((k, ind.pk))) for k in ids],
                amount(total),
                bool(given) and own is not None and total != own,
            )
        )
    return TargetMatrix(lines, units, Pager(page, pages, len(kids), per_page))


def _queries(group: str, rows: str) -> dict[str, str]:
    """Query strings of the table's links: `turn` (without `rows`, for the layout buttons) and
    `page` (without `page`, for the pager); both keep the group."""
    base = [("group", group)] if group else []
    return {"turn": urlencode(base), "page": urlencode([*base, ("rows", rows)])}


def _closed_text(period: Period) -> str:
    return _(
        "The targets of %(period)s are closed: the period ended on %(end)s and its figures "
        "were due on %(due)s."
    ) % {
        "period": period.label,
        "end": short_date(period.end),
        "due": short_date(period.due_on or period.end),
    }


def _gaps(unit: Unit, period: Period) -> list[str]:
    """Warnings where the targets of the units below do not add up to the unit's own."""
    return [
        _(
            "%(indicator)s: the targets of the units below add up to %(children)s, "
            "the unit's own target is %(own)s."
        )
        % {
            "indicator": g.indicator.name,
            "children": amount(g.children_total),
            "own": amount(g.parent_target) if g.parent_target is not None else _("none"),
        }
        for g in selectors.target_gaps(unit.pk, period)
    ]


class TargetsView(IndicatorPageMixin, View):
    """indicators:targets — GET group (code), alloc-indicator, alloc-total, alloc-method."""

    template_name = "indicators/entry/targets.html"

    def get(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        return self.page(request, u, p)

    def page(
        self,
        request: HttpRequest,
        unit: Unit,
        period: Period,
        *,
        target_form: TargetForm | None = None,
        allocation_form: AllocationForm | None = None,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        kids = _target_children(unit, period, request.user)
        indicators = _summed_indicators(period)
        group = request.GET.get("group", "")
        shown = [i for i in indicators if not group or i.group.code == group]
        rows = UNITS_DOWN if request.GET.get("rows") == UNITS_DOWN else UNITS_ACROSS
        matrix = _matrix(
            unit,
            period,
            kids,
            shown,
            page=_page_number(request.GET.get("page", "")),
            per_page=PAGE_ROWS if rows == UNITS_DOWN else PAGE_COLUMNS,
        )
        own_targets = selectors.targets_of_unit(unit=unit, period=period)
        past = selectors.targets_past(period)
        locked = set(selectors.targets_locked(period, [u for u, _n, _c in kids]))
        may_assign = self.can(Action.INDICATORS_APPROVE, unit) and bool(kids)
        if allocation_form is None:
            allocation_form = AllocationForm(
                request.GET if "alloc-indicator" in request.GET else None, indicators=indicators
            )
        preview, preview_error, preview_total = self._preview(unit, period, allocation_form)
        ctx = {
            "unit": unit,
            "period": period,
            "kids": kids,
            "groups": selectors.indicator_groups(),
            "group": group,
            "rows": rows,
            "matrix": matrix,
            "lines": matrix.lines,
            "queries": _queries(group, rows),
            "own_targets": [(t, amount(t.value)) for t in own_targets],
            "gaps": _gaps(unit, period),
            "closed": _closed_text(period) if may_assign and past else "",
            "locked": [name for u, name, _c in kids if u in locked] if may_assign else [],
            "can_assign": may_assign and not past,
            "can_allocate": may_assign and not past and not locked,
            "target_form": target_form or TargetForm(children=kids, indicators=indicators),
            "allocation_form": allocation_form,
            "preview": preview,
            "preview_error": preview_error,
            "preview_total": preview_total,
            "error": error,
        }
        return render(request, self.template_name, ctx, status=status)

    @staticmethod
    def _preview(
        unit: Unit, period: Period, form: AllocationForm
    ) -> tuple[list[tuple[services.Allocation, str, str]], str, str]:
        if not form.is_bound or not form.is_valid():
            return [], "", ""
        data = form.cleaned_data
        indicator = _indicator(data["indicator"])
        total: Any = data["total"]
        if not total:
            own = selectors.target_value(unit=unit, indicator=indicator, period=period)
            if own is None:
                return (
                    [],
                    _("%(unit)s has no target for %(indicator)s to allocate; enter the total.")
                    % {"unit": unit.name, "indicator": indicator.name},
                    "",
                )
            total = own
        try:
            plan = services.allocation_preview(
                parent=unit, indicator=indicator, period=period, total=total, method=data["method"]
            )
        except RuleViolation as exc:
            return [], str(exc), ""
        rows = [(a, amount(a.weight), amount(a.value)) for a in plan]
        return rows, "", amount(sum((a.value for a in plan), Decimal(0)))


class TargetSetView(TargetsView):
    """indicators:target_set — POST unit, indicator, value, note: one child's target."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        kids = _target_children(u, p, request.user)
        form = TargetForm(request.POST, children=kids, indicators=_summed_indicators(p))
        if not form.is_valid():
            return self.page(request, u, p, target_form=form, status=400)
        data = form.cleaned_data
        child = self.get_unit(data["unit"])
        indicator = _indicator(data["indicator"])
        try:
            services.target_set(
                actor=request.user,
                unit=child,
                indicator=indicator,
                period=p,
                value=data["value"],
                note=data["note"],
            )
        except RuleViolation as exc:
            form.add_error("value" if exc.field == indicator.code else None, str(exc))
            return self.page(request, u, p, target_form=form, status=400)
        messages.success(
            request,
            _("Target of %(unit)s for %(indicator)s saved.")
            % {"unit": child.name, "indicator": indicator.name},
        )
        return HttpResponseRedirect(_targets_url(u, p))


class TargetsAllocateView(TargetsView):
    """indicators:targets_allocate — POST alloc-indicator, alloc-total, alloc-method."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, unit: int, period: int) -> HttpResponse:
        u, p = self.unit_and_period(unit, period)
        form = AllocationForm(request.POST, indicators=_summed_indicators(p))
        if not form.is_valid():
            return self.page(request, u, p, allocation_form=form, status=400)
        data = form.cleaned_data
        indicator = _indicator(data["indicator"])
        try:
            made = services.targets_allocate(
                actor=request.user,
                parent=u,
                indicator=indicator,
                period=p,
                total=data["total"] or None,
                method=data["method"],
            )
        except RuleViolation as exc:
            form.add_error(
                exc.field if exc.field in ("total", "method") else None,
                str(exc),
            )
            return self.page(request, u, p, allocation_form=form, error=str(exc), status=400)
        messages.success(
            request,
            _("Targets for %(indicator)s assigned to %(count)s units below.")
            % {"indicator": indicator.name, "count": len(made)},
        )
        return HttpResponseRedirect(_targets_url(u, p))


def _targets_url(unit: Unit, period: Period) -> str:
    return reverse("indicators:targets", kwargs={"unit": unit.pk, "period": period.pk})


urlpatterns = [
    path(f"{SHEET_PATH}targets/", TargetsView.as_view(), name="targets"),
    path(f"{SHEET_PATH}targets/set/", TargetSetView.as_view(), name="target_set"),
    path(f"{SHEET_PATH}targets/allocate/", TargetsAllocateView.as_view(), name="targets_allocate"),
]
