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


class UnitChoiceField(forms.ModelChoiceField):
    """A unit within the user's scope for `action`, entered by id or by code.

    Build it with `UnitChoiceField(user=request.user, action="organisation.reorganise")`; units
    outside the scope are "not found", exactly like units that do not exist.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": _("No unit with this code was found within your scope."),
    }

    def __init__(self, *, user: Any, action: str, active_only: bool = True, **kwargs: Any):
        from congdoan.organisation.models import Unit

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
