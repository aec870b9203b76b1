"""Forms of the organisation pages. They only translate input; services check the rules."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import parse_id
from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.core.text import nfc
from congdoan.organisation.models import ClusterKind, CommitteeKind, Position, Unit
from congdoan.organisation.selectors.terms import seat_member_by_card
from congdoan.organisation.selectors.units import units_with_codes

YEAR_MIN, YEAR_MAX = 1900, 2200


def _year_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        **kwargs,
    )


_CODE_SEPARATORS = re.compile(r"[\s;,]+")
# The search box of a list of codes is sent as "<field name>__find" (ignored by the forms).
FIND_SUFFIX = "__find"


def split_codes(text: str) -> list[str]:
    """ "A1; A2, A3" or one per line → ["A1", "A2", "A3"] (upper case, order kept)."""
    return [c.upper() for c in _CODE_SEPARATORS.split(nfc(text or "")) if c]


class UnitPickerInput(forms.TextInput):
    """The box of a unit field: a unit code, with suggestions as one types a name or a code
    (diacritics optional) among the units within the user's scope for the field's action.
    Picking one fills in its code, and the unit's name is shown below the box.

    The suggestions come from `organisation:unit_field` through htmx attributes only (no script
    of its own, the Content Security Policy allows none); without JavaScript the box stays a
    box for a typed code. `UnitChoiceField` gives every unit field this widget.
    """

    template_name = "organisation/widgets/unit_picker.html"
    kind = "unit"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        user: Any = None,
        action: Action = Action.ORGANISATION_VIEW,
        active_only: bool = True,
    ):
        super().__init__({"placeholder": _("Code, or type a name to search"), **(attrs or {})})
        self.user, self.action, self.active_only = user, action, active_only

    def codes(self, value: Any) -> list[str]:
        """The codes the field's value names (one here)."""
        text = nfc(str(value if value is not None else "")).strip().upper()
        return [text] if text else []

    def with_code(self, current: str, code: str) -> str:
        """The field's value once `code` is picked (the code itself here)."""
        return code

    def picker_url(self, name: str, attrs: dict[str, Any]) -> str:
        """The address of the suggestions: everything the endpoint needs to draw them and to
        draw this field again with the unit picked."""
        params = {"kind": self.kind, "action": self.action.value, "name": name, "id": attrs["id"]}
        if self.active_only:
            params["active"] = "1"
        if attrs.get("required"):
            params["required"] = "1"
        for key, param in (("class", "css"), ("aria-describedby", "describedby")):
            if attrs.get(key):
                params[param] = attrs[key]
        return f"{reverse('organisation:unit_field')}?{urlencode(params)}"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"].setdefault("id", f"id_{name}")
        widget["attrs"]["autocomplete"] = "off"
        chosen = []
        if self.user is not None:
            codes = self.codes(widget["value"] or "")
            chosen = units_with_codes(
                self.user, codes, action=self.action, active_only=self.active_only
            )
        widget["picker"] = {
            "id": widget["attrs"]["id"],
            "url": self.picker_url(name, widget["attrs"]),
            "find": name + FIND_SUFFIX,
            "chosen": chosen,
        }
        return context


class UnitCodesPicker(UnitPickerInput):
    """A list of unit codes (";", commas or one per line) with a search box below it: each unit
    picked from the suggestions is added to the list. Without JavaScript, codes are typed."""

    template_name = "organisation/widgets/unit_codes_picker.html"
    kind = "codes"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__({"rows": 2, **(attrs or {})}, **kwargs)
        self.attrs.pop("placeholder", None)

    def format_value(self, value: Any) -> str:
        return "" if value is None else str(value)

    def codes(self, value: Any) -> list[str]:
        return split_codes(str(value or ""))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # Drawn again after a pick: the search box takes the focus, for the next unit.
        context["widget"]["picker"]["focus_find"] = context["widget"]["attrs"].pop(
            "autofocus", False
        )
        return context

    def with_code(self, current: str, code: str) -> str:
        if code.upper() in split_codes(current):
            return current
        current = current.rstrip()
        return f"{current}\n{code}" if current else code


class UnitChoiceField(forms.ModelChoiceField):
    """A unit within the user's scope for `action`, entered by id or by code.

    Build it with `UnitChoiceField(user=request.user, action=Action.ORGANISATION_REORGANISE)`; units
    outside the scope are "not found", exactly like units that do not exist. Its box suggests
    units as one types (`UnitPickerInput`) unless another widget is given.
    """

    widget = UnitPickerInput
    default_error_messages = {
        "invalid_choice": _("No unit with this code was found within your scope."),
    }

    def __init__(self, *, user: Any, action: Action, active_only: bool = True, **kwargs: Any):
        qs = Unit.objects.visible_to(user, action).select_related("unit_type__level")
        if active_only:
            qs = qs.filter(dissolved_on__isnull=True)
        kwargs.setdefault(
            "widget", UnitPickerInput(user=user, action=action, active_only=active_only)
        )
        super().__init__(queryset=qs, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        qs = self.queryset
        assert qs is not None
        unit = qs.filter(code=text.upper()).first()
        if unit is None and parse_id(text) is not None:
            unit = qs.filter(pk=parse_id(text)).first()
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


_HTML_NAME = r"^[A-Za-z_][\w-]{0,99}$"
_HTML_WORDS = r"^[\w -]{0,200}$"


class UnitFieldQuery(forms.Form):
    """The query of `organisation:unit_field`: which field (as `UnitPickerInput.picker_url`
    wrote it) and, when one was picked, the code to put in it."""

    kind = forms.ChoiceField(choices=[(k, k) for k in ("unit", "codes")])
    action = forms.ChoiceField(choices=[(a.value, a.value) for a in Action])
    active = forms.BooleanField(required=False)
    name = forms.RegexField(_HTML_NAME)
    id = forms.RegexField(_HTML_NAME)
    required = forms.BooleanField(required=False)
    css = forms.RegexField(_HTML_WORDS, required=False)
    describedby = forms.RegexField(_HTML_WORDS, required=False)
    pick = forms.CharField(max_length=32, required=False)

    def widget(self, user: Any) -> UnitPickerInput:
        d = self.cleaned_data
        kind = UnitCodesPicker if d["kind"] == "codes" else UnitPickerInput
        attrs = {"class": (d["css"] or "form-control").replace("is-invalid", "").strip()}
        return kind(attrs, user=user, action=Action(d["action"]), active_only=d["active"])

    def render_attrs(self) -> dict[str, Any]:
        """Attributes of the field drawn again, as the form drew it (focus back in it)."""
        d = self.cleaned_data
        attrs: dict[str, Any] = {"id": d["id"], "autofocus": True}
        if d["required"]:
            attrs["required"] = True
        if d["describedby"]:
            attrs["aria-describedby"] = d["describedby"]
        return attrs

    def find_param(self) -> str:
        """The parameter that carries what was typed: the box itself, or the search box of a
        list of codes."""
        d = self.cleaned_data
        return d["name"] + FIND_SUFFIX if d["kind"] == "codes" else d["name"]


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
