"""Forms of the grading pages. They only translate input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import YearField
from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.grading.selectors import Block
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField

MANAGE = Action.ACTIVITIES_MANAGE


def score_field(code: str) -> str:
    """The form field of a criterion: the services' field name ("scores.1.1")."""
    return f"scores.{code}"


class StartForm(BootstrapMixin, forms.Form):
    """Which union to grade, for which period (a GET form: it opens the sheet)."""

    unit = forms.Field(label=_("Grassroots union"))
    year = YearField(
        label=_("Year"),
        help_text=_("The year the period ends: 2025 for the school year 2024–2025."),
    )

    def __init__(
        self, *args: Any, user: Any, action: Action = MANAGE, label: Any = None, **kw: Any
    ):
        super().__init__(*args, **kw)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=action,
            active_only=action == MANAGE,
            label=label or _("Grassroots union"),
        )
        self._style()


class ScoresForm(BootstrapMixin, forms.Form):
    """One number per criterion of the scheme (grouped by the template), and notes."""

    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, blocks: list[Block], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        for block in blocks:
            for line in block.lines:
                c = line.criterion
                self.fields[score_field(c.code)] = forms.DecimalField(
                    label=f"{c.code}. {c.name}",
                    min_value=0,
                    max_value=c.max_points,
                    decimal_places=1,
                    max_digits=6,
                    localize=True,
                    help_text=_("At most %(max)s points.") % {"max": c.max_points.normalize()},
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                )
        self._style()

    def grouped(self) -> list[tuple[Block, list[Any]]]:
        """Each criteria group with the bound fields of its criteria."""
        return [
            (block, [self[score_field(line.criterion.code)] for line in block.lines])
            for block in self.blocks
        ]

    def scores(self) -> dict[str, Any]:
        return {
            line.criterion.code: self.cleaned_data.get(score_field(line.criterion.code))
            for block in self.blocks
            for line in block.lines
        }


class ConfirmForm(BootstrapMixin, forms.Form):
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=60, help_text=_("e.g. 125/QĐ-LĐLĐ")
    )
    decision_date = VnDateField(label=_("Decision date"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()


class DeleteForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Required for a confirmed grading; kept in its history."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()
