"""Tables of the meeting lists (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import short_date
from congdoan.meetings.models import Meeting


class MeetingTable(tables.Table):
    held_on = tables.Column(verbose_name=_("Held on"))
    title = tables.Column(
        verbose_name=_("Meeting"),
        accessor="display_title",
        orderable=False,
        linkify=("meetings:detail", [tables.A("pk")]),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Holding unit"), order_by=("unit__name",))
    place = tables.Column(verbose_name=_("Place"), default="—")

    class Meta:
        model = Meeting
        fields = ("held_on", "title", "kind", "unit", "place")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No meetings found.")

    def render_held_on(self, value: Any) -> str:
        return short_date(value)
