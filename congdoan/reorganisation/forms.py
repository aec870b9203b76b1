"""Forms of the reorganisation wizard and of plan uploads. They only translate input into the
keyword arguments of `congdoan.reorganisation.services`; every rule is checked there."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.core.text import nfc
from congdoan.organisation.forms import UnitChoiceField, UnitCodesPicker, split_codes
from congdoan.organisation.models import OwnershipType, ReorgKind, Sector, Unit, UnitType
from congdoan.reorganisation.selectors import child_of, member_of, units_by_codes
from congdoan.reorganisation.services import NewUnit

_PAIR_SEPARATORS = re.compile(r"\s*(?:->|→|=>|=|;|,|\t)\s*|\s+")


def parse_pairs(text: str) -> list[tuple[int, str, str]]:
    """Lines "key → code" (also ";", ",", "=", tab or space) → [(line number, key, code)]."""
    pairs: list[tuple[int, str, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = nfc(raw)
        if not line:
            continue
        parts = [p for p in _PAIR_SEPARATORS.split(line) if p]
        if len(parts) != 2:
            raise ValidationError(
                _("Line %(line)s: write one entry per line as “key → receiving unit code”."),
                params={"line": number},
                code="pair",
            )
        pairs.append((number, parts[0], parts[1].upper()))
    return pairs


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def today() -> Any:
    return timezone.localdate()


class OperationForm(forms.Form):
    """Fields every operation has: effective date, decision number, note."""

    kind: str = ""
    unit_field: str = "unit"  # the field that ?unit= preselects

    day = VnDateField(label=_("Effective date"), initial=today)
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label=_("I have checked the preview and want to apply these changes."), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        self.user = user
        super().__init__(*args, **kwargs)
        # The common fields go last, in this order.
        for name in ("day", "decision_ref", "note", "confirm"):
            self.fields[name] = self.fields.pop(name)
        _style(self)

    def unit_field_for(self, action: Action, **kwargs: Any) -> UnitChoiceField:
        return UnitChoiceField(user=self.user, action=action, **kwargs)

    def codes_widget(self, action: Action = Action.ORGANISATION_REORGANISE) -> UnitCodesPicker:
        """A list of unit codes that suggests units as one types (within scope for `action`)."""
        return UnitCodesPicker(user=self.user, action=action)

    def common_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"day": data["day"], "decision_ref": data["decision_ref"], "note": data["note"]}

    def service_kwargs(self) -> dict[str, Any]:
        raise NotImplementedError

    def add_rule_error(self, exc: RuleViolation) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, str(exc))

    @property
    def subforms(self) -> list[Any]:
        return []


class NewUnitForm(forms.Form):
    """A unit created within the operation (create; new receiving unit of a merge or split)."""

    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Official name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    unit_type = forms.ModelChoiceField(label=_("Unit type"), queryset=UnitType.objects.none())
    parent = forms.Field(label=_("Parent unit"))
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False
    )
    ownership = forms.ModelChoiceField(
        label=_("Ownership type"), queryset=OwnershipType.objects.all(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit_type"].queryset = UnitType.objects.select_related("level")  # type: ignore[attr-defined]
        self.fields["parent"] = UnitChoiceField(
            user=user, action=Action.ORGANISATION_REORGANISE, label=_("Parent unit")
        )
        _style(self)

    def clean_code(self) -> str:
        return nfc(self.cleaned_data["code"]).upper()

    def new_unit(self) -> NewUnit:
        d = self.cleaned_data
        return NewUnit(
            code=d["code"],
            name=nfc(d["name"]),
            short_name=nfc(d.get("short_name") or ""),
            unit_type=d["unit_type"],
            parent=d["parent"],
            sector=d.get("sector"),
            ownership=d.get("ownership"),
        )


class BaseNewUnitFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        kwargs.setdefault("form_kwargs", {})["user"] = user
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        if any(self.errors):
            return
        codes = [f.cleaned_data["code"] for f in self.forms if f.cleaned_data]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Two new units have the same code."))

    def new_units(self) -> list[NewUnit]:
        return [f.new_unit() for f in self.forms if f.cleaned_data]


NewUnitFormSet = forms.formset_factory(NewUnitForm, formset=BaseNewUnitFormSet, extra=3, max_num=20)
NewTargetFormSet = forms.formset_factory(
    NewUnitForm, formset=BaseNewUnitFormSet, extra=1, max_num=1
)


class WithNewUnits(OperationForm):
    """An operation form with a formset of new units (prefix "new")."""

    formset_class: Any = NewUnitFormSet

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.new_units = self.formset_class(
            self.data if self.is_bound else None, prefix="new", user=user
        )

    @property
    def subforms(self) -> list[Any]:
        return [self.new_units]

    def is_valid(self) -> bool:
        main = super().is_valid()
        return self.new_units.is_valid() and main

    def new_by_code(self) -> dict[str, NewUnit]:
        if not self.new_units.is_valid():
            return {}
        return {n.code: n for n in self.new_units.new_units()}


class CreateForm(OperationForm):
    kind = ReorgKind.CREATE
    unit_field = "parent"

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.unit_form = NewUnitForm(self.data if self.is_bound else None, user=user, prefix="u")

    @property
    def subforms(self) -> list[Any]:
        return [self.unit_form]

    def is_valid(self) -> bool:
        main = super().is_valid()
        return self.unit_form.is_valid() and main

    def service_kwargs(self) -> dict[str, Any]:
        return {"new": self.unit_form.new_unit(), **self.common_kwargs()}


class UpdateForm(OperationForm):
    kind = ReorgKind.UPDATE
    code = forms.CharField(label=_("New code"), max_length=32, required=False)
    name = forms.CharField(label=_("New official name"), max_length=300, required=False)
    short_name = forms.CharField(label=_("New short name"), max_length=120, required=False)
    unit_type = forms.ModelChoiceField(
        label=_("New unit type"), queryset=UnitType.objects.all(), required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False
    )
    ownership = forms.ModelChoiceField(
        label=_("Ownership type"), queryset=OwnershipType.objects.all(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"] = self.unit_field_for(
            Action.ORGANISATION_CHANGE,
            label=_("Unit"),
            help_text=_("Fields left empty keep their current value."),
        )
        self.fields = {"unit": self.fields.pop("unit"), **self.fields}
        _style(self)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        values: dict[str, Any] = {}
        for name in ("code", "name", "short_name"):
            if d.get(name):
                values[name] = nfc(d[name])
        for name in ("unit_type", "sector", "ownership"):
            if d.get(name) is not None:
                values[name] = d[name]
        if not values:
            raise RuleViolation(_("Enter at least one new value."))
        return {"unit": d["unit"], "values": values, **self.common_kwargs()}


class MoveForm(OperationForm):
    kind = ReorgKind.MOVE

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"] = self.unit_field_for(
            Action.ORGANISATION_REORGANISE, label=_("Unit to move")
        )
        self.fields["new_parent"] = self.unit_field_for(
            Action.ORGANISATION_REORGANISE, label=_("New parent unit")
        )
        self.fields = {
            "unit": self.fields.pop("unit"),
            "new_parent": self.fields.pop("new_parent"),
            **self.fields,
        }
        _style(self)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"unit": d["unit"], "new_parent": d["new_parent"], **self.common_kwargs()}


def _units_by_codes(
    user: Any, codes: list[str], action: Action = Action.ORGANISATION_REORGANISE
) -> list[Unit]:
    found, missing = units_by_codes(user, codes, action)
    if missing:
        raise ValidationError(
            _("Not found within your scope: %(codes)s."),
            params={"codes": ", ".join(missing)},
            code="not_found",
        )
    return [found[c] for c in codes]


class MergeForm(WithNewUnits):
    kind = ReorgKind.MERGE
    unit_field = "sources"
    formset_class = NewTargetFormSet

    sources = forms.CharField(
        label=_("Units to merge"),
        help_text=_("Unit codes separated by “;”, commas or one per line."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["sources"].widget = self.codes_widget()
        self.fields["target"] = self.unit_field_for(
            Action.ORGANISATION_REORGANISE,
            label=_("Receiving unit (existing)"),
            required=False,
            help_text=_("Leave empty to create the receiving unit below."),
        )
        self.fields = {
            "sources": self.fields.pop("sources"),
            "target": self.fields.pop("target"),
            **self.fields,
        }
        _style(self)

    def clean_sources(self) -> list[Unit]:
        codes = split_codes(self.cleaned_data["sources"])
        if not codes:
            raise ValidationError(_("Choose at least one unit to merge."))
        return _units_by_codes(self.user, codes)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = self.new_by_code()
        if self.new_units.is_valid() and (data.get("target") is None) == (not new):
            self.add_error("target", _("Name one receiving unit: an existing unit or a new one."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        new = list(self.new_by_code().values())
        return {
            "sources": d["sources"],
            "target": d.get("target"),
            "new_target": new[0] if new else None,
            **self.common_kwargs(),
        }


class SplitForm(WithNewUnits):
    kind = ReorgKind.SPLIT
    unit_field = "source"

    targets = forms.CharField(
        label=_("Receiving units"),
        required=False,
        help_text=_(
            "Codes of the receiving units in order, existing units or new units defined below; "
            "members and units not assigned go to the first one."
        ),
    )
    member_assignments = forms.CharField(
        label=_("Members assigned"),
        required=False,
        help_text=_("One per line: membership card number (or member id) → receiving unit code."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    child_assignments = forms.CharField(
        label=_("Units below assigned"),
        required=False,
        help_text=_("One per line: code of a unit directly below → receiving unit code."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["targets"].widget = self.codes_widget()
        self.fields["source"] = self.unit_field_for(
            Action.ORGANISATION_REORGANISE, label=_("Unit to split")
        )
        self.fields = {"source": self.fields.pop("source"), **self.fields}
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.new_units.is_valid():
            return data
        new = self.new_by_code()
        codes = split_codes(data.get("targets") or "")
        codes += [c for c in new if c not in codes]
        existing = [c for c in codes if c not in new]
        try:
            found = {u.code: u for u in _units_by_codes(self.user, existing)}
        except ValidationError as exc:
            self.add_error("targets", exc)
            return data
        targets: list[Any] = [new[c] if c in new else found[c] for c in codes]
        if len(targets) < 2:
            self.add_error("targets", _("A split needs at least two receiving units."))
        data["target_list"] = targets
        source = data.get("source")
        if source is None:
            return data
        data["member_map"] = self._members(source, data.get("member_assignments") or "")
        data["child_map"] = self._children(source, data.get("child_assignments") or "")
        return data

    def _members(self, source: Unit, text: str) -> dict[int, str]:
        try:
            pairs = parse_pairs(text)
        except ValidationError as exc:
            self.add_error("member_assignments", exc)
            return {}
        out: dict[int, str] = {}
        unknown: list[str] = []
        for _line, key, code in pairs:
            member = member_of(source, key)
            if member is None:
                unknown.append(key)
            else:
                out[member.pk] = code
        if unknown:
            self.add_error(
                "member_assignments",
                _("Not members of %(unit)s: %(keys)s.")
                % {"unit": source.code, "keys": ", ".join(unknown)},
            )
        return out

    def _children(self, source: Unit, text: str) -> dict[int, str]:
        try:
            pairs = parse_pairs(text)
        except ValidationError as exc:
            self.add_error("child_assignments", exc)
            return {}
        out: dict[int, str] = {}
        unknown: list[str] = []
        for _line, key, code in pairs:
            child = child_of(source, key)
            if child is None:
                unknown.append(key)
            else:
                out[child.pk] = code
        if unknown:
            self.add_error(
                "child_assignments",
                _("Not directly under %(unit)s: %(keys)s.")
                % {"unit": source.code, "keys": ", ".join(unknown)},
            )
        return out

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "source": d["source"],
            "targets": d["target_list"],
            "member_targets": d.get("member_map") or {},
            "child_targets": d.get("child_map") or {},
            **self.common_kwargs(),
        }


class DissolveForm(OperationForm):
    kind = ReorgKind.DISSOLVE
    LEAVE = "leave"
    TRANSFER = "transfer"

    members_action = forms.ChoiceField(
        label=_("Members"),
        choices=[
            (LEAVE, _("leave the union (reason: unit dissolved)")),
            (TRANSFER, _("move to the unit named below")),
        ],
        initial=LEAVE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"] = self.unit_field_for(
            Action.ORGANISATION_REORGANISE, label=_("Unit to dissolve")
        )
        self.fields["members_to"] = self.unit_field_for(
            Action.ORGANISATION_REORGANISE, label=_("Unit receiving the members"), required=False
        )
        self.fields["children_to"] = self.unit_field_for(
            Action.ORGANISATION_REORGANISE,
            label=_("Unit receiving the units below"),
            required=False,
            help_text=_("Required when units below are still active."),
        )
        order = ["unit", "members_action", "members_to", "children_to"]
        self.fields = {
            **{n: self.fields.pop(n) for n in order},
            **self.fields,
        }
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("members_action") == self.TRANSFER and not data.get("members_to"):
            self.add_error("members_to", _("Name the unit that receives the members."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "unit": d["unit"],
            "members_to": d["members_to"] if d["members_action"] == self.TRANSFER else None,
            "children_to": d.get("children_to"),
            **self.common_kwargs(),
        }


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Operation"), choices=[("", _("All")), *ReorgKind.choices], required=False
    )
    date_from = VnDateField(label=_("From"), required=False)
    date_to = VnDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _style(self)


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file (.xlsx or .csv)"),
        help_text=_("At most 5 MB and 5,000 rows; files with macros (.xlsm) are refused."),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    effective_date = VnDateField(
        label=_("Effective date"),
        required=False,
        help_text=_("Leave empty when every row carries the same date in “Ngày hiệu lực”."),
    )
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=Action.ORGANISATION_REORGANISE,
            label=_("Unit that owns the plan"),
            required=False,
            help_text=_("Leave empty to use your own unit."),
        )
        _style(self)
