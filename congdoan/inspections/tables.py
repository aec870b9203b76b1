"""Tables of the inspection and complaint lists (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import short_date
from congdoan.inspections.models import Complaint, Inspection

TARGETS_SHOWN = 3


class InspectionTable(tables.Table):
    started_on = tables.Column(verbose_name=_("From"))
    title = tables.Column(
        verbose_name=_("Inspection or supervision"),
        accessor="display_title",
        orderable=False,
        linkify=("inspections:detail", [tables.A("pk")]),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Conducting unit"), order_by=("unit__name",))
    body = tables.Column(verbose_name=_("Conducted by"))
    targets = tables.Column(verbose_name=_("Units inspected"), empty_values=(), orderable=False)

    class Meta:
        model = Inspection
        fields = ("started_on", "title", "kind", "unit", "body", "targets")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No inspections found.")

    def render_started_on(self, value: Any) -> str:
        return short_date(value)

    def render_targets(self, record: Inspection) -> SafeString | str:
        """The first units inspected the user may see (prefetched), and how many more."""
        seen = list(record.targets.all())
        names = [(t.label,) for t in seen[:TARGETS_SHOWN]]
        more = len(seen) - TARGETS_SHOWN
        shown = format_html_join("; ", "{}", names)
        return format_html_join("", "{} {}", [(shown, f"(+{more})")]) if more > 0 else shown or "—"


class ComplaintTable(tables.Table):
    received_on = tables.Column(verbose_name=_("Received on"))
    summary = tables.Column(
        verbose_name=_("Content"), linkify=("inspections:complaint_detail", [tables.A("pk")])
    )
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Handling unit"), order_by=("unit__name",))
    resolved_on = tables.Column(verbose_name=_("Resolved on"), default="—")

    class Meta:
        model = Complaint
        fields = ("received_on", "summary", "kind", "unit", "resolved_on")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No complaints or denunciations found.")

    def render_received_on(self, value: Any) -> str:
        return short_date(value)

    def render_resolved_on(self, value: Any) -> str:
        return short_date(value)

    def render_summary(self, value: str) -> str:
        return value if len(value) <= 120 else f"{value[:117]}…"
