"""Import jobs of the member files."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from congdoan.core.permissions import Action
from congdoan.members.models import ImportJob


def import_job_records() -> QuerySet[ImportJob]:
    """Import jobs with their unit and author; the door keeps those of the user's scope."""
    return ImportJob.objects.select_related("unit", "created_by")


def import_jobs(user: Any) -> QuerySet[ImportJob]:
    """The import jobs of the units whose members a user may see, newest first."""
    return (
        ImportJob.objects.visible_to(user, Action.MEMBERS_VIEW)
        .select_related("unit", "created_by")
        .order_by("-created_at", "-pk")
    )
