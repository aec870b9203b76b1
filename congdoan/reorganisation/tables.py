"""Tables of the reorganisation pages (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import short_date
from congdoan.organisation.models import ReorgEvent, ReorgPlan


class EventTable(tables.Table):
    effective_date = tables.Column(verbose_name=_("Effective date"))
    kind = tables.Column(verbose_name=_("Operation"))
    units = tables.Column(verbose_name=_("Units"), empty_values=(), orderable=False)
    decision_ref = tables.Column(verbose_name=_("Decision number"))
    actor = tables.Column(verbose_name=_("By"), orderable=False)
    recorded_at = tables.Column(verbose_name=_("Recorded at"))

    class Meta:
        model = ReorgEvent
        fields = ("effective_date", "kind", "units", "decision_ref", "actor", "recorded_at")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No reorganisations recorded.")

    def render_effective_date(self, record: ReorgEvent) -> str:
        url = reverse("reorganisation:event_detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, short_date(record.effective_date))

    def render_kind(self, record: ReorgEvent) -> str:
        return record.get_kind_display()

    def render_units(self, record: ReorgEvent) -> str:
        visible: list[Any] = getattr(record, "visible_units", [])
        names = ", ".join(f"{u.short_name or u.name} ({u.code})" for u in visible[:4])
        if len(visible) > 4:
            names += " …"
        return names

    def render_actor(self, value: Any) -> str:
        return getattr(value, "full_name", "") or str(value)

    def render_recorded_at(self, value: Any) -> str:
        from congdoan.core.templatetags.vn import vn_date

        return vn_date(value)


class PlanTable(tables.Table):
    title = tables.Column(verbose_name=_("Title"))
    unit = tables.Column(verbose_name=_("Owner unit"))
    effective_date = tables.Column(verbose_name=_("Effective date"))
    rows = tables.Column(verbose_name=_("Rows"), orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    created_by = tables.Column(verbose_name=_("Uploaded by"), orderable=False)
    created_at = tables.Column(verbose_name=_("Uploaded at"))

    class Meta:
        model = ReorgPlan
        fields = (
            "title",
            "unit",
            "effective_date",
            "rows",
            "status",
            "created_by",
            "created_at",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No plans uploaded.")

    def render_title(self, record: ReorgPlan) -> str:
        url = reverse("reorganisation:plan_detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.title)

    def render_unit(self, value: Any) -> str:
        return f"{value.short_name or value.name} ({value.code})"

    def render_effective_date(self, value: Any) -> str:
        return short_date(value)

    def render_rows(self, value: Any) -> str:
        from congdoan.core.formats import number

        return number(len(value or []))

    def render_status(self, record: ReorgPlan) -> str:
        css = {"invalid": "danger", "valid": "primary", "applied": "success"}.get(
            record.status, "secondary"
        )
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', css, record.get_status_display()
        )

    def render_created_by(self, value: Any) -> str:
        return getattr(value, "full_name", "") or str(value)

    def render_created_at(self, value: Any) -> str:
        from congdoan.core.templatetags.vn import vn_date

        return vn_date(value)
