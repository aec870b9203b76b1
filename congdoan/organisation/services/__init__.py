"""Writes to the organisation app, one module per area:

- `tree`: units and reorganisations (create, update, move, merge, split, dissolve), dry runs.
- `clusters`: emulation clusters and blocks and their yearly membership.
- `terms`: terms, committees and seats.
"""

from congdoan.organisation.services.clusters import (
    cluster_copy_year,
    cluster_create,
    cluster_member_add,
    cluster_member_remove,
    cluster_set_head,
    cluster_update,
)
from congdoan.organisation.services.terms import seat_add, seat_end, term_create
from congdoan.organisation.services.tree import (
    ChangeSet,
    dry_run,
    record_versions,
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
    "cluster_copy_year",
    "cluster_create",
    "cluster_member_add",
    "cluster_member_remove",
    "cluster_set_head",
    "cluster_update",
    "dry_run",
    "record_versions",
    "seat_add",
    "seat_end",
    "term_create",
    "unit_create",
    "unit_create_root",
    "unit_dissolve",
    "unit_move",
    "unit_split",
    "unit_update",
    "unit_work_handed_over",
    "units_merge",
]
