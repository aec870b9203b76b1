"""Tables of the member pages (django-tables2). Citizen IDs are always masked here."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from congdoan.core.formats import number, short_date
from congdoan.members.models import Member, MemberStatus, PersonalDataAccess

STATUS_BADGES: dict[str, str] = {
    MemberStatus.ACTIVE: "text-bg-success",
    MemberStatus.SUSPENDED: "text-bg-warning",
    MemberStatus.EXITED: "text-bg-secondary",
}


class MemberTable(tables.Table):
    """The member list: Vietnamese official order (given name, family name, middle name)."""

    full_name = tables.Column(
        verbose_name=_("Full name"),
        order_by=("given_sort", "family_sort", "middle_sort", "pk"),
        linkify=("members:member_detail", [tables.A("pk")]),
        attrs={"td": {"class": "fw-semibold"}},
    )
    date_of_birth = tables.Column(verbose_name=_("Date of birth"), default="")
    sex = tables.Column(verbose_name=_("Sex"))
    unit = tables.Column(verbose_name=_("Union unit"), order_by=("unit__path",))
    card_number = tables.Column(verbose_name=_("Card number"), default="—")
    citizen_id = tables.Column(
        verbose_name=pgettext_lazy("short", "Citizen ID"), orderable=False, empty_values=()
    )
    admitted_on = tables.Column(verbose_name=_("Admitted on"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Member
        fields = (
            "full_name",
            "date_of_birth",
            "sex",
            "unit",
            "card_number",
            "citizen_id",
            "admitted_on",
            "status",
        )
        attrs = {"class": "table table-sm table-hover align-middle member-table"}
        empty_text = _("No members match these filters.")
        template_name = "django_tables2/bootstrap5.html"

    def render_date_of_birth(self, value: Any) -> str:
        return short_date(value)

    def render_admitted_on(self, value: Any) -> str:
        return short_date(value)

    def render_unit(self, record: Member) -> str:
        return str(record.unit)

    def render_citizen_id(self, record: Member) -> str:
        # Never the full number in a list, whatever the user's rights.
        return record.masked_citizen_id or "—"

    def render_status(self, record: Member) -> Any:
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES.get(record.status, "text-bg-light"),
            record.get_status_display(),
        )


class AccessLogTable(tables.Table):
    at = tables.Column(verbose_name=_("Time"), orderable=False)
    user = tables.Column(verbose_name=_("User"), orderable=False)
    kind = tables.Column(verbose_name=_("Access"), orderable=False)
    purpose = tables.Column(verbose_name=_("Purpose"), orderable=False)
    members = tables.Column(verbose_name=_("Members or records"), orderable=False, empty_values=())
    sought = tables.Column(verbose_name=_("Number sought"), orderable=False)
    where = tables.Column(verbose_name=_("Page or export"), orderable=False)

    class Meta:
        model = PersonalDataAccess
        fields = ("at", "user", "kind", "purpose", "members", "sought", "where")
        attrs = {"class": "table table-sm align-top"}
        empty_text = _("No reads of personal data recorded.")
        template_name = "django_tables2/bootstrap5.html"

    def render_at(self, value: Any) -> str:
        from congdoan.core.templatetags.vn import vn_date

        return vn_date(value)

    def render_sought(self, value: str) -> str:
        """Masked like everywhere else: the log shows that a number was tried, and how often,
        not the number."""
        from congdoan.members.cccd import mask

        return mask(value)

    def render_members(self, record: PersonalDataAccess) -> Any:
        shown = getattr(record, "shown", [])
        parts = [
            format_html(
                '<a href="{}">{}</a>', reverse("members:member_detail", args=[m.pk]), m.full_name
            )
            for m in shown
        ]
        parts += [conditional_escape(_record_name(label)) for label in record.records or []]
        others = getattr(record, "others", 0) + max(getattr(record, "in_scope", 0) - len(shown), 0)
        if others:
            parts.append(
                conditional_escape(
                    ngettext("and %(n)s other member", "and %(n)s other members", others)
                    % {"n": number(others)}
                )
            )
        return mark_safe(", ".join(parts)) if parts else "—"


def _record_name(label: str) -> str:
    """A record of another register named in the access log ("care.carerecord:12"): its kind
    and number ("Hồ sơ chăm lo #12")."""
    from django.apps import apps

    model_label, _sep, pk = label.partition(":")
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return label
    return f"{capfirst(model._meta.verbose_name)} #{pk}"
