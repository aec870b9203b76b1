"""Serializers of the grading API: reads, and the bodies of writes (translated for the
services, which check every rule)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.grading.models import Category, Criterion, CriterionGroup, Grading, Scheme, Score
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "code", "name", "max_points"]


class GroupSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriterionGroup
        fields = ["id", "code", "name", "criteria"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "rank", "min_points", "min_group_share", "good_or_better"]


class SchemeSerializer(serializers.ModelSerializer):
    groups = GroupSerializer(many=True, read_only=True)
    categories = CategorySerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "id", "code", "name", "applies_to", "period_kind", "in_force_from", "in_force_until",
            "min_months", "basis", "groups", "categories",
        ]  # fmt: skip


class ScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "points"]


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "rank", "good_or_better"]


class GradingSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    graded_by = UnitRefSerializer(read_only=True)
    scheme = serializers.CharField(source="scheme.code", read_only=True)
    period = serializers.CharField(read_only=True, help_text='"2025", or "2024–2025".')
    category = CategoryRefSerializer(read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Grading
        fields = [
            "id", "unit", "year", "period", "period_start", "period_end", "scheme", "graded_by",
            "total", "category", "status", "decision_number", "decision_date", "notes",
            "created_at", "confirmed_at", "scores",
        ]  # fmt: skip


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "example": "8.5"},
        "example": {"1.1": "9", "1.2": "8.5"},
    }
)
class ScoresField(serializers.DictField):
    """Points by criterion code (every criterion of the scheme)."""

    child = serializers.CharField()


class GradingCreateSerializer(serializers.Serializer):
    unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the grassroots union.")
    year = serializers.IntegerField(
        min_value=1900, max_value=2200, help_text="The year the period ends."
    )
    graded_by = UnitField(
        action=Action.ACTIVITIES_MANAGE,
        required=False,
        help_text="Code of the grading unit, above the union (default: its parent).",
    )
    scores = ScoresField(help_text="Points by criterion code, every criterion of the scheme.")
    notes = serializers.CharField(required=False, allow_blank=True)


class GradingUpdateSerializer(serializers.Serializer):
    scores = ScoresField(required=False, help_text="Points by criterion code (all of them).")
    notes = serializers.CharField(required=False, allow_blank=True)


class GradingConfirmSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField(input_formats=DATE_FORMATS)


def compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if k == "notes" and v is None else v) for k, v in data.items()}
