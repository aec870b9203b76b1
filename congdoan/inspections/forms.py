"""Forms of the inspection and complaint pages. They only translate input; the services check
the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.inspections.models import Body, ComplaintKind, InspectionKind, OutsideKind
from congdoan.organisation.forms import (
    BootstrapMixin,
    UnitChoiceField,
    UnitCodesPicker,
    split_codes,
)
from congdoan.organisation.selectors.units import units_with_codes

OUTSIDE_HELP = _(
    "Enterprises or bodies outside the union tree, one per line; begin a line with “DN:” for "
    "an enterprise or “CQ:” for an agency (another organisation otherwise)."
)
PREFIXES = {"dn": OutsideKind.ENTERPRISE, "cq": OutsideKind.AGENCY}


def parse_outside(text: str) -> list[tuple[str, str]]:
    """ "DN: Công ty A\\nCQ: Sở Y tế\\nHội Nông dân" → [(name, kind), …]."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        head, sep, rest = line.partition(":")
        kind = PREFIXES.get(head.strip().casefold()) if sep else None
        out.append((rest.strip(), kind) if kind else (line, OutsideKind.OTHER))
    return [(name, str(kind)) for name, kind in out if name]


class InspectionForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Conducting unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    body = forms.ChoiceField(label=_("Conducted by"), choices=Body.choices)
    partners = forms.CharField(
        label=_("Jointly with"),
        max_length=500,
        required=False,
        help_text=_("The other bodies that conducted it jointly, if any."),
    )
    title = forms.CharField(
        label=_("Subject"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to name it by its kind."),
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = VnDateField(label=_("Decision date"), required=False)
    started_on = VnDateField(label=_("From"))
    ended_on = VnDateField(label=_("To"), required=False)
    units = forms.CharField(
        label=_("Units inspected"),
        required=False,
        help_text=_("Codes of units of the tree, separated by “;”, commas or one per line."),
    )
    outside = forms.CharField(
        label=_("Bodies outside the tree"),
        required=False,
        help_text=OUTSIDE_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        if editing:
            del self.fields["unit"], self.fields["units"], self.fields["outside"]
        else:
            self.fields["unit"] = UnitChoiceField(
                user=user, action=Action.INSPECTION_MANAGE, label=_("Conducting unit")
            )
            self.fields["units"].widget = UnitCodesPicker(
                user=user, action=Action.ORGANISATION_VIEW
            )
        self._style()

    def clean_units(self) -> list[Any]:
        codes = split_codes(self.cleaned_data.get("units") or "")
        found = units_with_codes(
            self.user, codes, action=Action.ORGANISATION_VIEW, active_only=False
        )
        missing = sorted(set(codes) - {u.code for u in found})
        if missing:
            raise forms.ValidationError(
                _("No unit with the code %(codes)s was found within your scope.")
                % {"codes": ", ".join(missing)}
            )
        return found

    def clean_outside(self) -> list[tuple[str, str]]:
        return parse_outside(self.cleaned_data.get("outside") or "")


class TargetForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit of the tree"), required=False)
    name = forms.CharField(
        label=_("Or a body outside the tree"),
        max_length=300,
        required=False,
        help_text=_("An enterprise, an agency or another organisation, by its name."),
    )
    outside_kind = forms.ChoiceField(
        label=_("Kind of body"), choices=OutsideKind.choices, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user, action=Action.ORGANISATION_VIEW, required=False, active_only=False,
            label=_("Unit of the tree"),
        )  # fmt: skip
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unit") is None and not (data.get("name") or "").strip():
            self.add_error("unit", _("Choose a unit or name the body inspected."))
        return data


class RecommendationForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.ChoiceField(label=_("Addressed to"), required=False)
    due_on = VnDateField(label=_("Due by"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.targets = {str(t.pk): t for t in targets}
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All the units inspected"))] + [
            (str(t.pk), t.label) for t in targets
        ]
        self._style()

    def clean_target(self) -> Any:
        return self.targets.get(self.cleaned_data.get("target") or "")


class FollowUpForm(BootstrapMixin, forms.Form):
    on = VnDateField(label=_("Date"))
    action = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    done = forms.BooleanField(label=_("The recommendation is carried out"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class ComplaintForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Handling unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ComplaintKind.choices)
    received_on = VnDateField(label=_("Received on"))
    sender = forms.CharField(
        label=_("Sent by"),
        max_length=200,
        required=False,
        help_text=_("Shown only to those who may see personal data."),
    )
    summary = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = VnDateField(label=_("Resolved on"), required=False)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, user: Any, editing: bool = False, sender: bool = True, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if not sender:  # who sent it is not shown to this user: not offered either
            del self.fields["sender"]
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"] = UnitChoiceField(
                user=user, action=Action.INSPECTION_MANAGE, label=_("Handling unit")
            )
        self._style()
