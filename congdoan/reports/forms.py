"""Forms of the reports pages: they only translate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.permissions import Action
from congdoan.indicators import selectors as ind
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField
from congdoan.reports.models import Rounding

LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]


class _PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class ReportForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit"))
    period = forms.Field(label=_("Reporting period"))
    second_period = forms.Field(label=_("Second period"), required=False)
    cluster_code = forms.CharField(
        label=_("Cluster (code)"),
        required=False,
        help_text=_("Only for a cluster's report, made by the cluster's head unit."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave blank for the usual title composed from the periods."),
    )
    tasks = forms.CharField(
        label=_("Tasks for the next period (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    language = forms.ChoiceField(label=_("Language of the document"), choices=LANGUAGES)

    def __init__(
        self, *args: Any, user: Any, editing: bool = False, meetings: Any = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting_id"] = forms.TypedChoiceField(
                label=_("Presented at the meeting"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *((m.pk, f"{m.held_on:%d/%m/%Y} – {m}") for m in meetings)],
                help_text=_("The news item about the conference is written from it."),
            )
        periods = ind.periods_all().order_by("-end", "kind")
        self.fields["unit"] = UnitChoiceField(
            user=user, action=Action.REPORTS_WRITE, label=_("Unit")
        )
        self.fields["period"] = _PeriodChoice(queryset=periods, label=_("Reporting period"))
        self.fields["second_period"] = _PeriodChoice(
            queryset=periods,
            label=_("Second period (optional)"),
            required=False,
            help_text=_("Reported at the same time, e.g. the school year beside nine months."),
        )
        if editing:
            for name in ("unit", "period", "cluster_code"):
                del self.fields[name]
        self._style()


class TemplateForm(BootstrapMixin, forms.Form):
    place = forms.CharField(
        label=_("Place in the date line"),
        max_length=100,
        required=False,
        help_text=_('As in "Lai Châu, ngày 05 tháng 02 năm 2024".'),
    )
    number_symbol = forms.CharField(label=_("Document symbol"), max_length=40)
    on_behalf = forms.CharField(label=_("On behalf of"), max_length=100)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=100)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=100, required=False)
    recipients = forms.CharField(
        label=_("Recipients (one per line)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    rounding = forms.ChoiceField(label=_("Rounding of percentages"), choices=Rounding.choices)
    percent_decimals = forms.IntegerField(
        label=_("Decimals of percentages"), min_value=0, max_value=2
    )
    fractions = forms.BooleanField(
        label=_('Write results as a/b beside the percentage ("16/2 houses")'), required=False
    )
    left_out = forms.MultipleChoiceField(
        label=_("Sections left out"), required=False, widget=forms.CheckboxSelectMultiple
    )
    word = forms.FileField(
        label=_("Word template (.docx)"),
        required=False,
        help_text=_(
            "Download the official template below, change the wording around its tags, the "
            "fonts or the logo in Word, and upload it here. Leave empty to keep the current one."
        ),
    )
    official_layout = forms.BooleanField(
        label=_("Go back to the official layout (drop the uploaded Word template)"),
        required=False,
    )

    def clean_word(self) -> bytes | None:
        from congdoan.reports.render.word_template import MAX_BYTES

        upload = self.cleaned_data.get("word")
        if upload is None:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": MAX_BYTES // 2**20}
            )
        return bytes(upload.read())

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["left_out"].choices = sections  # type: ignore[attr-defined]
        self._style()
        self.fields["left_out"].widget.attrs.pop("class", None)


class IssueForm(BootstrapMixin, forms.Form):
    issued_on = forms.DateField(label=_("Date of issue"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()
