"""Tables of the lists (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import number, short_date
from congdoan.initiatives.models import Contest, Initiative


class InitiativeTable(tables.Table):
    submitted_on = tables.Column(verbose_name=_("Submitted on"))
    title = tables.Column(
        verbose_name=_("Initiative"), linkify=("initiatives:detail", [tables.A("pk")])
    )
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    phase = tables.Column(
        verbose_name=_("Programme"), accessor="programme__period__name", orderable=False
    )
    status = tables.Column(verbose_name=_("Status"))
    benefit = tables.Column(
        verbose_name=_("Estimated benefit (đồng)"), attrs={"td": {"class": "text-end"}}
    )

    class Meta:
        model = Initiative
        fields = ("submitted_on", "title", "unit", "phase", "status", "benefit")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No initiatives found.")

    def render_submitted_on(self, value: Any) -> str:
        return short_date(value)

    def render_phase(self, value: Any, record: Initiative) -> str:
        return f"{value} – {record.phase.name}" if record.phase else str(value)

    def render_benefit(self, value: Any) -> str:
        return number(value)


class ContestTable(tables.Table):
    ends_on = tables.Column(verbose_name=_("Ends on"))
    title = tables.Column(
        verbose_name=_("Contest"), linkify=("initiatives:contest_detail", [tables.A("pk")])
    )
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Organising unit"), order_by=("unit__name",))

    class Meta:
        model = Contest
        fields = ("ends_on", "title", "kind", "unit")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No contests found.")

    def render_ends_on(self, value: Any) -> str:
        return short_date(value)
