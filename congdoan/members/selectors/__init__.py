"""Reads of the member app, one module per area; import them from here.

- `lists`: the member list and the exports (the members a user may see, the page of a list
  searched by name), age bands.
- `page`: the member page and its sections (`register_member_section`), the members of the
  pages' door, a member's timeline and pending transfer.
- `transfers`: transfers seen from both sides.
- `duplicates`: possible duplicates seen from either side.
- `access_log`: the personal-data access log.
- `imports`: import jobs.
- `units`: units as the pages, counts and API pick them.

Every read that lists rows is limited to the user's scope (`visible_to`); single objects come
to these functions already checked by the caller (the doors of `core.views` and
`core.api.base`). What a user may see of a member's personal data is decided in `personal.py`.
"""

from congdoan.members.selectors.access_log import access_log, access_members
from congdoan.members.selectors.duplicates import (
    DuplicateRow,
    duplicate_flags,
    duplicate_pairs,
    duplicate_row,
    duplicates_of,
)
from congdoan.members.selectors.imports import import_job_records, import_jobs
from congdoan.members.selectors.lists import (
    COUNT_LIMIT,
    LIST_FIELDS,
    age_band_dates,
    covers_country,
    member_count,
    member_export,
    member_ids,
    member_list,
    member_page_rows,
)
from congdoan.members.selectors.page import (
    MEMBER_SECTIONS,
    MemberPage,
    MemberSection,
    RenderedSection,
    event_reason_label,
    has_duplicate_flags,
    member_events,
    member_page,
    member_records,
    member_rights,
    member_state,
    member_with_catalogues,
    pending_transfer,
    register_member_section,
)
from congdoan.members.selectors.transfers import (
    TransferLists,
    TransferRow,
    origin_visible,
    pending_transfer_count,
    requester_side,
    transfer_lists,
    transfer_records,
    transfer_with_units,
    transfers_for_api,
)
from congdoan.members.selectors.units import (
    active_unit,
    default_unit,
    province_code,
    visible_parent,
)

__all__ = [
    "COUNT_LIMIT",
    "LIST_FIELDS",
    "MEMBER_SECTIONS",
    "DuplicateRow",
    "MemberPage",
    "MemberSection",
    "RenderedSection",
    "TransferLists",
    "TransferRow",
    "access_log",
    "access_members",
    "active_unit",
    "age_band_dates",
    "covers_country",
    "default_unit",
    "duplicate_flags",
    "duplicate_pairs",
    "duplicate_row",
    "duplicates_of",
    "event_reason_label",
    "has_duplicate_flags",
    "import_job_records",
    "import_jobs",
    "member_count",
    "member_events",
    "member_export",
    "member_ids",
    "member_list",
    "member_page",
    "member_page_rows",
    "member_records",
    "member_rights",
    "member_state",
    "member_with_catalogues",
    "origin_visible",
    "pending_transfer",
    "pending_transfer_count",
    "province_code",
    "register_member_section",
    "requester_side",
    "transfer_lists",
    "transfer_records",
    "transfer_with_units",
    "transfers_for_api",
    "visible_parent",
]
