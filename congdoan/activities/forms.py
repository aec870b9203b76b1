from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers


class KeepingForm(forms.Form):
    register = forms.ChoiceField(label=_("Register"), choices=())
    step = forms.ChoiceField(
        label=_("What to do"),
        choices=[("start", _("Keep it from the year")), ("stop", _("Stop after the year"))],
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2200)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["register"].choices = registers.choices()  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
