"""Serializers of the indicator API. They only translate: reads come from the viewsets' scoped
querysets and `indicators.selectors`, writes go through `indicators.services` and `periods`.

Numbers are decimal strings ("1234.50"); raw figures sent in are passed to the services as they
came (a JSON number, or a string in Vietnamese or plain notation: "1.234.567", "12,5", "12.5"),
which check them and say what is wrong.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from typing import Any

from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404
from congdoan.indicators import selectors, wording
from congdoan.indicators.filters import unit_by_ref
from congdoan.indicators.models import (
    Aggregation,
    Better,
    DataSet,
    DataSetItem,
    Indicator,
    IndicatorGroup,
    OverTime,
    Period,
    PeriodKind,
    PeriodRule,
    Remark,
    Sheet,
    SheetStatus,
    SheetStep,
    Source,
    Step,
    Target,
    Value,
    ValueType,
)
from congdoan.organisation.models import Cluster, Unit

DATE_FORMATS = ["iso-8601", "%d/%m/%Y"]
REQUIRED = serializers.Field.default_error_messages["required"]


def Amount(**kwargs: Any) -> serializers.DecimalField:
    """A figure in answers: a decimal string with two places (rounded half up), or null."""
    kwargs.setdefault("allow_null", True)
    return serializers.DecimalField(
        max_digits=None, decimal_places=2, rounding=ROUND_HALF_UP, read_only=True, **kwargs
    )


def DateInput(**kwargs: Any) -> serializers.DateField:
    kwargs.setdefault("input_formats", DATE_FORMATS)
    return serializers.DateField(**kwargs)


# ---------------------------------------------------------------------------------------------
# Small pieces


class EnumField(serializers.ChoiceField):
    """A choice field documented as the named enum component `enum_name` (so that the choice
    sets of this app never collide with other apps' fields of the same name)."""

    def __init__(self, choices: Any, *, enum_name: str, **kwargs: Any):
        self.enum_name = enum_name
        super().__init__(choices=choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field: EnumField = self.target
        schema = {
            "type": "string",
            "enum": list(field.choices),
            "description": "\n".join(f"* `{k}` - {v}" for k, v in field.choices.items()),
        }
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema=schema,
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def Kind(**kwargs: Any) -> EnumField:
    return EnumField(PeriodKind.choices, enum_name="PeriodKindEnum", **kwargs)


def SheetStatusField(**kwargs: Any) -> EnumField:
    return EnumField(SheetStatus.choices, enum_name="SheetStatusEnum", read_only=True, **kwargs)


class IndicatorUnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class PeriodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


@extend_schema_field({"type": "string", "example": "CDCS0001"})
class UnitRefField(serializers.Field):
    """A unit given by code or id, within the caller's "indicators.view" scope; a unit that does
    not exist or lies outside the scope answers 404 (both look the same)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("help_text", "Code (or id) of a unit within the caller's scope.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Unit:
        found = unit_by_ref(data)
        if found is None:
            raise Http404
        return get_visible_or_404(
            selectors.units_with_parent(),
            self.context["request"].user,
            Action.INDICATORS_VIEW,
            pk=found.pk,
        )

    def to_representation(self, value: Unit) -> str:
        return value.code


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string"}],
        "nullable": True,
        "example": "1.234.567",
    }
)
class RawNumberField(serializers.Field):
    """A figure as sent: a JSON number, or a string ("1.234.567", "12,5", "12.5"); empty or null
    removes. The services parse and check it."""

    default_error_messages = {"invalid": serializers.DecimalField.default_error_messages["invalid"]}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


# ---------------------------------------------------------------------------------------------
# Catalogue


class IndicatorGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorGroup
        fields = ["id", "code", "name", "order"]


class IndicatorSerializer(serializers.ModelSerializer):
    group: serializers.SlugRelatedField[IndicatorGroup] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    value_type = EnumField(ValueType.choices, enum_name="IndicatorValueTypeEnum", read_only=True)
    aggregation = EnumField(
        Aggregation.choices, enum_name="IndicatorAggregationEnum", read_only=True
    )
    source = EnumField(  # type: ignore[assignment]
        Source.choices, enum_name="IndicatorSourceEnum", read_only=True
    )
    over_time = EnumField(OverTime.choices, enum_name="IndicatorOverTimeEnum", read_only=True)
    better = EnumField(Better.choices, enum_name="IndicatorBetterEnum", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "group",
            "unit_of_measure",
            "value_type",
            "aggregation",
            "source",
            "formula",
            "derivation",
            "over_time",
            "better",
            "valid_from_year",
            "valid_to_year",
            "description",
            "order",
        ]


class PeriodRuleSerializer(serializers.ModelSerializer):
    kind = Kind(read_only=True)

    class Meta:
        model = PeriodRule
        fields = [
            "id",
            "kind",
            "valid_from_year",
            "cutoff_day",
            "first_month",
            "months",
            "due_days",
        ]


class DataSetItemSerializer(serializers.ModelSerializer):
    indicator: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = DataSetItem
        fields = ["indicator", "order", "required"]


class DataSetSerializer(serializers.ModelSerializer):
    unit_types: Any = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes of the unit types."
    )
    items = DataSetItemSerializer(many=True, read_only=True)

    class Meta:
        model = DataSet
        fields = ["id", "code", "name", "description", "unit_types", "items"]


# ---------------------------------------------------------------------------------------------
# Periods


class PeriodSerializer(serializers.ModelSerializer):
    kind = Kind(read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "kind",
            "year",
            "number",
            "programme",
            "name",
            "start",
            "end",
            "due_on",
            "parent",
        ]


class PeriodCreateSerializer(serializers.Serializer):
    """A calendar period (kind, year, number: cut by the period rules) or a term, programme,
    programme phase or custom period (kind, name, start, end, …)."""

    kind = Kind()
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2200, help_text="Required for calendar kinds."
    )
    number = serializers.IntegerField(required=False, default=1, min_value=1, max_value=999)
    name = serializers.CharField(required=False, max_length=200, help_text="Non-calendar kinds.")
    start = DateInput(required=False, help_text="Non-calendar kinds.")
    end = DateInput(required=False, help_text="Non-calendar kinds.")
    programme = serializers.CharField(required=False, allow_blank=True, max_length=200)
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=selectors.periods_all(), required=False, allow_null=True, help_text="The whole."
    )
    due_on = DateInput(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from congdoan.indicators.periods import CALENDAR_KINDS

        needed = ["year"] if attrs["kind"] in CALENDAR_KINDS else ["name", "start", "end"]
        for name in needed:
            if attrs.get(name) in (None, ""):
                raise serializers.ValidationError({name: [REQUIRED]})
        return attrs


# ---------------------------------------------------------------------------------------------
# Targets


class TargetSerializer(serializers.ModelSerializer):
    unit = IndicatorUnitRefSerializer(read_only=True)
    indicator: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    period = PeriodRefSerializer(read_only=True)
    value = Amount(allow_null=False)
    assigned_by = IndicatorUnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "unit", "indicator", "period", "value", "assigned_by", "note", "updated_at"]


class TargetWriteSerializer(serializers.Serializer):
    unit = UnitRefField()
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=selectors.indicators_all())
    period = serializers.PrimaryKeyRelatedField(queryset=selectors.periods_all())
    value = RawNumberField(help_text="The target; empty or null removes it.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class TargetChangeSerializer(serializers.Serializer):
    value = RawNumberField(help_text="The target; empty or null removes it.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AllocateSerializer(serializers.Serializer):
    unit = UnitRefField(help_text="Code (or id) of the unit whose children get the targets.")
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=selectors.indicators_all())
    period = serializers.PrimaryKeyRelatedField(queryset=selectors.periods_all())
    total = RawNumberField(
        required=False, help_text="What to split; the unit's own target when empty."
    )
    method = EnumField(
        [("even", "even"), ("members", "members")],
        enum_name="AllocationMethodEnum",
        default="even",
        help_text="even: equal shares; members: in proportion to members in each subtree today.",
    )


class AllocateQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="1: show the split, write nothing."
    )


class AllocationSerializer(serializers.Serializer):
    unit = IndicatorUnitRefSerializer()
    weight = Amount(help_text="Share weight (members or 1); null once written.")
    value = Amount(allow_null=False)


class AllocateResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    total = Amount(allow_null=False)
    rows = AllocationSerializer(many=True)


class UnitPeriodQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Code (or id) of a unit within the caller's scope.")
    period = serializers.PrimaryKeyRelatedField(queryset=selectors.periods_all())


class TargetGapSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    parent_target = Amount(help_text="The unit's own target (null: none).")
    children_total = Amount(allow_null=False, help_text="Sum of its children's targets.")
    children = serializers.IntegerField(help_text="Children with a target.")


# ---------------------------------------------------------------------------------------------
# Sheets


class SheetSerializer(serializers.ModelSerializer):
    unit = IndicatorUnitRefSerializer(read_only=True)
    period = PeriodRefSerializer(read_only=True)
    status = SheetStatusField()

    class Meta:
        model = Sheet
        fields = [
            "id",
            "unit",
            "period",
            "status",
            "submitted_at",
            "first_submitted_at",
            "approved_at",
            "locked_at",
            "updated_at",
        ]


class ValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    value = Amount(allow_null=False)

    class Meta:
        model = Value
        fields = ["indicator", "name", "value", "comment", "updated_at"]


class RemarkSerializer(serializers.ModelSerializer):
    """A comment on an indicator written without a figure (not counted as a figure)."""

    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    comment = serializers.CharField(source="text")

    class Meta:
        model = Remark
        fields = ["indicator", "name", "comment", "updated_at"]


class StepSerializer(serializers.ModelSerializer):
    step = EnumField(Step.choices, enum_name="SheetStepEnum", read_only=True)
    from_status = SheetStatusField()
    to_status = SheetStatusField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = SheetStep
        fields = ["step", "from_status", "to_status", "actor", "at", "reason"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, step: SheetStep) -> str | None:
        return str(step.actor) if step.actor_id else None


class SheetDetailSerializer(SheetSerializer):
    values = ValueSerializer(many=True, read_only=True)
    remarks = RemarkSerializer(
        many=True, read_only=True, help_text="Comments written without a figure."
    )
    steps = StepSerializer(many=True, read_only=True)
    can_enter = serializers.SerializerMethodField(help_text="The caller may enter and submit.")
    can_approve = serializers.SerializerMethodField(
        help_text="The caller may approve, return, lock and reopen."
    )

    class Meta(SheetSerializer.Meta):
        fields = [
            *SheetSerializer.Meta.fields,
            "can_enter",
            "can_approve",
            "values",
            "remarks",
            "steps",
        ]

    def get_can_enter(self, sheet: Sheet) -> bool:
        from congdoan.indicators.services import can_enter

        return can_enter(self.context["request"].user, sheet.unit)

    def get_can_approve(self, sheet: Sheet) -> bool:
        from congdoan.indicators.services import can_approve

        return can_approve(self.context["request"].user, sheet.unit)


class ValuesSaveSerializer(serializers.Serializer):
    unit = UnitRefField()
    period = serializers.PrimaryKeyRelatedField(queryset=selectors.periods_all())
    entries = serializers.DictField(
        child=RawNumberField(),
        required=False,
        default=dict,
        help_text="{indicator code: figure}; empty or null removes the figure.",
    )
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=1000),
        required=False,
        default=dict,
        help_text="{indicator code: comment}; a comment without a figure is kept (and not "
        "counted as a figure); an empty comment removes it.",
    )
    read = serializers.DictField(
        child=RawNumberField(),
        required=False,
        default=None,
        help_text="{indicator code: figure as you read it} (empty or null: none). With it, only "
        "the figures you changed are written, and a figure someone else changed since answers "
        "412 with nothing written.",
    )
    read_comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=1000),
        required=False,
        default=None,
        help_text="{indicator code: comment as you read it}, as `read` for the comments.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class EntryErrorSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    message = serializers.CharField()


class EditConflictSerializer(serializers.Serializer):
    """412 of a figures save: figures someone else changed since they were read."""

    detail = serializers.CharField()
    changed = serializers.ListField(child=serializers.CharField())


class EntryErrorsSerializer(serializers.Serializer):
    """400 of a figures save: every refused figure (nothing was written)."""

    detail = serializers.CharField()
    errors = EntryErrorSerializer(many=True)  # type: ignore[assignment]


class SheetStateSerializer(serializers.Serializer):
    unit = IndicatorUnitRefSerializer()
    status = serializers.CharField(help_text="draft, submitted, approved, locked; empty: no sheet.")
    late = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)


# ---------------------------------------------------------------------------------------------
# Figures and ranks


class FiguresQuerySerializer(UnitPeriodQuerySerializer):
    indicators = serializers.CharField(
        required=False, help_text="Indicator codes separated by commas; all when absent."
    )
    children = serializers.BooleanField(
        required=False, default=False, help_text="1: also each child unit's figures."
    )


class ClusterFiguresQuerySerializer(serializers.Serializer):
    cluster = serializers.IntegerField(help_text="Id of the emulation cluster or block.")
    period = serializers.PrimaryKeyRelatedField(queryset=selectors.periods_all())
    indicators = serializers.CharField(
        required=False, help_text="Indicator codes separated by commas; all when absent."
    )


class RankingQuerySerializer(serializers.Serializer):
    period = serializers.PrimaryKeyRelatedField(queryset=selectors.periods_all())
    by = serializers.CharField(
        help_text='An indicator code (its value), "pct:<code>" (its achievement of the target) '
        'or "achievement" (targets reached, then the mean achievement).'
    )
    units = serializers.CharField(
        required=False, help_text="Codes (or ids) of units to rank, separated by commas."
    )
    among = serializers.ChoiceField(
        choices=[("siblings", "siblings")],
        required=False,
        help_text="siblings: the units under the same parent as `unit`.",
    )
    unit = serializers.CharField(required=False, help_text="With among=siblings.")
    cluster = serializers.IntegerField(required=False, help_text="Id of a cluster: its members.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("among") and not attrs.get("unit"):
            raise serializers.ValidationError({"unit": [REQUIRED]})
        if not (attrs.get("units") or attrs.get("among") or attrs.get("cluster")):
            raise serializers.ValidationError({"units": [REQUIRED]})
        return attrs


class FigureSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit_of_measure = serializers.CharField(source="indicator.unit_of_measure")
    value = Amount()
    approved_value = Amount(help_text="Of approved or locked sheets only.")
    approved = serializers.BooleanField(
        source="is_approved", help_text="Every value behind the figure is approved."
    )
    units = serializers.IntegerField(help_text="Values added up.")
    approved_units = serializers.IntegerField()
    computed = serializers.BooleanField(help_text="Derived from a register (or a formula of such).")
    from_records = Amount(
        help_text="Of an entered indicator: the part counted from the records of the units "
        "that keep its register (null when none does)."
    )
    target = Amount()
    target_of = serializers.CharField(
        help_text="The period whose target this is when not the figure's own (its year), else "
        "empty."
    )
    percent = Amount(help_text="Achievement of the target, in percent.")
    percent_text = serializers.SerializerMethodField(help_text='As reports write it: "104%".')
    status = serializers.CharField(
        allow_null=True, help_text="below, reached or exceeded (null without a target)."
    )
    status_label = serializers.CharField()

    def get_percent_text(self, fig: selectors.Figure) -> str:
        return wording.percent(fig.percent)


class AchievementSerializer(serializers.Serializer):
    reached = serializers.IntegerField(help_text="Targets reached or exceeded.")
    total = serializers.IntegerField(help_text="Indicators with a target.")
    exceeded = serializers.IntegerField()
    text = serializers.CharField()


class UnitFiguresSerializer(serializers.Serializer):
    unit = IndicatorUnitRefSerializer()
    figures = FigureSerializer(many=True)
    achievement = AchievementSerializer()


class FiguresResultSerializer(UnitFiguresSerializer):
    period = PeriodRefSerializer()
    children = UnitFiguresSerializer(
        many=True, allow_null=True, help_text="With children=1: each child unit (within scope)."
    )


class ClusterRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "code", "name"]


class ClusterMemberFiguresSerializer(UnitFiguresSerializer):
    is_head = serializers.BooleanField()


class ClusterFiguresSerializer(serializers.Serializer):
    cluster = ClusterRefSerializer()
    period = PeriodRefSerializer()
    year = serializers.IntegerField(help_text="The membership year.")
    total = FigureSerializer(many=True, help_text="Over the member units shown.")
    achievement = AchievementSerializer()
    members = ClusterMemberFiguresSerializer(many=True)
    hidden_units = serializers.IntegerField(
        help_text="Member units outside the caller's scope, left out of rows and total."
    )


class RankedSerializer(serializers.Serializer):
    unit = IndicatorUnitRefSerializer()
    value = Amount(help_text="The figure ranked by (null for achievement or without a figure).")
    rank = serializers.IntegerField(allow_null=True, help_text="null: no figure.")
    rank_text = serializers.CharField()
    achievement = AchievementSerializer(allow_null=True, help_text="With by=achievement.")


class RankingSerializer(serializers.Serializer):
    period = PeriodRefSerializer()
    by = serializers.CharField()
    of = serializers.IntegerField(help_text="Units ranked.")
    hidden_units = serializers.IntegerField(
        help_text="Ranked units outside the caller's scope (counted, not shown)."
    )
    rows = RankedSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# The Excel round trip of figures (the pages' template and upload)


class ExcelQuerySerializer(UnitPeriodQuerySerializer):
    children = serializers.BooleanField(
        required=False,
        default=False,
        help_text="1: the units directly below `unit` at the period's end, those the caller may "
        "enter figures for; otherwise `unit` itself (which the caller must enter for).",
    )


class ExcelUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The filled template (.xlsx, at most 20 MB).")
    unit = serializers.CharField(help_text="Code (or id) of a unit within the caller's scope.")
    period = serializers.PrimaryKeyRelatedField(queryset=selectors.periods_all())
    children = serializers.BooleanField(
        required=False,
        default=False,
        help_text="1: the file holds the figures of the units directly below `unit`; otherwise "
        "those of `unit` itself.",
    )


class ExcelResultSerializer(serializers.Serializer):
    """200 of an upload: the file had no problem and its figures were saved."""

    file = serializers.CharField(source="filename")
    rows = serializers.IntegerField(help_text="Unit rows read.")
    units = serializers.IntegerField(help_text="Units whose figures changed.")
    figures = serializers.IntegerField(
        help_text="Figures written (added, changed or removed); 0: the file changed nothing."
    )


class ExcelProblemSerializer(serializers.Serializer):
    """One problem of an uploaded file, as the upload page lists it."""

    file = serializers.CharField()
    row = serializers.IntegerField(
        allow_null=True, help_text="The row as Excel numbers it; null: the whole file."
    )
    column = serializers.CharField(
        allow_blank=True, help_text="The column's letter as Excel shows it; empty: a whole row."
    )
    field = serializers.CharField(
        allow_blank=True,
        help_text="The column's heading: the indicator's name, or the unit code's heading.",
    )
    message = serializers.CharField()


class ExcelErrorsSerializer(serializers.Serializer):
    """400 of an upload: every problem of the file; nothing was saved."""

    detail = serializers.CharField()
    errors = ExcelProblemSerializer(many=True)  # type: ignore[assignment]
