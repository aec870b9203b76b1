"""Tables of the welfare lists (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import number, short_date
from congdoan.welfare.models import Agreement, BenefitUse, rate_label

ATTRS = {"class": "table table-sm table-hover align-middle"}


class AgreementTable(tables.Table):
    signed_on = tables.Column(verbose_name=_("Signed on"))
    partner_name = tables.Column(
        verbose_name=_("Partner"), linkify=("welfare:detail", [tables.A("pk")])
    )
    partner_kind = tables.Column(verbose_name=_("Kind of partner"))
    unit = tables.Column(verbose_name=_("Signing unit"), order_by=("unit__name",))
    valid_until = tables.Column(verbose_name=_("Valid until"), default="—")
    discount_percent = tables.Column(verbose_name=_("Discount"), default="—")
    use_count = tables.Column(verbose_name=_("Uses"), attrs={"td": {"class": "text-end"}})
    use_value = tables.Column(
        verbose_name=_("Value (đồng)"), default="0", attrs={"td": {"class": "text-end"}}
    )

    class Meta:
        model = Agreement
        fields = (
            "signed_on", "partner_name", "partner_kind", "unit", "valid_until",
            "discount_percent", "use_count", "use_value",
        )  # fmt: skip
        attrs = ATTRS
        empty_text = _("No welfare agreements found.")

    def render_signed_on(self, value: Any) -> str:
        return short_date(value)

    def render_valid_until(self, value: Any) -> str:
        return short_date(value)

    def render_discount_percent(self, value: Any) -> str:
        return rate_label(value)

    def render_use_count(self, value: Any) -> str:
        return number(value)

    def render_use_value(self, value: Any) -> str:
        return number(value)


class UseTable(tables.Table):
    used_on = tables.Column(verbose_name=_("Used on"))
    agreement = tables.Column(
        verbose_name=_("Partner"),
        accessor="agreement__partner_name",
        linkify=("welfare:detail", [tables.A("agreement_id")]),
        order_by=("agreement__partner_name",),
    )
    member = tables.Column(
        verbose_name=_("Member"),
        accessor="member__full_name",
        default=_("(without names)"),
        order_by=("member__given_sort", "member__family_sort"),
    )
    count = tables.Column(verbose_name=_("Uses"), attrs={"td": {"class": "text-end"}})
    value = tables.Column(verbose_name=_("Value (đồng)"), attrs={"td": {"class": "text-end"}})
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    description = tables.Column(verbose_name=_("Description"), default="")

    class Meta:
        model = BenefitUse
        fields = ("used_on", "agreement", "member", "count", "value", "unit", "description")
        attrs = ATTRS
        empty_text = _("No uses found.")

    def render_used_on(self, value: Any) -> str:
        return short_date(value)

    def render_count(self, value: Any) -> str:
        return number(value)

    def render_value(self, value: Any) -> str:
        return number(value)
