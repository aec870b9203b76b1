"""Serializers of the meetings API: reads, and the bodies of writes (translated for the
services, which check every rule)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.meetings.models import AgendaItem, Attendee, Meeting, MeetingKind, Pledge
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer

YEAR_MIN, YEAR_MAX = 1900, 2200


class MeetingSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    display_title = serializers.CharField(read_only=True, help_text="The title in words.")

    class Meta:
        model = Meeting
        fields = [
            "id", "unit", "kind", "display_title", "title", "held_on", "place", "term",
            "number", "extended", "cluster", "period", "chair_name", "chair_title",
        ]  # fmt: skip


class AttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendee
        fields = ["id", "meeting", "member", "full_name", "title", "body", "is_guest", "order"]


class AgendaItemSerializer(serializers.ModelSerializer):
    document_url = serializers.SerializerMethodField(
        help_text="Where to download the document (scoped), or null."
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id", "meeting", "order", "title", "presenter", "document_name", "document_url",
            "report_id", "notes",
        ]  # fmt: skip

    def get_document_url(self, obj: AgendaItem) -> str | None:
        return reverse("api:agenda-item-document", args=[obj.pk]) if obj.document else None


class PledgeSerializer(serializers.ModelSerializer):
    signatories = UnitRefSerializer(many=True, read_only=True)
    document_url = serializers.SerializerMethodField(
        help_text="Where to download the document (scoped), or null."
    )

    class Meta:
        model = Pledge
        fields = [
            "id", "meeting", "cluster", "year", "signed_on", "title", "signatories",
            "document_name", "document_url",
        ]  # fmt: skip

    def get_document_url(self, obj: Pledge) -> str | None:
        return reverse("api:pledge-document", args=[obj.pk]) if obj.document else None


class MeetingDetailSerializer(MeetingSerializer):
    attendees = AttendeeSerializer(many=True, read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    pledges = PledgeSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "conclusions", "attendees", "agenda", "pledges"]


# ---------------------------------------------------------------------------------------------
# Writes


class MeetingWriteSerializer(serializers.Serializer):
    """A new meeting; for a change (PATCH), any of these fields but `unit` and `opens_term`.
    `term`, `cluster` and `period` are ids; the view resolves them within the caller's scope."""

    unit = UnitField(
        action=Action.MEETINGS_MANAGE, help_text="Code of the unit holding the meeting."
    )
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = serializers.DateField(input_formats=DATE_FORMATS)
    term = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=999)
    extended = serializers.BooleanField(required=False)
    cluster = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    period = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    chair_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    chair_title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    conclusions = serializers.CharField(required=False, allow_blank=True)
    opens_term = serializers.BooleanField(
        required=False, default=False, help_text="A congress: record the unit's next term."
    )
    term_number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100,
        help_text="The number of the term a congress opens (default: the next one).",
    )  # fmt: skip


class AttendeeWriteSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, help_text="Id of the meeting.")
    member = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of a member in scope."
    )
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    body = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    is_guest = serializers.BooleanField(required=False, default=False)


class AgendaItemWriteSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, help_text="Id of the meeting.")
    title = serializers.CharField(max_length=500)
    presenter = serializers.CharField(required=False, allow_blank=True, max_length=300)
    document = serializers.FileField(
        required=False, help_text=".docx, .pdf, .xlsx, .doc or .xls, at most 20 MB."
    )
    report_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    notes = serializers.CharField(required=False, allow_blank=True)
    order = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=999)


class AgendaItemChangeSerializer(AgendaItemWriteSerializer):
    meeting = None  # type: ignore[assignment]
    remove_document = serializers.BooleanField(required=False, default=False)


class PledgeWriteSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(min_value=1, help_text="Id of the emulation cluster.")
    meeting = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of the cluster conference."
    )
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    signed_on = serializers.DateField(input_formats=DATE_FORMATS)
    title = serializers.CharField(max_length=300)
    signatories = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text="Ids of the signatory units."
    )
    document = serializers.FileField(required=False)


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Blank texts for the services, which take "" rather than None."""
    texts = ("title", "place", "chair_name", "chair_title", "conclusions", "presenter", "notes")
    return {k: ("" if k in texts and v is None else v) for k, v in data.items()}
