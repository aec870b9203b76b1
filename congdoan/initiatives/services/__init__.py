"""Writes of the initiatives app (one module per record): programmes, initiatives and their
authors, contests with their entries and participants. Every name is here too."""

from congdoan.initiatives.services.contests import (
    CONTEST_FIELDS,
    ENTRY_FIELDS,
    check_entry,
    check_participant,
    contest_create,
    contest_delete,
    contest_update,
    entry_add,
    entry_remove,
    entry_update,
    participant_add,
    participant_remove,
)
from congdoan.initiatives.services.initiatives import (
    INITIATIVE_FIELDS,
    AuthorIn,
    check_initiative,
    initiative_create,
    initiative_decide,
    initiative_delete,
    initiative_update,
    phase_of,
)
from congdoan.initiatives.services.programmes import (
    DEFAULT_INDICATORS,
    programme_create,
    programme_delete,
    programme_update,
)

__all__ = [
    "CONTEST_FIELDS",
    "DEFAULT_INDICATORS",
    "ENTRY_FIELDS",
    "INITIATIVE_FIELDS",
    "AuthorIn",
    "check_entry",
    "check_initiative",
    "check_participant",
    "contest_create",
    "contest_delete",
    "contest_update",
    "entry_add",
    "entry_remove",
    "entry_update",
    "initiative_create",
    "initiative_decide",
    "initiative_delete",
    "initiative_update",
    "participant_add",
    "participant_remove",
    "phase_of",
    "programme_create",
    "programme_delete",
    "programme_update",
]
