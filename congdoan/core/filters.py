"""Filters every app's lists share (django-filter).

Ids and years in query strings are bounded: a number no database column can hold answers 400
with a message, never 500 ("Python int too large to convert to SQLite INTEGER", PostgreSQL's
"out of range for type bigint"). A guard test (core/tests/test_filters.py) refuses a plain
`NumberFilter` anywhere in the project.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """A record id: a whole number from 1 to the largest a database id can be."""

    default_error_messages = {
        "invalid": _("Enter an id: a whole number from 1."),
        "min_value": _("Enter an id: a whole number from 1."),
        "max_value": _("No record has so large an id."),
    }

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)  # type: ignore[arg-type]


class YearField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Enter a year, such as 2025."),
        "min_value": _("Enter a year from 1900 to 2200."),
        "max_value": _("Enter a year from 1900 to 2200."),
    }

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(**kwargs)  # type: ignore[arg-type]


class WholeNumberField(forms.IntegerField):
    """A small whole number that is neither an id nor a year (a province code)."""

    default_error_messages = {
        "invalid": _("Enter a whole number."),
        "min_value": _("Enter a number no less than %(limit_value)s."),
        "max_value": _("Enter a number no greater than %(limit_value)s."),
    }

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)  # type: ignore[arg-type]


class IdFilter(django_filters.NumberFilter):
    """An id in a query string (`?parent=12`)."""

    field_class = IdField


class YearFilter(django_filters.NumberFilter):
    """A year in a query string (`?year=2025`)."""

    field_class = YearField


class SmallNumberFilter(django_filters.NumberFilter):
    """A small whole number that is neither an id nor a year (`?province_code=12`)."""

    field_class = WholeNumberField


def parse_id(value: object) -> int | None:
    """A record id from a query string, or None when it is not one (absent, not a whole number
    from 1, too large for any id): for pages that read an id without a form."""
    text = str(value or "").strip()
    if not text.isdecimal():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
