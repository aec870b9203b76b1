"""Forms of the initiatives pages. They only translate input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.indicators.models import Indicator
from congdoan.indicators.services import parse_number
from congdoan.initiatives import selectors
from congdoan.initiatives.models import ContestKind, Field, Prize, Status
from congdoan.initiatives.services import DEFAULT_INDICATORS, AuthorIn
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField

PHASES = 4  # phase rows on the programme form


class MoneyField(forms.Field):
    """An amount in đồng as officers type it: 120.000.000 or 120000000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "40"})

    def to_python(self, value: Any) -> Any:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            if len(text) > 40:
                raise ValueError(text)
            return parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter an amount in đồng, from 0.")) from exc


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "label", None) or obj.name)


# ---------------------------------------------------------------------------------------------
# Initiatives


class InitiativeForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit"))
    programme = forms.Field(label=_("Programme"))
    title = forms.CharField(label=_("Title"), max_length=500)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices, initial=Field.OTHER)
    submitted_on = VnDateField(label=_("Submitted on"))
    author_cards = forms.CharField(
        label=_("Authors who are members: their card numbers"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas; links the authors to their member records."),
    )
    other_authors = forms.CharField(
        label=_("Other authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: full name, workplace (people outside the union)."),
    )
    benefit = MoneyField(label=_("Estimated benefit (đồng)"), required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    creative_labour_on = VnDateField(
        label=_("Creative Labour certificate received on"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.authors: list[AuthorIn] = []
        self.fields["unit"] = UnitChoiceField(
            user=user, action=Action.ACTIVITIES_MANAGE, label=_("Unit")
        )
        self.fields["programme"] = NamedChoiceField(
            queryset=selectors.programmes_for_form(user), label=_("Programme")
        )
        self._style()

    def _members(self, text: str) -> list[AuthorIn]:
        out = []
        for card in [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]:
            member = selectors.member_by_card(self.user, card)
            if member is None:
                self.add_error(
                    "author_cards",
                    _("No member with card number %(card)s was found within your scope.")
                    % {"card": card},
                )
                continue
            out.append(AuthorIn(member=member))
        return out

    @staticmethod
    def _others(text: str) -> list[AuthorIn]:
        out = []
        for line in (line.strip() for line in text.splitlines()):
            if line:
                name, _sep, place = line.partition(",")
                out.append(AuthorIn(full_name=name.strip(), workplace=place.strip()))
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.authors = self._members(data.get("author_cards") or "") + self._others(
            data.get("other_authors") or ""
        )
        if not self.authors and not self.errors:
            self.add_error("author_cards", _("Name at least one author."))
        return data


def authors_initial(row: Any) -> dict[str, str]:
    """The author fields of the form for an initiative's authors."""
    authors = list(row.authors.all())
    cards = [a.member.card_number for a in authors if a.member and a.member.card_number]
    others = [
        f"{a.full_name}, {a.workplace}" if a.workplace else a.full_name
        for a in authors
        if not (a.member and a.member.card_number)
    ]
    return {"author_cards": ", ".join(cards), "other_authors": "\n".join(others)}


class DecisionForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=Status.choices)
    decided_on = VnDateField(label=_("Decided on"), required=False)
    note = forms.CharField(
        label=_("Reason of the decision"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


# ---------------------------------------------------------------------------------------------
# Programmes


class ProgrammeForm(BootstrapMixin, forms.Form):
    """A programme: on an existing programme period, or with new dates and phases."""

    unit = forms.Field(label=_("Organising unit"))
    period = forms.Field(label=_("Programme period"), required=False)
    name = forms.CharField(label=_("Name of a new programme"), max_length=200, required=False)
    start = VnDateField(label=_("From"), required=False)
    end = VnDateField(label=_("To"), required=False)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators counted"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["indicators"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Indicator.objects.filter(group__code="thi_dua").order_by("order")
        if editing:
            for name in ("unit", "period", "name", "start", "end"):
                del self.fields[name]
        else:
            self.fields["unit"] = UnitChoiceField(
                user=user, action=Action.ACTIVITIES_MANAGE, label=_("Organising unit")
            )
            self.fields["period"] = NamedChoiceField(
                queryset=selectors.programme_periods_free(),
                required=False,
                label=_("Programme period"),
                help_text=_(
                    "A programme period already created, or leave empty and enter a new one."
                ),
            )
            for n in range(1, PHASES + 1):
                self.fields[f"phase{n}_name"] = forms.CharField(
                    label=_("Phase %(n)s") % {"n": n}, max_length=200, required=False
                )
                self.fields[f"phase{n}_start"] = VnDateField(label=_("From"), required=False)
                self.fields[f"phase{n}_end"] = VnDateField(label=_("To"), required=False)
            field.initial = list(field.queryset.filter(code__in=DEFAULT_INDICATORS))
        self._style()
        field.widget.attrs["class"] = "form-check-input"

    def phases(self) -> list[tuple[str, Any, Any]]:
        data = self.cleaned_data
        out = []
        for n in range(1, PHASES + 1):
            name = (data.get(f"phase{n}_name") or "").strip()
            if name or data.get(f"phase{n}_start") or data.get(f"phase{n}_end"):
                out.append((name, data.get(f"phase{n}_start"), data.get(f"phase{n}_end")))
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "period" in self.fields and not data.get("period") and not data.get("name"):
            self.add_error("name", _("Choose a programme period or name a new programme."))
        return data


# ---------------------------------------------------------------------------------------------
# Contests


class ContestForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Organising unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ContestKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    number = forms.IntegerField(
        label=_("Edition (lần thứ)"), min_value=1, max_value=999, required=False
    )
    starts_on = VnDateField(label=_("Starts on"))
    ends_on = VnDateField(label=_("Ends on"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"] = UnitChoiceField(
                user=user, action=Action.ACTIVITIES_MANAGE, label=_("Organising unit")
            )
        self._style()


class EntryForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Entrant's unit"))
    title = forms.CharField(label=_("Title"), max_length=500)
    authors = forms.CharField(label=_("Authors"), max_length=1000, required=False)
    prize = forms.ChoiceField(
        label=_("Prize"), choices=[("", _("No prize")), *Prize.choices], required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user, action=Action.ACTIVITIES_MANAGE, active_only=False, label=_("Entrant's unit")
        )
        self._style()


class ParticipantForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit"), required=False)
    count = forms.IntegerField(
        label=_("Participants"), min_value=1, max_value=10_000_000, required=False, initial=1
    )
    card_number = forms.CharField(
        label=_("Or one member: card number"), max_length=32, required=False
    )
    full_name = forms.CharField(label=_("Or one person: full name"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.member: Any = None
        self.fields["unit"] = UnitChoiceField(
            user=user, action=Action.ACTIVITIES_MANAGE, active_only=False, required=False,
            label=_("Unit"),
        )  # fmt: skip
        self._style()

    def clean_card_number(self) -> str:
        card = (self.cleaned_data.get("card_number") or "").strip()
        if card:
            self.member = selectors.member_by_card(self.user, card)
            if self.member is None:
                raise forms.ValidationError(
                    _("No member with this card number was found within your scope.")
                )
        return card

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.member is None and not data.get("unit") and not self.errors:
            self.add_error("unit", _("Choose the unit, or give a member's card number."))
        return data
