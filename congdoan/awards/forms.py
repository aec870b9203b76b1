"""Forms of the awards pages. They only translate input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.awards import selectors
from congdoan.awards.models import AwardForm, IssuerLevel, OutsideKind, RecipientKind
from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField
from congdoan.organisation.models import Unit

MANAGE = Action.ACTIVITIES_MANAGE
CATEGORIES = [
    ("", "—"),
    ("worker", _("Worker")),
    ("engineer", _("Engineer, manager or scientist")),
]


def form_label(form: AwardForm) -> str:
    return f"{form.name} ({form.get_issuer_level_display()})"


class RecipientMixin(BootstrapMixin, forms.Form):
    """One recipient: a unit by code, a member by card number, or a body or person outside the
    union by name; plus what some forms' rules need (the author's category and the benefit)."""

    recipient_kind = forms.ChoiceField(
        label=_("Recipient"), choices=RecipientKind.choices, initial=RecipientKind.UNIT
    )
    card_number = forms.CharField(label=_("Member's card number"), max_length=20, required=False)
    outside_name = forms.CharField(
        label=_("Name of the body or person outside the union"), max_length=300, required=False
    )
    year = forms.IntegerField(label=_("Emulation year"), min_value=1900, max_value=2100)
    theme = forms.CharField(
        label=_("Theme"),
        max_length=300,
        required=False,
        help_text=_("For a thematic award: the field it rewards."),
    )
    achievement = forms.CharField(
        label=pgettext_lazy("award", "Achievement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(
        label=_("Author's category"),
        choices=CATEGORIES,
        required=False,
        help_text=_("For the creative labour certificate."),
    )
    benefit = forms.DecimalField(
        label=_("Proven benefit (đồng)"), min_value=0, decimal_places=0, required=False
    )

    def add_recipient_fields(self, user: Any) -> None:
        self.user = user
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=Action.ORGANISATION_VIEW,
            required=False,
            label=_("Unit"),
            help_text=_("For a unit of the union: its code."),
        )
        self.order_fields(["form", "recipient_kind", "unit", "card_number", "outside_name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("recipient_kind")
        data["member"] = None
        if kind == RecipientKind.UNIT and data.get("unit") is None:
            self.add_error("unit", _("Enter the code of the unit."))
        if kind == RecipientKind.MEMBER:
            card = (data.get("card_number") or "").strip()
            if not card:
                self.add_error("card_number", _("Enter the member's card number."))
            else:
                data["member"] = selectors.member_by_card(self.user, card)
                if data["member"] is None:
                    self.add_error(
                        "card_number",
                        _("No member with this card number was found within your scope."),
                    )
        outside = kind in (RecipientKind.OUTSIDE_BODY, RecipientKind.OUTSIDE_PERSON)
        if outside and not (data.get("outside_name") or "").strip():
            self.add_error("outside_name", _("Enter the name of the recipient."))
        return data

    def recipient(self) -> dict[str, Any]:
        """The services' recipient arguments."""
        data = self.cleaned_data
        kind = data["recipient_kind"]
        out: dict[str, Any] = {"unit": None, "member": None, "outside_name": "", "outside_kind": ""}
        if kind == RecipientKind.UNIT:
            out["unit"] = data["unit"]
        elif kind == RecipientKind.MEMBER:
            out["member"] = data["member"]
        else:
            out["outside_name"] = data["outside_name"]
            out["outside_kind"] = (
                OutsideKind.BODY if kind == RecipientKind.OUTSIDE_BODY else OutsideKind.PERSON
            )
        return out

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        if data.get("category"):
            out["category"] = data["category"]
        if isinstance(data.get("benefit"), Decimal):
            out["benefit"] = int(data["benefit"])
        return out

    def texts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "theme": data.get("theme") or "",
            "achievement": data.get("achievement") or "",
            "details": self.details(),
        }


class FormChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return form_label(obj)


class AwardAddForm(RecipientMixin):
    """A recipient added to a decision, with a form of the decision's regulation."""

    def __init__(self, *args: Any, user: Any, decision: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["form"] = FormChoiceField(
            label=_("Award form"),
            queryset=decision.regulation.forms.order_by("order", "name"),
        )
        self.fields["year"].initial = decision.signed_on.year
        self.add_recipient_fields(user)
        self._style()


class NominationForm(RecipientMixin):
    """A unit's nomination: the proposing unit, the issuer (itself or a level above), the form
    of the regulation in force, the recipient and the dossier."""

    dossier = forms.FileField(
        label=_("Dossier"),
        required=False,
        help_text=_("A scan (.pdf) or a document (.docx, .xlsx), at most 10 MB."),
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["form"] = FormChoiceField(
            label=_("Award form"),
            queryset=AwardForm.objects.filter(
                pk__in=[f.pk for f in selectors.forms_in_force(today)]
            )
            .exclude(issuer_level=IssuerLevel.OUTSIDE)
            .order_by("order", "name"),
        )
        self.fields["issuer_unit"] = forms.TypedChoiceField(
            label=_("Proposed to"),
            coerce=int,
            choices=[(u.pk, u.name) for u in selectors.issuers_for(user)],
            help_text=_("The unit that issues the award: the proposing unit or a level above it."),
        )
        self.fields["year"].initial = today.year
        if not editing:
            self.fields["proposing_unit"] = UnitChoiceField(
                user=user, action=MANAGE, label=_("Proposing unit")
            )
            self.add_recipient_fields(user)
            self.order_fields(["proposing_unit", "issuer_unit", "form", "recipient_kind", "unit"])
        else:
            for name in ("recipient_kind", "card_number", "outside_name"):
                del self.fields[name]
            self.order_fields(["issuer_unit", "form"])
        self.editing = editing
        self._style()

    def clean(self) -> dict[str, Any]:
        if self.editing:
            return forms.Form.clean(self) or {}
        return super().clean()


class DecisionForm(BootstrapMixin, forms.Form):
    """A decision of a unit the user manages, or one from outside the union recorded by such a
    unit."""

    issuer_unit = forms.Field(label=_("Issuing unit"), required=False)
    issuer_name = forms.CharField(
        label=_("Or an issuer outside the union"),
        max_length=300,
        required=False,
        help_text=_("People's Committee, Government…; the recording unit is then required."),
    )
    recorded_by_unit = forms.Field(label=_("Recording unit"), required=False)
    number = forms.CharField(label=_("Document number"), max_length=60)
    signed_on = VnDateField(label=_("Signed on"))
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["issuer_unit"], self.fields["recorded_by_unit"]
        else:
            issuer = UnitChoiceField(
                user=user,
                action=MANAGE,
                required=False,
                label=_("Issuing unit"),
                help_text=_(
                    "A unit you manage; or a level above, for an award it gave your unit "
                    "(then the recording unit is yours)."
                ),
            )
            above = [u.pk for u in selectors.issuers_for(user)]
            issuer.queryset = (issuer.queryset | Unit.objects.filter(pk__in=above)).distinct()
            self.fields["issuer_unit"] = issuer
            self.fields["recorded_by_unit"] = UnitChoiceField(
                user=user,
                action=MANAGE,
                required=False,
                label=_("Recording unit"),
                help_text=_("For a decision from outside the union: the unit that received it."),
            )
        self._style()


class DecideForm(BootstrapMixin, forms.Form):
    """The decision made from the council's approved nominations."""

    number = forms.CharField(label=_("Document number"), max_length=60)
    signed_on = VnDateField(label=_("Signed on"))
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)
    nominations = forms.TypedMultipleChoiceField(
        label=_("Approved nominations"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, approved: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.approved = {n.pk: n for n in approved}
        field = self.fields["nominations"]
        field.choices = [(n.pk, f"{n.form.name} – {n.recipient_label}") for n in approved]  # type: ignore[attr-defined]
        field.initial = list(self.approved)
        self.fields["signed_on"].initial = timezone.localdate()
        self._style()

    def chosen(self) -> list[Any]:
        return [self.approved[pk] for pk in self.cleaned_data["nominations"]]


class ReviewForm(BootstrapMixin, forms.Form):
    """The council's conclusion on one nomination."""

    approve = forms.TypedChoiceField(
        label=_("Conclusion"),
        coerce=lambda v: v == "1",
        choices=[("1", pgettext_lazy("council", "Approve")), ("0", _("Do not approve"))],
    )
    council_on = VnDateField(label=_("Council met on"))
    note = forms.CharField(
        label=_("Council's conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["council_on"].initial = timezone.localdate()
        self._style()


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1900, max_value=2100, required=False)


class FromProposalForm(BootstrapMixin, forms.Form):
    """The nominations made from a cluster's proposal of leading units."""

    units = forms.TypedMultipleChoiceField(
        label=_("Units"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any, proposal: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["issuer_unit"] = forms.TypedChoiceField(
            label=_("Proposed to"),
            coerce=int,
            choices=[(u.pk, u.name) for u in selectors.issuers_for(user)],
        )
        self.fields["form"] = FormChoiceField(
            label=_("Award form"),
            queryset=AwardForm.objects.filter(
                pk__in=[
                    f.pk
                    for f in selectors.forms_in_force(today)
                    if f.allows("unit") and f.issuer_level != IssuerLevel.OUTSIDE
                ]
            ).order_by("order", "name"),
        )
        self.entries = {e.unit_id: e for e in proposal.entries.all()}
        field = self.fields["units"]
        field.choices = [  # type: ignore[attr-defined]
            (e.unit_id, f"{e.rank or '—'}. {e.unit.name} – {e.award}")
            for e in self.entries.values()
        ]
        field.initial = list(self.entries)
        self.order_fields(["issuer_unit", "form", "units"])
        self._style()

    def chosen(self) -> list[Any]:
        return [self.entries[pk].unit for pk in self.cleaned_data["units"]]
