"""Tables of the grading pages (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import number
from congdoan.grading.models import Grading

ATTRS = {"class": "table table-sm table-hover align-middle"}


class GradingTable(tables.Table):
    unit = tables.Column(
        verbose_name=_("Grassroots union"),
        order_by=("unit__name",),
        linkify=("grading:detail", [tables.A("pk")]),
    )
    period = tables.Column(verbose_name=_("Grading period"), accessor="year", order_by=("year",))
    total = tables.Column(verbose_name=_("Points"))
    category = tables.Column(verbose_name=_("Category"), order_by=("category__rank",))
    graded_by = tables.Column(verbose_name=_("Graded by"), order_by=("graded_by__name",))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Grading
        fields = ("unit", "period", "total", "category", "graded_by", "status")
        attrs = ATTRS
        empty_text = _("No gradings found.")

    def render_unit(self, record: Grading) -> str:
        return str(record.unit.short_name or record.unit.name)

    def render_period(self, record: Grading) -> str:
        return record.period

    def render_total(self, value: Any) -> str:
        return number(value, 1)

    def render_graded_by(self, record: Grading) -> str:
        return str(record.graded_by.short_name or record.graded_by.name)
