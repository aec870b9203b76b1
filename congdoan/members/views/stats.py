"""Member statistics: counts for a unit and the units below it, as of a date and over a period,
with the tree as it was; and totals over an emulation cluster.

Only translates: the figures come from `members.counts` (which reads the per-unit summaries);
units and clusters are limited to the user's "members.view" scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, scope_prefixes
from congdoan.core.views import ScopedMixin
from congdoan.members import counts
from congdoan.members.models import ExitReason, Member
from congdoan.organisation.forms import UnitChoiceField
from congdoan.organisation.models import Cluster, Unit


class StatsForm(forms.Form):
    unit = forms.Field(label=_("Unit"), required=False)
    as_of = VnDateField(
        label=_("As of"),
        required=False,
        help_text=_("Members are counted on this day (empty: today)."),
    )
    date_from = VnDateField(
        label=_("Period from"),
        required=False,
        help_text=_("Admissions, exits and transfers from this day to the “as of” day "
                    "(empty: 1 January of that year)."),
    )  # fmt: skip
    cluster = forms.ModelChoiceField(
        label=_("Emulation cluster"),
        queryset=Cluster.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=Action.MEMBERS_VIEW,
            active_only=False,
            required=False,
            label=_("Unit"),
        )
        cluster = self.fields["cluster"]
        assert isinstance(cluster, forms.ModelChoiceField)
        cluster.queryset = Cluster.objects.visible_to(user, Action.MEMBERS_VIEW).order_by("name")
        cluster.empty_label = _("(none)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        as_of = data.get("as_of") or timezone.localdate()
        date_from = data.get("date_from") or dt.date(as_of.year, 1, 1)
        if date_from > as_of:
            self.add_error("date_from", _("The period must start on or before the “as of” day."))
        data["as_of"], data["date_from"] = as_of, date_from
        return data


def default_unit(user: Any) -> Unit | None:
    """The topmost unit whose members the user may see (the national root for everyone-scope)."""
    prefixes = scope_prefixes(user, Action.MEMBERS_VIEW)
    if prefixes is None:
        return Unit.objects.filter(depth=1).order_by("path").first()
    if not prefixes:
        return None
    return Unit.objects.filter(path=sorted(prefixes)[0]).first()


class StatsView(ScopedMixin, TemplateView):
    """members:stats — GET unit (code), as_of, date_from (dd/mm/yyyy), cluster (id)."""

    model = Member
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/stats/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not self.has_scope(Action.MEMBERS_VIEW):
            raise PermissionDenied
        form = StatsForm(self.request.GET or None, user=user)
        today = timezone.localdate()
        unit: Unit | None = None
        cluster: Cluster | None = None
        period = counts.Period(dt.date(today.year, 1, 1), today)
        if form.is_bound:
            if form.is_valid():
                unit = form.cleaned_data["unit"]
                cluster = form.cleaned_data["cluster"]
                period = counts.Period(form.cleaned_data["date_from"], form.cleaned_data["as_of"])
            else:
                ctx.update(form=form, result=None, cluster_result=None)
                return ctx
        if unit is None and cluster is None:
            unit = default_unit(user)
        result = counts.subtree_counts(unit, period) if unit is not None else None
        cluster_result = counts.cluster_counts(cluster, period, user=user) if cluster else None
        dates = {"as_of": period.date_to.strftime("%d/%m/%Y")}
        dates["date_from"] = period.date_from.strftime("%d/%m/%Y")
        parent = None
        if unit is not None and unit.parent_id is not None:
            parent = Unit.objects.filter(pk=unit.parent_id).first()
            if parent is not None and not path_in_scope(user, Action.MEMBERS_VIEW, parent.path):
                parent = None
        codes = ExitReason.values

        def by_reason(rows: list[counts.Row], total: counts.Figures) -> list[Any]:
            lines = [(r, [r.figures.exits_by_reason.get(c, 0) for c in codes]) for r in rows]
            return [*lines, (None, [total.exits_by_reason.get(c, 0) for c in codes])]

        ctx.update(
            exit_lines=by_reason(result.rows, result.total) if result else [],
            cluster_exit_lines=(
                by_reason(cluster_result.rows, cluster_result.total) if cluster_result else []
            ),
            form=form,
            unit=unit,
            parent=parent,
            period=period,
            result=result,
            cluster_result=cluster_result,
            reasons=ExitReason.choices,
            drill_query=urlencode(dates),
            today=today,
        )
        return ctx


urlpatterns = [path("stats/", StatsView.as_view(), name="stats")]
