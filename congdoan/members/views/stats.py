"""Member statistics: counts for a unit and the units below it, as of a date and over a period,
with the tree as it was; and totals over an emulation cluster.

Only translates: the figures come from `members.counts` (which reads the per-unit summaries),
the default unit and the unit above from `members.selectors`; units and clusters are limited to
the user's "members.view" scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.members import counts, selectors
from congdoan.members.forms import StatsForm
from congdoan.members.models import ExitReason, Member
from congdoan.organisation.models import Cluster, Unit


class StatsView(ScopedMixin, TemplateView):
    """members:stats — GET unit (code), as_of, date_from (dd/mm/yyyy), cluster (id)."""

    model = Member
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/stats/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        self.require_scope()
        user = self.request.user
        form = StatsForm(self.request.GET or None, user=user)
        if form.is_bound and not form.is_valid():
            ctx.update(form=form, result=None, cluster_result=None)
            return ctx
        today = timezone.localdate()
        unit, cluster, period = self._choice(form, today)
        result = counts.subtree_counts(unit, period) if unit is not None else None
        cluster_result = counts.cluster_counts(cluster, period, user=user) if cluster else None
        dates = {"as_of": period.date_to.strftime("%d/%m/%Y")}
        dates["date_from"] = period.date_from.strftime("%d/%m/%Y")
        ctx.update(
            exit_lines=_by_reason(result.rows, result.total) if result else [],
            cluster_exit_lines=(
                _by_reason(cluster_result.rows, cluster_result.total) if cluster_result else []
            ),
            form=form,
            unit=unit,
            parent=selectors.visible_parent(user, unit) if unit is not None else None,
            period=period,
            result=result,
            cluster_result=cluster_result,
            reasons=ExitReason.choices,
            drill_query=urlencode(dates),
            today=today,
        )
        return ctx

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


def _by_reason(rows: list[counts.Row], total: counts.Figures) -> list[Any]:
    """Exits by reason: one line per row, then the total's."""
    codes = ExitReason.values
    lines = [(r, [r.figures.exits_by_reason.get(c, 0) for c in codes]) for r in rows]
    return [*lines, (None, [total.exits_by_reason.get(c, 0) for c in codes])]


urlpatterns = [path("stats/", StatsView.as_view(), name="stats")]
