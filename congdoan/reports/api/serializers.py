"""Report API serializers: representations, and bodies validated before the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.indicators.models import Period
from congdoan.organisation.api.serializers import UnitField
from congdoan.reports.models import Generation, Report, ReportTemplate, Rounding

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class GenerationSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField(help_text="Download URLs of the generated files.")

    class Meta:
        model = Generation
        fields = [
            "id",
            "version",
            "state",
            "progress",
            "step",
            "issued",
            "data_at",
            "figures_approved",
            "pending_units",
            "text_hash",
            "created_at",
            "finished_at",
            "files",
        ]

    def get_files(self, obj: Generation) -> dict[str, str]:
        from django.urls import reverse

        if obj.state != "done":
            return {}
        return {
            kind: reverse("api:report-version-file", args=[obj.pk, kind])
            for kind in ("docx", "pdf", "xlsx")
        }


class ReportSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    cluster_code = serializers.CharField(source="cluster.code", read_only=True, default=None)
    number_text = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "cluster",
            "cluster_code",
            "period",
            "second_period",
            "title",
            "tasks",
            "meeting_id",
            "language",
            "status",
            "number",
            "number_text",
            "issued_on",
            "created_at",
            "updated_at",
        ]


class ReportDetailSerializer(ReportSerializer):
    versions = GenerationSerializer(source="generations", many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "versions"]


class ReportCreateSerializer(serializers.Serializer):
    unit = UnitField(action=Action.REPORTS_WRITE)
    period = serializers.PrimaryKeyRelatedField(queryset=Period.objects.all())
    second_period = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.all(), required=False, allow_null=True, default=None
    )
    cluster_code = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    tasks = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="One task per line."
    )
    meeting_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=["vi", "en"], default="vi")


class ReportUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    tasks = serializers.CharField(required=False, allow_blank=True)
    meeting_id = serializers.IntegerField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=["vi", "en"], required=False)
    second_period = serializers.PrimaryKeyRelatedField(
        queryset=Period.objects.all(), required=False, allow_null=True
    )


class IssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField(input_formats=DATE_FORMATS, required=False, default=None)


class TemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportTemplate
        fields = [
            "id",
            "unit",
            "version",
            "rounding",
            "percent_decimals",
            "fractions",
            "place",
            "on_behalf",
            "signer_title",
            "signer_name",
            "recipients",
            "number_symbol",
            "headings",
            "left_out",
            "created_at",
        ]


class TemplateSaveSerializer(serializers.Serializer):
    unit = UnitField(action=Action.REPORTS_WRITE)
    rounding = serializers.ChoiceField(choices=Rounding.choices, required=False)
    percent_decimals = serializers.IntegerField(min_value=0, max_value=2, required=False)
    fractions = serializers.BooleanField(required=False)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    on_behalf = serializers.CharField(max_length=100, required=False)
    signer_title = serializers.CharField(max_length=100, required=False)
    signer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    recipients = serializers.CharField(required=False, help_text="One recipient per line.")
    number_symbol = serializers.CharField(max_length=40, required=False)
    headings = serializers.DictField(child=serializers.CharField(), required=False)
    left_out = serializers.ListField(child=serializers.CharField(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs
