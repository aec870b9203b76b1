"""Forms of the member pages. They only translate input; the services check every rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope
from congdoan.core.text import fold, nfc
from congdoan.members.models import (
    Discipline,
    DuplicateStatus,
    Ethnicity,
    ExitReason,
    Member,
    Religion,
    Sex,
)
from congdoan.members.personal import Purpose, purpose_text
from congdoan.organisation.forms import UnitChoiceField, UnitPickerInput
from congdoan.organisation.models import Cluster

GROUPS: list[tuple[str, Any, tuple[str, ...]]] = [
    (
        "identity",
        _("Identity"),
        (
            "family_name",
            "middle_name",
            "given_name",
            "sex",
            "date_of_birth",
            "citizen_id",
            "clear_citizen_id",
        ),
    ),
    ("contact", _("Contact and address"), ("phone", "email", "hometown", "address")),
    (
        "work",
        _("Education and work"),
        (
            "general_education",
            "professional_level",
            "political_theory",
            "job_title",
            "workplace",
            "salary_base",
        ),
    ),
    (
        "union",
        _("Union membership"),
        ("unit", "admitted_on", "card_number", "allocate_card", "card_issued_on"),
    ),
    ("flags", _("Circumstances"), ("hardship", "disability", "note")),
    (
        "sensitive",
        _("Sensitive personal data"),
        ("ethnicity", "religion", "party_member", "party_joined_on"),
    ),
]
SENSITIVE_INPUTS = ("ethnicity", "religion", "party_member", "party_joined_on")
RECORD_FIELDS = (
    "family_name", "middle_name", "given_name", "sex", "date_of_birth", "citizen_id",
    "ethnicity", "religion", "phone", "email", "hometown", "address", "general_education",
    "professional_level", "political_theory", "job_title", "workplace", "card_number",
    "card_issued_on", "salary_base", "hardship", "disability", "party_member",
    "party_joined_on", "note",
)  # fmt: skip


def style(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget Bootstrap's classes (idempotent)."""
    for f in form.fields.values():
        widget = f.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
    return form


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        style(self)


SELECT_UNITS_UP_TO = 300  # a drop-down list of units up to this many, a code box beyond


def unit_choices(user: Any, action: Action, *, active_only: bool = True) -> list[Any] | None:
    """Units within the user's scope as drop-down choices (code, indented name) in tree order,
    or None when there are too many for a list (a code box is used then)."""
    from congdoan.organisation.models import Unit

    qs = Unit.objects.visible_to(user, action)
    if active_only:
        qs = qs.filter(dissolved_on__isnull=True)
    # Tuples, not units: this runs on every member list.
    units = list(
        qs.order_by("path").values_list("depth", "code", "name", "short_name")[
            : SELECT_UNITS_UP_TO + 1
        ]
    )
    if len(units) > SELECT_UNITS_UP_TO:
        return None
    top = min((depth for depth, *_rest in units), default=1)
    return [("", "---------")] + [
        (code, f"{'· ' * (depth - top)}{short_name or name} ({code})")
        for depth, code, name, short_name in units
    ]


def unit_field(user: Any, action: Action, **kwargs: Any) -> UnitChoiceField:
    """A unit within the user's scope: a drop-down list when the scope is small, else a box
    for the unit code."""
    choices = unit_choices(user, action)
    if choices is not None:
        kwargs["widget"] = forms.Select()
    field = UnitChoiceField(user=user, action=action, **kwargs)
    if choices is not None:
        # After the field's own set-up, which would list its whole queryset again.
        field.widget.choices = choices  # type: ignore[attr-defined]
    return field


def _formfield(model_field: Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if type(model_field) is models.DateField:
        return VnDateField(label=capfirst(model_field.verbose_name), required=not model_field.blank)
    return model_field.formfield(**kwargs)


def _today() -> Any:
    return timezone.localdate()


class MemberForm(forms.Form):
    """The member record: admission (with unit and admission date) or correction (edit).

    In the edit form, users without the personal-data permission on the member's unit get no
    sensitive field (they cannot see the current values) and the citizen ID is write-only: left
    empty it stays as it is; a new number replaces it.
    """

    def __init__(
        self,
        *args: Any,
        user: Any,
        admit: bool,
        personal: bool,
        masked_citizen_id: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        generated = forms.fields_for_model(
            Member, fields=list(RECORD_FIELDS), formfield_callback=_formfield
        )
        for name in RECORD_FIELDS:
            self.fields[name] = generated[name]
        self.fields["sex"] = forms.ChoiceField(
            label=capfirst(Member._meta.get_field("sex").verbose_name),
            choices=Sex.choices,
            widget=forms.RadioSelect,
        )
        self.fields["citizen_id"] = forms.CharField(
            label=capfirst(Member._meta.get_field("citizen_id").verbose_name),
            required=False,
            max_length=24,
            help_text=_("12 digits (old ID card: 9). Type it as text: Excel drops leading zeros."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        self.fields["ethnicity"].queryset = Ethnicity.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["religion"].queryset = Religion.objects.all()  # type: ignore[attr-defined]
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.fields["salary_base"].widget.attrs.update(step="1000")
        if admit:
            if not has_any_scope(user, Action.MEMBERS_VIEW_PERSONAL):
                # Entering sensitive data needs the personal-data permission, as in the API.
                for name in SENSITIVE_INPUTS:
                    del self.fields[name]
            self.fields["unit"] = unit_field(user, Action.MEMBERS_CHANGE, label=_("Union unit"))
            self.fields["admitted_on"] = VnDateField(label=_("Admitted on"), initial=_today)
            self.fields["allocate_card"] = forms.BooleanField(
                label=_("Allocate a card number now (when none is entered)"), required=False
            )
        else:
            # The record as opened (core/concurrency.py): only what the user changes is saved.
            self.fields["loaded"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        if not admit and not personal:
            for name in SENSITIVE_INPUTS:
                del self.fields[name]
            self.fields["citizen_id"].help_text = _(
                "Now: %(masked)s. Leave empty to keep it; type a new number to replace it."
            ) % {"masked": masked_citizen_id or "—"}
            if masked_citizen_id:
                self.fields["clear_citizen_id"] = forms.BooleanField(
                    label=_("Remove the citizen ID from the record"), required=False
                )
        self.admit = admit
        self.personal = personal
        style(self)

    @property
    def groups(self) -> list[tuple[str, Any, list[Any]]]:
        """The fields group by group, for the template."""
        out = []
        for key, title, names in GROUPS:
            bound = [self[n] for n in names if n in self.fields]
            if bound:
                out.append((key, title, bound))
        return out

    def clean_card_number(self) -> str | None:
        value = nfc(self.cleaned_data.get("card_number")).upper()
        return value or None

    def sensitive_given(self) -> list[str]:
        """The sensitive inputs that were filled in."""
        data = self.cleaned_data
        return [
            n for n in SENSITIVE_INPUTS if n in self.fields and data.get(n) not in (None, "", False)
        ]

    def details(self) -> dict[str, Any]:
        """The record's values as the services take them (admission: without the unit and
        admission date; edit: without the citizen ID when it is left empty)."""
        data = dict(self.cleaned_data)
        for name in ("unit", "admitted_on", "allocate_card", "loaded"):
            data.pop(name, None)
        if not self.admit and not self.personal:
            clear = data.pop("clear_citizen_id", False)
            if clear:
                data["citizen_id"] = None
            elif not (data.get("citizen_id") or "").strip():
                data.pop("citizen_id")
        for name in ("family_name", "middle_name", "given_name", "hometown", "address"):
            if name in data:
                data[name] = nfc(data[name])
        return data


class AnyUnitField(forms.CharField):
    """Any active unit of the federation (units are not secret, members are): a code, or a name
    that matches exactly one unit."""

    default_error_messages = {
        "not_found": _("No active unit with this code or name was found."),
        "ambiguous": _("Several units match: %(units)s. Enter the code."),
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": _("unit code or name")}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        from congdoan.organisation.models import Unit

        text = nfc(super().clean(value))
        if not text:
            return None
        active = Unit.objects.filter(dissolved_on__isnull=True).select_related("unit_type__level")
        unit = active.filter(code=text.upper()).first()
        if unit is not None:
            return unit
        if fold(text):
            matches = list(active.search(text).order_by("depth", "path")[:6])
            exact = [u for u in matches if fold(u.name) == fold(text)]
            if len(exact) == 1:
                return exact[0]
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise forms.ValidationError(
                    self.error_messages["ambiguous"],
                    code="ambiguous",
                    params={"units": ", ".join(f"{u} ({u.code})" for u in matches[:5])},
                )
        raise forms.ValidationError(self.error_messages["not_found"], code="not_found")


class DayForm(StyledForm):
    day = VnDateField(label=_("Effective date"), initial=_today)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class TransferForm(DayForm):
    to_unit = AnyUnitField(label=_("Receiving unit"))

    field_order = ["to_unit", "day", "note"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if user is not None:
            # Suggestions among the units the officer can see; any unit's code is accepted.
            self.fields["to_unit"].widget = UnitPickerInput(
                user=user, action=Action.ORGANISATION_VIEW, attrs={"class": "form-control"}
            )


class ExitForm(DayForm):
    reason = forms.ChoiceField(
        label=pgettext_lazy("member", "Reason for leaving"),
        # Expulsion is recorded as a discipline, which also ends the membership.
        choices=[c for c in ExitReason.choices if c[0] != ExitReason.EXPELLED],
    )

    field_order = ["reason", "day", "note"]


class DisciplineForm(DayForm):
    level = forms.ChoiceField(label=_("Discipline"), choices=Discipline.choices)
    decision_ref = forms.CharField(label=_("Decision number"), required=False, max_length=120)

    field_order = ["level", "decision_ref", "day", "note"]


class ReadmitForm(DayForm):
    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(user, Action.MEMBERS_CHANGE, label=_("Union unit"))
        self.order_fields(["unit", "day", "note"])
        style(self)


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("Reason for refusing"), max_length=300)


class PurposeForm(StyledForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    detail = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=250,
        help_text=_("For example the request, case or decision this is for."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == Purpose.OTHER and not nfc(data.get("detail")):
            self.add_error("detail", _("Describe the purpose."))
        return data

    @property
    def purpose_text(self) -> str:
        return purpose_text(self.cleaned_data["purpose"], self.cleaned_data.get("detail", ""))


class SubjectExportForm(PurposeForm):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("json", "JSON"), ("pdf", "PDF")],
        initial="json",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, pdf: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].initial = Purpose.MEMBER_REQUEST
        if not pdf:
            fmt = self.fields["format"]
            assert isinstance(fmt, forms.ChoiceField)
            fmt.choices = [("json", "JSON")]
        style(self)


class DuplicateResolveForm(StyledForm):
    status = forms.ChoiceField(
        choices=[
            (DuplicateStatus.DISTINCT, DuplicateStatus.DISTINCT.label),
            (DuplicateStatus.RESOLVED, DuplicateStatus.RESOLVED.label),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Statistics, import and export


class StatsForm(forms.Form):
    unit = forms.Field(label=_("Unit"), required=False)
    as_of = VnDateField(
        label=_("As of"),
        required=False,
        help_text=_("Members are counted on this day (empty: today)."),
    )
    date_from = VnDateField(
        label=_("Period from"),
        required=False,
        help_text=_("Admissions, exits and transfers from this day to the “as of” day "
                    "(empty: 1 January of that year)."),
    )  # fmt: skip
    cluster = forms.ModelChoiceField(
        label=_("Emulation cluster"),
        queryset=Cluster.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=Action.MEMBERS_VIEW,
            active_only=False,
            required=False,
            label=_("Unit"),
        )
        cluster = self.fields["cluster"]
        assert isinstance(cluster, forms.ModelChoiceField)
        cluster.queryset = Cluster.objects.visible_to(user, Action.MEMBERS_VIEW).order_by("name")
        cluster.empty_label = _("(none)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        as_of = data.get("as_of") or timezone.localdate()
        date_from = data.get("date_from") or dt.date(as_of.year, 1, 1)
        if date_from > as_of:
            self.add_error("date_from", _("The period must start on or before the “as of” day."))
        data["as_of"], data["date_from"] = as_of, date_from
        return data


class UploadForm(forms.Form):
    unit = forms.Field(label=_("Unit"))
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=Action.MEMBERS_CHANGE,
            label=_("Unit"),
            help_text=_(
                "Members go to this unit, or to the unit of the column “Mã đơn vị” within it."
            ),
        )
        for field in self.fields.values():
            css = "form-control"
            field.widget.attrs.setdefault("class", css)


class ExportPurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    detail = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=250,
        help_text=_("For example the request, case or decision this is for."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == Purpose.OTHER and not (data.get("detail") or "").strip():
            self.add_error("detail", _("Describe the purpose."))
        return data
