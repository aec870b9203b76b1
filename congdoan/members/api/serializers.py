"""Serializers of the member API. They only translate: reads come from the viewsets' scoped
querysets and `members.counts`, writes go through `members.services`.

Personal data: `citizen_id_masked` is always there; the `personal` block (full citizen ID,
ethnicity, religion, Party data) is filled only for members whose ids the view put in
`context["revealed"]` (the caller holds "members.view_personal" on the member's unit, stated a
purpose, and the read was logged); otherwise it is null.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.members.cccd import mask
from congdoan.members.models import (
    Discipline,
    DuplicateStatus,
    Ethnicity,
    EventKind,
    ExitReason,
    ImportJob,
    ImportStatus,
    Member,
    MemberEvent,
    MemberStatus,
    PoliticalTheoryLevel,
    ProfessionalLevel,
    Religion,
    Sex,
    TransferRequest,
    TransferStatus,
)
from congdoan.members.selectors import active_unit
from congdoan.organisation.forms import UnitChoiceField

DATE_FORMATS = ["iso-8601", "%d/%m/%Y"]


def DateInput(**kwargs: Any) -> serializers.DateField:
    """A date given as yyyy-mm-dd or dd/mm/yyyy (answers are always yyyy-mm-dd)."""
    kwargs.setdefault("input_formats", DATE_FORMATS)
    return serializers.DateField(**kwargs)


_ID_NUMBER = re.compile(r"(?<!\d)\d{9,12}(?!\d)")


def mask_numbers(text: str) -> str:
    """Mask every run of 9 to 12 digits (citizen IDs, also when quoted in error messages) as
    everywhere else (`cccd.mask`: the length and the last two digits)."""
    return _ID_NUMBER.sub(lambda m: mask(m.group(0)), text)


# ---------------------------------------------------------------------------------------------
# Small pieces


class MemberUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


def _unit(unit: Any) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.short_name or unit.name}


@extend_schema_field({"type": "string", "example": "CDCS0001"})
class UnitField(serializers.Field):
    """A unit within the caller's scope for an action, given by code or id (404-like error
    "not found within your scope" otherwise)."""

    def __init__(
        self, *, action: Action = Action.MEMBERS_CHANGE, active_only: bool = True, **kwargs: Any
    ):
        self.action = action
        self.active_only = active_only
        kwargs.setdefault("help_text", "Unit code (or id) within the caller's scope.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        from django.core.exceptions import ValidationError

        field = UnitChoiceField(
            user=self.context["request"].user, action=self.action, active_only=self.active_only
        )
        try:
            return field.clean(data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value: Any) -> Any:
        return value.code


@extend_schema_field({"type": "string", "example": "CDCS0002"})
class AnyUnitField(serializers.Field):
    """Any active unit of the federation, by code or id (units are not secret; members are)."""

    default_error_messages = {"not_found": "No active unit with this code was found."}

    def to_internal_value(self, data: Any) -> Any:
        from django.utils.translation import gettext as _

        unit = active_unit(str(data or "").strip())
        if unit is None:
            raise serializers.ValidationError(_("No active unit with this code or name was found."))
        return unit

    def to_representation(self, value: Any) -> Any:
        return value.code


class PersonalDataSerializer(serializers.Serializer):
    """Sensitive personal data, present only when revealed (see the module docstring)."""

    citizen_id = serializers.CharField(allow_null=True)
    ethnicity = CodeNameSerializer(allow_null=True)
    religion = CodeNameSerializer(allow_null=True)
    party_member = serializers.BooleanField()
    party_joined_on = DateInput(allow_null=True)
    party_referred_on = DateInput(allow_null=True)


def personal_data(member: Member) -> dict[str, Any]:
    return {
        "citizen_id": member.citizen_id,
        "ethnicity": (
            {"code": member.ethnicity.code, "name": member.ethnicity.name}
            if member.ethnicity
            else None
        ),
        "religion": (
            {"code": member.religion.code, "name": member.religion.name}
            if member.religion
            else None
        ),
        "party_member": member.party_member,
        "party_joined_on": member.party_joined_on,
        "party_referred_on": member.party_referred_on,
    }


# ---------------------------------------------------------------------------------------------
# Members


class MemberSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    citizen_id_masked = serializers.CharField(source="masked_citizen_id", read_only=True)
    personal = serializers.SerializerMethodField(
        help_text="Full citizen ID, ethnicity, religion and Party data: only with the "
        "personal-data permission on the member's unit and a stated `purpose` (logged); "
        "null otherwise."
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "sex",
            "date_of_birth",
            "unit",
            "status",
            "admitted_on",
            "suspended_on",
            "exited_on",
            "exit_reason",
            "card_number",
            "card_issued_on",
            "citizen_id_masked",
            "phone",
            "email",
            "hometown",
            "address",
            "province_code",
            "ward_code",
            "general_education",
            "professional_level",
            "political_theory",
            "job_title",
            "workplace",
            "salary_base",
            "hardship",
            "disability",
            "note",
            "personal",
        ]
        read_only_fields = fields

    @extend_schema_field(MemberUnitSerializer)
    def get_unit(self, obj: Member) -> dict[str, Any] | None:
        return _unit(obj.unit)

    @extend_schema_field(PersonalDataSerializer(allow_null=True))
    def get_personal(self, obj: Member) -> dict[str, Any] | None:
        if obj.pk in self.context.get("revealed", ()):
            return personal_data(obj)
        return None


class PurposeQuerySerializer(serializers.Serializer):
    purpose = serializers.CharField(
        required=False,
        max_length=300,
        help_text="Why full personal data is read. With the personal-data permission on a "
        "member's unit, the response then carries its `personal` block and the read is logged "
        "(who, when, which members, this purpose). Also accepted as the header X-Purpose.",
    )


def _details() -> dict[str, serializers.Field]:
    """The optional details of a member record (new field instances on every call)."""
    return {
        "phone": serializers.CharField(required=False, allow_blank=True, max_length=20),
        "email": serializers.EmailField(required=False, allow_blank=True),
        "hometown": serializers.CharField(required=False, allow_blank=True, max_length=300),
        "address": serializers.CharField(required=False, allow_blank=True, max_length=300),
        "province_code": serializers.IntegerField(required=False, allow_null=True),
        "ward_code": serializers.IntegerField(required=False, allow_null=True),
        "general_education": serializers.CharField(required=False, allow_blank=True, max_length=10),
        "professional_level": serializers.ChoiceField(
            choices=ProfessionalLevel.choices, required=False, allow_blank=True
        ),
        "political_theory": serializers.ChoiceField(
            choices=PoliticalTheoryLevel.choices, required=False, allow_blank=True
        ),
        "job_title": serializers.CharField(required=False, allow_blank=True, max_length=200),
        "workplace": serializers.CharField(required=False, allow_blank=True, max_length=300),
        "card_issued_on": DateInput(required=False, allow_null=True),
        "salary_base": serializers.DecimalField(
            max_digits=14, decimal_places=0, required=False, allow_null=True
        ),
        "hardship": serializers.BooleanField(required=False),
        "disability": serializers.BooleanField(required=False),
        "note": serializers.CharField(required=False, allow_blank=True, max_length=500),
    }


# Sensitive inputs: only for callers with the personal-data permission on the unit.
SENSITIVE_INPUTS = ("ethnicity", "religion", "party_member", "party_joined_on")


class _DetailsMixin(serializers.Serializer):
    family_name = serializers.CharField(max_length=60)
    middle_name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    given_name = serializers.CharField(max_length=60)
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = DateInput(required=False, allow_null=True)
    citizen_id = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=20
    )
    card_number = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=32
    )
    ethnicity = serializers.SlugRelatedField(
        slug_field="code", queryset=Ethnicity.objects.all(), required=False, allow_null=True
    )
    religion = serializers.SlugRelatedField(
        slug_field="code", queryset=Religion.objects.all(), required=False, allow_null=True
    )
    party_member = serializers.BooleanField(required=False)
    party_joined_on = DateInput(required=False, allow_null=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields.update(_details())
        return fields


class MemberAdmitSerializer(_DetailsMixin):
    """Admit a new member (kết nạp)."""

    unit = UnitField()
    admitted_on = DateInput()
    allocate_card = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Allocate a card number by the federation's scheme.",
    )


class MemberUpdateSerializer(_DetailsMixin):
    """Correct or complete a member's record (every field optional)."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for f in fields.values():
            f.required = False
        return fields


class DayNoteSerializer(serializers.Serializer):
    day = DateInput(help_text="Effective date (may lie in the past, not the future).")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class TransferActionSerializer(DayNoteSerializer):
    to_unit = AnyUnitField(
        help_text="Receiving unit (code or id). If the caller may change members in both "
        "units the transfer is done at once; otherwise the other side confirms it.",
    )


class TransferByCitizenIdSerializer(DayNoteSerializer):
    citizen_id = serializers.CharField(
        max_length=20,
        help_text="Citizen ID (CCCD) or old ID card number of a current member anywhere in the "
        "federation (a look-up by identity number: logged and limited).",
    )
    to_unit = UnitField(help_text="Receiving unit (code or id) within the caller's scope.")


class ExitSerializer(DayNoteSerializer):
    # Expulsion is recorded as a discipline, which also ends the membership.
    reason = serializers.ChoiceField(
        choices=[c for c in ExitReason.choices if c[0] != ExitReason.EXPELLED]
    )


class DisciplineSerializer(DayNoteSerializer):
    level = serializers.ChoiceField(choices=Discipline.choices)
    decision_ref = serializers.CharField(
        required=False, allow_blank=True, max_length=120, default=""
    )


class ReadmitSerializer(DayNoteSerializer):
    unit = UnitField(help_text="The unit the former member joins again.")


class MemberEventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    from_unit = serializers.SerializerMethodField()
    to_unit = serializers.SerializerMethodField()

    class Meta:
        model = MemberEvent
        fields = ["id", "kind", "date", "from_unit", "to_unit", "reason", "decision_ref", "note"]

    @extend_schema_field(MemberUnitSerializer(allow_null=True))
    def get_from_unit(self, obj: MemberEvent) -> dict[str, Any] | None:
        return _unit(obj.from_unit)

    @extend_schema_field(MemberUnitSerializer(allow_null=True))
    def get_to_unit(self, obj: MemberEvent) -> dict[str, Any] | None:
        return _unit(obj.to_unit)


# ---------------------------------------------------------------------------------------------
# Transfers


class MemberTransferSerializer(serializers.ModelSerializer):
    member = serializers.SerializerMethodField()
    from_unit = serializers.SerializerMethodField()
    to_unit = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=TransferStatus.choices)

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "member",
            "from_unit",
            "to_unit",
            "day",
            "note",
            "status",
            "requested_at",
            "decided_at",
            "decision_note",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "full_name": {"type": "string", "nullable": True},
                "card_number": {"type": "string", "nullable": True},
            },
        }
    )
    def get_member(self, obj: TransferRequest) -> dict[str, Any]:
        m = obj.member
        if not self._origin(obj):
            return {"id": m.pk, "full_name": None, "card_number": None}
        return {"id": m.pk, "full_name": m.full_name, "card_number": m.card_number}

    def _origin(self, obj: TransferRequest) -> bool:
        """False when the caller's side asked for the holder of an identity number in a unit
        outside its scope: it learns neither that unit nor the record's name and card."""
        from congdoan.members.selectors import origin_visible

        request = self.context.get("request")
        return request is None or origin_visible(request.user, obj)

    @extend_schema_field(MemberUnitSerializer)
    def get_from_unit(self, obj: TransferRequest) -> dict[str, Any] | None:
        """The sending unit; null when the caller asked for a member of a unit outside its
        scope."""
        return _unit(obj.from_unit) if self._origin(obj) else None

    @extend_schema_field(MemberUnitSerializer)
    def get_to_unit(self, obj: TransferRequest) -> dict[str, Any] | None:
        return _unit(obj.to_unit)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class TransferQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TransferStatus.choices, required=False)


# ---------------------------------------------------------------------------------------------
# Possible duplicates


@extend_schema_field({"type": "string", "enum": list(MemberStatus.values)})
class MemberStatusField(serializers.ChoiceField):
    """A member's status (inline in the schema: the member's own status enum is `Member`'s)."""

    def __init__(self, **kwargs: Any):
        super().__init__(choices=MemberStatus.choices, **kwargs)


class DuplicateMemberSerializer(serializers.Serializer):
    """A record of a pair, as the duplicates page shows it."""

    id = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    status = MemberStatusField()
    unit = serializers.SerializerMethodField()

    @extend_schema_field(MemberUnitSerializer)
    def get_unit(self, obj: Member) -> dict[str, Any] | None:
        return _unit(obj.unit)


class DuplicateSerializer(serializers.Serializer):
    """A pair of records that may be one person (same name and date of birth), seen from the
    caller's side: `mine` lies in the caller's scope; `other` is null when it does not (the
    unit above both can compare them)."""

    id = serializers.IntegerField(source="flag.pk")
    status = serializers.ChoiceField(
        source="flag.status",
        choices=DuplicateStatus.choices,
        help_text="open: to review; distinct: different people; resolved: handled.",
    )
    created_at = serializers.DateTimeField(source="flag.created_at")
    reviewed_at = serializers.DateTimeField(source="flag.reviewed_at", allow_null=True)
    reviewed_by = serializers.SerializerMethodField()
    mine = DuplicateMemberSerializer()
    other = serializers.SerializerMethodField()
    can_resolve = serializers.SerializerMethodField(
        help_text="Whether the caller may decide: the pair is open and the caller may change "
        "members in the unit of either record."
    )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reviewed_by(self, row: Any) -> str | None:
        user = row.flag.reviewed_by
        return str(user) if user is not None else None

    @extend_schema_field(DuplicateMemberSerializer(allow_null=True))
    def get_other(self, row: Any) -> dict[str, Any] | None:
        if not row.other_visible:
            return None
        return DuplicateMemberSerializer(row.other).data

    def get_can_resolve(self, row: Any) -> bool:
        user = self.context["request"].user
        return row.flag.status == DuplicateStatus.OPEN and any(
            path_in_scope(user, Action.MEMBERS_CHANGE, m.unit.path) for m in (row.mine, row.other)
        )


class DuplicateQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
        help_text="Pairs to review (open, the default), or those reviewed.",
    )


class DuplicateResolveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (DuplicateStatus.DISTINCT.value, DuplicateStatus.DISTINCT.label),
            (DuplicateStatus.RESOLVED.value, DuplicateStatus.RESOLVED.label),
        ],
        help_text="distinct: different people; resolved: handled (one record was corrected, "
        "exited or transferred).",
    )


# ---------------------------------------------------------------------------------------------
# Import jobs


MAX_MESSAGES = 200  # problems listed per job (the job page and the file report have them all)


class ImportProblemSerializer(serializers.Serializer):
    """One problem of an uploaded file: where (file, sheet, row, column) and what."""

    file = serializers.CharField(required=False, allow_blank=True)
    sheet = serializers.CharField(required=False, allow_blank=True)
    row = serializers.IntegerField(allow_null=True, required=False)
    column = serializers.CharField(allow_blank=True, required=False)
    message = serializers.CharField()


def _problems(items: Any, limit: int = MAX_MESSAGES) -> list[dict[str, Any]]:
    out = []
    for item in list(items or [])[:limit]:
        if isinstance(item, dict):
            problem = {
                k: item.get(k) for k in ("file", "sheet", "row", "column", "message") if k in item
            }
        else:
            problem = {"message": str(item)}
        problem["message"] = mask_numbers(str(problem.get("message", "")))
        out.append(problem)
    return out


class ImportJobSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    progress = serializers.SerializerMethodField(help_text="Rows done ÷ rows in the file, 0–1.")
    # (Declared fields are taken out of the class: `errors` does not hide Serializer.errors.)
    errors = serializers.SerializerMethodField()  # type: ignore[assignment]
    warnings = serializers.SerializerMethodField()
    error_count = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "unit",
            "filename",
            "status",
            "rows_total",
            "rows_done",
            "progress",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
            "warnings",
            "message",
            "created_at",
            "finished_at",
        ]

    @extend_schema_field(MemberUnitSerializer)
    def get_unit(self, obj: ImportJob) -> dict[str, Any] | None:
        return _unit(obj.unit)

    def get_progress(self, obj: ImportJob) -> float:
        if not obj.rows_total:
            return 1.0 if obj.status in (ImportStatus.DONE, ImportStatus.FAILED) else 0.0
        return round(min(obj.rows_done / obj.rows_total, 1.0), 4)

    @extend_schema_field(ImportProblemSerializer(many=True))
    def get_errors(self, obj: ImportJob) -> list[dict[str, Any]]:
        """The first problems (citizen IDs quoted in messages are masked)."""
        return _problems(obj.errors)

    @extend_schema_field(ImportProblemSerializer(many=True))
    def get_warnings(self, obj: ImportJob) -> list[dict[str, Any]]:
        return _problems(obj.warnings)

    def get_error_count(self, obj: ImportJob) -> int:
        return len(obj.errors or [])


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An .xlsx or .csv file in the member import format.")
    unit = UnitField(
        help_text="The unit that imports (code or id): members go to it or, with a unit column, "
        "to units below it."
    )


# ---------------------------------------------------------------------------------------------
# Counts


class CountsQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(
        required=False, help_text="Unit code or id (default: the caller's topmost unit)."
    )
    as_of = DateInput(required=False, help_text="Members are counted on this day (default today).")
    date_from = DateInput(
        required=False,
        help_text="First day of the period of admissions, exits and transfers "
        "(default 1 January of the `as_of` year).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        import datetime as dt

        from django.utils import timezone
        from django.utils.translation import gettext as _

        as_of = attrs.get("as_of") or timezone.localdate()
        date_from = attrs.get("date_from") or dt.date(as_of.year, 1, 1)
        if date_from > as_of:
            raise serializers.ValidationError(
                {"date_from": _("The period must start on or before the “as of” day.")}
            )
        attrs["as_of"], attrs["date_from"] = as_of, date_from
        return attrs


class ClusterCountsQuerySerializer(CountsQuerySerializer):
    cluster = serializers.IntegerField(help_text="Cluster id.")


class ExitsByReasonSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, Any]:
        return {r: serializers.IntegerField() for r in ExitReason.values}


class FiguresSerializer(serializers.Serializer):
    members = serializers.IntegerField(help_text="Members on `as_of`.")
    women = serializers.IntegerField()
    members_at_start = serializers.IntegerField(help_text="Members on the day before `date_from`.")
    women_at_start = serializers.IntegerField()
    admissions = serializers.IntegerField()
    exits = serializers.IntegerField()
    exits_by_reason = ExitsByReasonSerializer()
    transfers_in = serializers.IntegerField()
    transfers_out = serializers.IntegerField()
    reorg_in = serializers.IntegerField(help_text="Moved in by a merger, split or dissolution.")
    reorg_out = serializers.IntegerField()
    party_referrals = serializers.IntegerField()
    party_admissions = serializers.IntegerField()

    def to_representation(self, instance: Any) -> Any:
        return instance.as_dict()


class CountRowSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    direct = serializers.BooleanField(
        help_text="True: the members of the unit itself (not of the units below it)."
    )
    active = serializers.BooleanField(
        help_text="False: no longer in this subtree on `as_of` (dissolved or moved away)."
    )
    figures = FiguresSerializer()


class SubtreeCountsSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    date_from = DateInput(source="period.date_from")
    as_of = DateInput(source="period.date_to")
    existed = serializers.BooleanField()
    rows = CountRowSerializer(many=True)
    total = FiguresSerializer()


class ClusterCountsSerializer(serializers.Serializer):
    cluster_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    date_from = DateInput(source="period.date_from")
    as_of = DateInput(source="period.date_to")
    hidden_units = serializers.IntegerField(
        help_text="Member units outside the caller's scope, not counted."
    )
    rows = CountRowSerializer(many=True)
    total = FiguresSerializer()
