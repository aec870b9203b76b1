"""Form pieces shared by every app: Vietnamese dates and a unit chooser limited to one's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import parse_date, short_date


class VnDateInput(forms.TextInput):
    """A text box for dd/mm/yyyy dates (the format union officers type)."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return short_date(value)
        return super().format_value(value)


class VnDateField(forms.DateField):
    widget = VnDateInput
    default_error_messages = {
        "invalid": _("Enter a date as dd/mm/yyyy, for example 01/07/2025."),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
