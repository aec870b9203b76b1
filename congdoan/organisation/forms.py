"""Forms of the organisation pages. They only translate input; services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.organisation.models import ClusterKind, CommitteeKind, Position, Unit
from congdoan.organisation.selectors.terms import seat_member_by_card

YEAR_MIN, YEAR_MAX = 1900, 2200


def _year_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        **kwargs,
    )


class UnitChoiceField(forms.ModelChoiceField):
    """A unit within the user's scope for `action`, entered by id or by code.

    Build it with `UnitChoiceField(user=request.user, action=Action.ORGANISATION_REORGANISE)`; units
    outside the scope are "not found", exactly like units that do not exist.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": _("No unit with this code was found within your scope."),
    }

    def __init__(self, *, user: Any, action: Action, active_only: bool = True, **kwargs: Any):
        qs = Unit.objects.visible_to(user, action).select_related("unit_type__level")
        if active_only:
            qs = qs.filter(dissolved_on__isnull=True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": _("unit code")}))
        super().__init__(queryset=qs, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        qs = self.queryset
        assert qs is not None
        unit = qs.filter(code=text.upper()).first()
        if unit is None and text.isdigit():
            unit = qs.filter(pk=int(text)).first()
        if unit is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return unit

    def prepare_value(self, value: Any) -> Any:
        if hasattr(value, "code"):
            return value.code
        if isinstance(value, int) and self.queryset is not None:
            unit = self.queryset.filter(pk=value).first()
            return unit.code if unit else value
        return value


class BootstrapMixin:
    """Give every widget Bootstrap's classes."""

    fields: dict[str, forms.Field]

    def _style(self) -> None:
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class TreeFilterForm(BootstrapMixin, forms.Form):
    """The tree's "as of" date (dd/mm/yyyy; ISO also accepted) and the dissolved-units toggle."""

    as_of = VnDateField(label=_("As of"), required=False)
    show_dissolved = forms.BooleanField(label=_("Show dissolved units"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class ClusterForm(BootstrapMixin, forms.Form):
    organiser = forms.Field(label=_("Organising unit"))
    code = forms.SlugField(
        label=_("Cluster code"),
        max_length=40,
        help_text=_("Letters without diacritics, digits, '-' and '_', e.g. cum-thi-dua-1."),
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=ClusterKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organiser"] = UnitChoiceField(
            user=user, action=Action.ORGANISATION_MANAGE_CLUSTERS, label=_("Organising unit")
        )
        self._style()


class ClusterMemberForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit"))
    year = _year_field(_("Year"))
    is_head = forms.BooleanField(label=_("Head unit (cụm trưởng)"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user, action=Action.ORGANISATION_MANAGE_CLUSTERS, label=_("Unit (code)")
        )
        self._style()


class ClusterCopyYearForm(BootstrapMixin, forms.Form):
    from_year = _year_field(_("Copy members of"))
    to_year = _year_field(_("Into year"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class TermForm(BootstrapMixin, forms.Form):
    number = forms.IntegerField(label=_("Congress number"), min_value=1, max_value=100)
    start_year = _year_field(_("First year"))
    end_year = _year_field(_("Last year"))
    congress_date = VnDateField(label=_("Congress date"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class SeatForm(BootstrapMixin, forms.Form):
    committee = forms.ChoiceField(label=_("Committee"), choices=CommitteeKind.choices)
    position = forms.ChoiceField(label=_("Position"))
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("May be left empty when a membership card number is given."),
    )
    card_number = forms.CharField(
        label=_("Membership card number"),
        max_length=32,
        required=False,
        help_text=_("Links the seat to the member's record (optional)."),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=300, required=False)
    start_date = VnDateField(label=_("From"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.member: Any = None
        self.positions = {str(p.pk): p for p in Position.objects.all()}
        field = self.fields["position"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------")] + [
            (str(label), [(pk, p.name) for pk, p in self.positions.items() if p.committee == kind])
            for kind, label in CommitteeKind.choices
        ]
        self._style()

    def clean_position(self) -> Position:
        return self.positions[self.cleaned_data["position"]]

    def clean_card_number(self) -> str:
        card = (self.cleaned_data.get("card_number") or "").strip()
        if card:
            self.member = seat_member_by_card(self.user, card)
            if self.member is None:
                raise forms.ValidationError(
                    _("No member with this card number was found within your scope.")
                )
        return card

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("full_name") or "").strip() and self.member is None:
            self.add_error("full_name", _("Enter the full name or a membership card number."))
        return data


class SeatEndForm(BootstrapMixin, forms.Form):
    end_date = VnDateField(label=_("Until"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason for leaving"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()
