"""Writes to the organisation app, one module per area:

- `tree`: units and reorganisations (create, update, move, merge, split, dissolve), dry runs.
- `clusters`: emulation clusters and blocks and their yearly membership.
- `terms`: terms, committees and seats.
"""

from congdoan.organisation.services.tree import (
    ChangeSet,
    dry_run,
    record_versions,
    require_scope,
    unit_create,
    unit_create_root,
    unit_dissolve,
    unit_move,
    unit_split,
    unit_update,
    unit_work_handed_over,
    units_merge,
)

__all__ = [
    "ChangeSet",
    "dry_run",
    "record_versions",
    "require_scope",
    "unit_create",
    "unit_create_root",
    "unit_dissolve",
    "unit_move",
    "unit_split",
    "unit_update",
    "unit_work_handed_over",
    "units_merge",
]
