"""Tables of the organisation lists (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.core.formats import number
from congdoan.organisation.models import Cluster


class ClusterTable(tables.Table):
    code = tables.Column(
        verbose_name=pgettext_lazy("identifier", "Code"),
        linkify=("organisation:cluster_detail", [tables.A("pk")]),
    )
    name = tables.Column(
        verbose_name=_("Name"), linkify=("organisation:cluster_detail", [tables.A("pk")])
    )
    kind = tables.Column(verbose_name=_("Kind"))
    organiser = tables.Column(verbose_name=_("Organising unit"), order_by=("organiser__name",))
    member_count = tables.Column(
        verbose_name=_("Member units"),
        attrs={"th": {"class": "text-end"}, "td": {"class": "text-end"}},
    )
    head_name = tables.Column(verbose_name=_("Head unit"), default="—")

    class Meta:
        model = Cluster
        fields = ("code", "name", "kind", "organiser", "member_count", "head_name")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No clusters found.")

    def render_member_count(self, value: int) -> str:
        return number(value)
