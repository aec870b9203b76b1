"""Member statistics: counts for a unit and the units below it, as of a date and over a period,
with the tree as it was; and totals over an emulation cluster; the same figures as Excel.

Only translates: the figures come from `members.counts` (which reads the per-unit summaries),
the default unit and the unit above from `members.selectors`, the workbook from
`members.exports.stats_xlsx`; units and clusters are limited to the user's "members.view" scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from congdoan.core.permissions import Action
from congdoan.core.replicas import ReplicaReadsMixin
from congdoan.core.views import ScopedMixin
from congdoan.members import counts, exports, selectors
from congdoan.members.forms import StatsForm
from congdoan.members.models import ExitReason, Member
from congdoan.organisation.models import Cluster, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatsMixin(ReplicaReadsMixin, ScopedMixin):
    """The statistics asked for in the query string (the page's form), within scope; read from
    the replica when there is one (core/replicas.py)."""

    model = Member
    scope_action = Action.MEMBERS_VIEW

    def figures(self) -> dict[str, Any]:
        """The form and, when it is valid, the unit, cluster, period and their counts."""
        self.require_scope()
        user = self.request.user
        form = StatsForm(self.request.GET or None, user=user)
        if form.is_bound and not form.is_valid():
            return {"form": form, "result": None, "cluster_result": None}
        unit, cluster, period = self._choice(form, timezone.localdate())
        return {
            "form": form,
            "unit": unit,
            "cluster": cluster,
            "period": period,
            "result": counts.subtree_counts(unit, period) if unit is not None else None,
            "cluster_result": (
                counts.cluster_counts(cluster, period, user=user) if cluster else None
            ),
        }

    def _choice(
        self, form: StatsForm, today: dt.date
    ) -> tuple[Unit | None, Cluster | None, counts.Period]:
        """The unit, the cluster and the period asked for; by default the user's topmost unit
        from 1 January to today."""
        unit: Unit | None = None
        cluster: Cluster | None = None
        period = counts.Period(dt.date(today.year, 1, 1), today)
        if form.is_bound:
            unit = form.cleaned_data["unit"]
            cluster = form.cleaned_data["cluster"]
            period = counts.Period(form.cleaned_data["date_from"], form.cleaned_data["as_of"])
        if unit is None and cluster is None:
            unit = selectors.default_unit(self.request.user)
        return unit, cluster, period


class StatsView(StatsMixin, TemplateView):
    """members:stats — GET unit (code), as_of, date_from (dd/mm/yyyy), cluster (id)."""

    template_name = "members/stats/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.figures())
        result, cluster_result = ctx["result"], ctx["cluster_result"]
        if result is None and cluster_result is None:
            return ctx
        period, unit = ctx["period"], ctx["unit"]
        dates = {"as_of": period.date_to.strftime("%d/%m/%Y")}
        dates["date_from"] = period.date_from.strftime("%d/%m/%Y")
        ctx.update(
            exit_lines=_by_reason(result.rows, result.total) if result else [],
            cluster_exit_lines=(
                _by_reason(cluster_result.rows, cluster_result.total) if cluster_result else []
            ),
            parent=selectors.visible_parent(self.request.user, unit) if unit is not None else None,
            reasons=ExitReason.choices,
            drill_query=urlencode(dates),
            excel_url=f"{reverse('members:stats_xlsx')}?{self.request.GET.urlencode()}",
            today=timezone.localdate(),
        )
        return ctx


class StatsExportView(StatsMixin, View):
    """The figures of the statistics page (same parameters) as an Excel workbook."""

    def get(self, request: HttpRequest) -> HttpResponse:
        figures = self.figures()
        form = figures["form"]
        if form.is_bound and not form.is_valid():
            problems = [
                f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ]
            return _text("\n".join(problems))
        if figures["result"] is None and figures["cluster_result"] is None:
            return _text(_("Choose a unit or an emulation cluster to export its figures."))
        content = exports.stats_xlsx(
            figures["period"],
            unit=figures["result"],
            cluster=figures["cluster_result"],
        )
        subject = figures["unit"] or figures["cluster"]
        response = HttpResponse(content, content_type=XLSX)
        filename = exports.stats_filename(subject.code, figures["period"].date_to)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _text(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _by_reason(rows: list[counts.Row], total: counts.Figures) -> list[Any]:
    """Exits by reason: one line per row, then the total's."""
    codes = ExitReason.values
    lines = [(r, [r.figures.exits_by_reason.get(c, 0) for c in codes]) for r in rows]
    return [*lines, (None, [total.exits_by_reason.get(c, 0) for c in codes])]


urlpatterns = [
    path("stats/", StatsView.as_view(), name="stats"),
    path("stats/export.xlsx", StatsExportView.as_view(), name="stats_xlsx"),
]
