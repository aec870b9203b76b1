"""Derived definitions of registers on the floors below indicators, which cannot import this
engine (`organisation`). Loaded by `derived.definitions()` with every app's
`indicator_definitions.py`; apps above indicators keep theirs in their own app."""

from congdoan.indicators.definitions import organisation  # noqa: F401 - registers on import
