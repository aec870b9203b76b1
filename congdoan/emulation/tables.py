"""Tables of the emulation lists (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import number, short_date
from congdoan.emulation.models import Movement
from congdoan.meetings.models import Pledge

ATTRS = {"class": "table table-sm table-hover align-middle"}


class MovementTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"), linkify=("emulation:movement_detail", [tables.A("pk")])
    )
    kind = tables.Column(verbose_name=_("Kind"))
    start_year = tables.Column(verbose_name=_("Years"))
    organiser = tables.Column(verbose_name=_("Organising unit"), order_by=("organiser__name",))
    registered = tables.Column(verbose_name=_("Registrations"), orderable=False)

    class Meta:
        model = Movement
        fields = ("name", "kind", "start_year", "organiser", "registered")
        attrs = ATTRS
        empty_text = _("No movements found.")

    def render_start_year(self, record: Movement) -> str:
        return record.years_label

    def render_organiser(self, record: Movement) -> str:
        return str(record.organiser.short_name or record.organiser.name)

    def render_registered(self, value: Any) -> str:
        return number(value)


class PledgeTable(tables.Table):
    signed_on = tables.Column(verbose_name=_("Signed on"))
    title = tables.Column(
        verbose_name=_("Title"), linkify=("emulation:pledge_detail", [tables.A("pk")])
    )
    cluster = tables.Column(verbose_name=_("Emulation cluster"), order_by=("cluster__name",))
    year = tables.Column(verbose_name=_("Year"))
    signed = tables.Column(verbose_name=_("Signatory units"), orderable=False)

    class Meta:
        model = Pledge
        fields = ("signed_on", "title", "cluster", "year", "signed")
        attrs = ATTRS
        empty_text = _("No pledges found.")

    def render_signed_on(self, value: Any) -> str:
        return short_date(value)

    def render_cluster(self, record: Pledge) -> str:
        return record.cluster.name

    def render_signed(self, value: Any) -> str:
        return number(value)
