"""Tables of the care lists (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from congdoan.care.models import Beneficiary, Campaign, CareRecord
from congdoan.core.formats import number, short_date


class CareTable(tables.Table):
    on = tables.Column(verbose_name=_("Date"))
    kind = tables.Column(
        verbose_name=_("Kind"), linkify=("care:detail", [tables.A("pk")]), order_by=("kind",)
    )
    beneficiary = tables.Column(verbose_name=_("Received by"), orderable=False, empty_values=())
    unit = tables.Column(verbose_name=_("Giving unit"), order_by=("unit__name",))
    campaign = tables.Column(verbose_name=_("Campaign"), default="—", order_by=("campaign__name",))
    quantity = tables.Column(
        verbose_name=_("Portions / people"), attrs={"td": {"class": "text-end"}}
    )
    value = tables.Column(verbose_name=_("Value (đồng)"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = CareRecord
        fields = ("on", "kind", "beneficiary", "unit", "campaign", "quantity", "value")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No care records found.")

    def render_on(self, value: Any) -> str:
        return short_date(value)

    def render_beneficiary(self, record: CareRecord) -> str:
        if record.beneficiary == Beneficiary.MEMBER and record.member is not None:
            return record.member.full_name
        kind = record.get_recipient_kind_display()
        if record.person_name:
            return f"{record.person_name} ({kind})" if kind else record.person_name
        return str(kind)

    def render_unit(self, record: CareRecord) -> str:
        return record.unit.short_name or record.unit.name

    def render_quantity(self, value: Any) -> str:
        return number(value)

    def render_value(self, value: Any) -> str:
        return number(value)


class CampaignTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Campaign"), linkify=("care:campaign_detail", [tables.A("pk")])
    )
    unit = tables.Column(verbose_name=_("Organising unit"), order_by=("unit__name",))
    start = tables.Column(verbose_name=_("From"))
    end = tables.Column(verbose_name=_("To"))

    class Meta:
        model = Campaign
        fields = ("name", "unit", "start", "end")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No campaigns found.")

    def render_unit(self, record: Campaign) -> str:
        return record.unit.short_name or record.unit.name

    def render_start(self, value: Any) -> str:
        return short_date(value)

    def render_end(self, value: Any) -> str:
        return short_date(value)
