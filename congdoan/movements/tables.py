"""Tables of the register's lists (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import number, short_date
from congdoan.movements.models import Activity, Agreement

ATTRS = {"class": "table table-sm table-hover align-middle"}


def _unit(record: Any) -> str:
    return str(record.unit.short_name or record.unit.name)


class ActivityTable(tables.Table):
    on = tables.Column(verbose_name=_("Date"))
    title = tables.Column(verbose_name=_("Title"), linkify=("movements:detail", [tables.A("pk")]))
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    participants = tables.Column(verbose_name=_("Participants"), default="—")
    value = tables.Column(verbose_name=_("Value (đồng)"), default="—")

    class Meta:
        model = Activity
        fields = ("on", "title", "kind", "unit", "participants", "value")
        attrs = ATTRS
        empty_text = _("No records found.")

    def render_on(self, value: Any) -> str:
        return short_date(value)

    def render_unit(self, record: Activity) -> str:
        return _unit(record)

    def render_participants(self, value: Any) -> str:
        return number(value)

    def render_value(self, value: Any) -> str:
        return number(value)

    def render_title(self, record: Activity, value: str) -> str:
        marks = [value]
        if record.for_congress:
            marks.append(f"· {record.event}")
        if record.dan_van_kheo:
            marks.append("· Dân vận khéo")
        return " ".join(marks)


class AgreementTable(tables.Table):
    signed_on = tables.Column(verbose_name=_("Signed on"))
    enterprise = tables.Column(
        verbose_name=_("Enterprise"), linkify=("movements:agreement_detail", [tables.A("pk")])
    )
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    expires_on = tables.Column(verbose_name=_("In force until"))
    renewed = tables.BooleanColumn(verbose_name=_("Renewed"))
    workers = tables.Column(verbose_name=_("Workers covered"), default="—")
    rating = tables.Column(verbose_name=_("Rating"), default="—")

    class Meta:
        model = Agreement
        fields = ("signed_on", "enterprise", "unit", "expires_on", "renewed", "workers", "rating")
        attrs = ATTRS
        empty_text = _("No agreements found.")

    def render_signed_on(self, value: Any) -> str:
        return short_date(value)

    def render_expires_on(self, value: Any) -> str:
        return short_date(value)

    def render_unit(self, record: Agreement) -> str:
        return _unit(record)

    def render_workers(self, value: Any) -> str:
        return number(value)
