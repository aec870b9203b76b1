"""Forms of the emulation pages. They only translate input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import YearField
from congdoan.core.formats import number
from congdoan.core.forms import VnDateField
from congdoan.emulation.models import AutoSource, MovementKind
from congdoan.emulation.selectors import CriterionLine, GroupLines, RankRow
from congdoan.meetings.forms import PledgeForm as MeetingPledgeForm
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField


class MovementForm(BootstrapMixin, forms.Form):
    organiser = forms.Field(label=_("Organising unit"))
    name = forms.CharField(label=_("Name"), max_length=300)
    theme = forms.CharField(
        label=_("Theme"),
        max_length=500,
        required=False,
        help_text=_("The slogan of the movement, e.g. “Đổi mới, sáng tạo, hiệu quả”."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MovementKind.choices)
    start_year = YearField(label=_("From year"))
    end_year = YearField(
        label=_("To year"), required=False, help_text=_("Empty: the same year (one year).")
    )
    starts_on = VnDateField(label=_("Starts on"), required=False)
    ends_on = VnDateField(label=_("Ends on"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, action: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organiser"]
        else:
            self.fields["organiser"] = UnitChoiceField(
                user=user, action=action, label=_("Organising unit")
            )
        self._style()


class PhaseForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("E.g. “Giai đoạn 1 (2021–2023)”.")
    )
    starts_on = VnDateField(label=_("Starts on"))
    ends_on = VnDateField(label=_("Ends on"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class RegistrationForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    registered_on = VnDateField(label=_("Registered on"))
    card_number = forms.CharField(
        label=_("Member's card number"),
        max_length=32,
        required=False,
        help_text=_("For an individual registration: a member of the unit; empty for the unit."),
    )
    commitments = forms.CharField(
        label=_("Targets and commitments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the unit commits to achieve in the year."),
    )

    def __init__(self, *args: Any, user: Any, action: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=action,
            label=_("Unit"),
            help_text=_("A unit within the organiser's subtree."),
        )
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in years]
        self.user = user
        self._style()

    def clean_card_number(self) -> Any:
        """The member with this card number whom the user may see, or None."""
        from congdoan.emulation.selectors import member_by_card

        card = (self.cleaned_data.get("card_number") or "").strip()
        if not card:
            return None
        member = member_by_card(self.user, card)
        if member is None:
            raise forms.ValidationError(
                _("No member with this card number was found within your scope.")
            )
        return member


class WithdrawForm(BootstrapMixin, forms.Form):
    withdrawn_on = VnDateField(label=_("Withdrawn on"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class PledgeForm(MeetingPledgeForm):
    """The meetings app's pledge form, with the cluster conference it was signed at."""

    meeting: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Signed at"),
        queryset=None,
        required=False,
        empty_label=_("Not at a meeting"),
        help_text=_("A conference of the cluster, recorded in the meetings."),
    )

    def __init__(self, *args: Any, units: list[Any], meetings: Any, **kwargs: Any):
        super().__init__(*args, units=units, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = meetings
        field.widget.attrs.setdefault("class", "form-select")


class ClusterYearForm(BootstrapMixin, forms.Form):
    """Which cluster and year a page is about (a GET form)."""

    cluster: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Emulation cluster"), queryset=None
    )
    year = YearField(label=_("Year"))

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["cluster"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = clusters
        self._style()


CRITERIA_HELP = _(
    "One line per criterion: name | maximum points | evidence expected | automatic source "
    "(targets_met or admissions, optional). A line starting with # opens a group of criteria."
)


class SchemeForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    from_year = YearField(label=_("In force from year"))
    organiser = forms.Field(label=_("Organising unit"), required=False)
    cluster: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Emulation cluster"),
        queryset=None,
        required=False,
        empty_label=_("Every cluster of the organiser"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=CRITERIA_HELP,
        max_length=20000,
    )

    def __init__(self, *args: Any, user: Any, action: Any, clusters: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organiser"] = UnitChoiceField(
            user=user,
            action=action,
            label=_("Organising unit"),
            required=False,
            help_text=_("Empty for a national scheme."),
        )
        field = self.fields["cluster"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = clusters
        self._style()

    def clean_criteria(self) -> list[tuple[str, list[dict[str, Any]]]]:
        return parse_criteria(self.cleaned_data["criteria"])


def parse_criteria(text: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The groups and criteria of the scheme form's text (see CRITERIA_HELP)."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for number_, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            groups.append((line.lstrip("#").strip(), []))
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0]:
            raise forms.ValidationError(
                _("Line %(n)s: write the name and the maximum points, separated by |.")
                % {"n": number_}
            )
        try:
            max_points = Decimal(parts[1].replace(",", "."))
        except ArithmeticError as exc:
            raise forms.ValidationError(
                _("Line %(n)s: the maximum points must be a number.") % {"n": number_}
            ) from exc
        source = parts[3] if len(parts) > 3 else ""
        if source and source not in AutoSource.values:
            raise forms.ValidationError(
                _("Line %(n)s: the automatic source is targets_met or admissions.") % {"n": number_}
            )
        if not groups:
            groups.append((str(_("Criteria")), []))
        groups[-1][1].append(
            {
                "name": parts[0],
                "max_points": max_points,
                "evidence": parts[2] if len(parts) > 2 else "",
                "auto_source": source,
            }
        )
    if not any(criteria for _name, criteria in groups):
        raise forms.ValidationError(_("A scheme needs at least one criterion."))
    return groups


class ScoreForm(BootstrapMixin, forms.Form):
    """One field of points per criterion (`c<id>`) and one of note (`n<id>`), grouped."""

    def __init__(self, *args: Any, groups: list[GroupLines], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            for line in group.lines:
                c = line.criterion
                help_text = _("At most %(max)s points.") % {"max": number(c.max_points, 2)}
                if line.proposal is not None:
                    help_text = _("%(help)s From the figures: %(source)s → %(points)s.") % {
                        "help": help_text,
                        "source": line.proposal.source,
                        "points": number(line.proposal.points, 2),
                    }
                self.fields[f"c{c.pk}"] = forms.CharField(
                    label=c.name, max_length=12, help_text=help_text
                )
                self.fields[f"n{c.pk}"] = forms.CharField(
                    label=_("Note"), max_length=500, required=False
                )
        self._style()

    def rows(self) -> list[tuple[GroupLines, list[tuple[CriterionLine, Any, Any]]]]:
        return [
            (
                g,
                [
                    (line, self[f"c{line.criterion.pk}"], self[f"n{line.criterion.pk}"])
                    for line in g.lines
                ],
            )
            for g in self.groups
        ]

    def points(self) -> dict[int, str]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("c")
        }

    def notes(self) -> dict[int, str]:
        return {
            int(name[1:]): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith("n")
        }


class ProposalForm(BootstrapMixin, forms.Form):
    """The cluster's units in rank order: which are proposed (`u<id>`) and for what
    (`a<id>`)."""

    proposed_on = VnDateField(label=_("Proposed on"))

    def __init__(self, *args: Any, ranking: list[RankRow], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ranking = ranking
        for row in ranking:
            self.fields[f"u{row.unit.pk}"] = forms.BooleanField(label=row.unit.name, required=False)
            self.fields[f"a{row.unit.pk}"] = forms.CharField(
                label=_("Award proposed"), max_length=300, required=False
            )
        self._style()

    def rows(self) -> list[tuple[RankRow, Any, Any]]:
        return [(r, self[f"u{r.unit.pk}"], self[f"a{r.unit.pk}"]) for r in self.ranking]

    def entries(self) -> list[tuple[Any, str]]:
        return [
            (r.unit, self.cleaned_data.get(f"a{r.unit.pk}") or "")
            for r in self.ranking
            if self.cleaned_data.get(f"u{r.unit.pk}")
        ]
