"""Forms of the meeting pages. They only translate input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.meetings import selectors
from congdoan.meetings.models import DOCUMENT_EXTENSIONS, MeetingKind
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField

ACCEPT = ",".join(DOCUMENT_EXTENSIONS)


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} — {obj.unit.short_name or obj.unit.name}"


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class MeetingForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Holding unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = VnDateField(label=_("Held on"))
    term = forms.Field(label=_("Term"), required=False)
    number = forms.IntegerField(
        label=_("Number within the term"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("For BCH and BTV meetings: 2 for the 2nd meeting of the term."),
    )
    extended = forms.BooleanField(label=_("Extended (mở rộng)"), required=False)
    opens_term = forms.BooleanField(
        label=_("This congress opens a new term"),
        required=False,
        help_text=_("Records the unit's next term, from the congress year for five years."),
    )
    cluster = forms.Field(label=_("Emulation cluster"), required=False)
    period = forms.Field(label=_("Period reviewed"), required=False)
    title = forms.CharField(
        label=_("Own title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to have the title worded from the kind, number and term."),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    chair_name = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    chair_title = forms.CharField(label=_("Chair's title"), max_length=300, required=False)
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, unit: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if unit is None:
            self.fields["unit"] = UnitChoiceField(
                user=user, action=Action.MEETINGS_MANAGE, label=_("Holding unit")
            )
            terms = selectors.terms_visible(user)
        else:
            del self.fields["unit"], self.fields["opens_term"]
            terms = selectors.terms_visible(user).filter(unit=unit)
        self.fields["term"] = TermChoiceField(queryset=terms, required=False, label=_("Term"))
        self.fields["cluster"] = forms.ModelChoiceField(
            queryset=selectors.clusters_visible(user),
            required=False,
            label=_("Emulation cluster"),
            help_text=_("For a cluster conference or a cluster's review."),
        )
        self.fields["period"] = PeriodChoiceField(
            queryset=selectors.periods_reviewed(), required=False, label=_("Period reviewed")
        )
        self._style()


class AttendeeForm(BootstrapMixin, forms.Form):
    is_guest = forms.BooleanField(
        label=_("Guest"), required=False, help_text=_("A guest may come from any organisation.")
    )
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
        help_text=_("Links the attendee to the member's record (optional)."),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    body = forms.CharField(label=_("Organisation"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.member: Any = None
        self._style()

    def clean_card_number(self) -> str:
        card = (self.cleaned_data.get("card_number") or "").strip()
        if card:
            self.member = selectors.attendee_member_by_card(self.user, card)
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


class AgendaItemForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    presenter = forms.CharField(label=_("Presented by"), max_length=300, required=False)
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_(".docx, .pdf, .xlsx, .doc or .xls, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    remove_document = forms.BooleanField(label=_("Remove the document"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["remove_document"]
        self._style()


class PledgeForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    signed_on = VnDateField(label=_("Signed on"))
    signatories: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Signatory units"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_(".docx, .pdf, .xlsx, .doc or .xls, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["signatories"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = selectors.units_by_ids([u.pk for u in units])
        self._style()
        field.widget.attrs["class"] = "form-check-input"
