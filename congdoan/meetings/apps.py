from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingsConfig(AppConfig):
    """Meetings of a unit: BCH conferences, BTV meetings, congresses, review and cluster
    conferences, worker / civil-servant conferences; their attendees, agenda and pledges."""

    name = "congdoan.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from congdoan.core.audit import REASON_LABELS

        # The services that write history rows, in words (the audit trail of a meeting).
        for reason, label in {
            "meeting_create": pgettext_lazy("change reason", "Record a meeting"),
            "meeting_update": pgettext_lazy("change reason", "Update a meeting"),
            "meeting_delete": pgettext_lazy("change reason", "Delete a meeting"),
            "attendee_add": pgettext_lazy("change reason", "Add an attendee"),
            "attendee_remove": pgettext_lazy("change reason", "Remove an attendee"),
            "agenda_item_add": pgettext_lazy("change reason", "Add an agenda item"),
            "agenda_item_update": pgettext_lazy("change reason", "Update an agenda item"),
            "agenda_item_remove": pgettext_lazy("change reason", "Remove an agenda item"),
            "pledge_create": pgettext_lazy("change reason", "Record an emulation pledge"),
        }.items():
            REASON_LABELS.setdefault(reason, label)
