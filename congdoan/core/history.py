"""Helpers for the audit trail (django-simple-history): who changed what, and why."""

from typing import Any

from django.db.models import Model


def stamp(instance: Model, actor: Any, reason: str) -> Model:
    """Mark an instance so that its next save records `actor` and `reason` in its history."""
    instance._history_user = actor if getattr(actor, "pk", None) else None  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    return instance
