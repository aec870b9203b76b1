"""Reorganisation plans: many operations with one effective date, from an XLSX or CSV file.

A plan goes through four steps, and a plan with any error changes nothing:

1. `read_file`: the file is checked (size, type, a real and sane .xlsx, no macros) and its cells
   read as text (python-calamine for .xlsx, utf-8-sig with ";" or "," for .csv). Header names
   are matched with `fold`, so "Mã đơn vị", "ma don vi" and "MÃ ĐƠN VỊ" are the same column.
2. `parse_rows`: each row is parsed on its own (operation, required cells, dates).
3. `check_plan`: codes are looked up within the user's scope (or among units created by earlier
   rows), types and catalogues resolved, dates compared, then whole-plan checks: a unit that is
   the subject of two rows, moves that form a cycle, a unit moved under its own descendant.
4. `simulate`: every row runs through the real services inside one transaction that is rolled
   back, each row in a savepoint so that later rows are still checked; a `RuleViolation`
   becomes an error of its row. The change lines of the rows make the preview.

`plan_upload` stores the result as a `ReorgPlan`; `plan_apply` runs the same rows for real in
one transaction (all or nothing), each `ReorgEvent` linked to the plan and its row.

Row numbers are those the user sees in Excel: the first row of the sheet is row 1.
"""

from congdoan.core.exceptions import RuleViolation
from congdoan.reorganisation.plans.checks import check_plan
from congdoan.reorganisation.plans.fileformat import (
    ASSIGN_COLUMNS,
    ASSIGN_SHEET,
    COLUMNS,
    GUIDE_SHEET,
    MAIN_SHEET,
    MAX_BYTES,
    MAX_ROWS,
    OPERATIONS,
    Assignment,
    PlanError,
    PlanFileError,
    PlanRow,
    header_key,
    operation_label,
    parse_assignments,
    parse_rows,
    read_file,
)
from congdoan.reorganisation.plans.runner import (
    check_file,
    default_unit,
    plan_apply,
    plan_upload,
    preview_totals,
    run_row,
    simulate,
    stored_rows,
)

__all__ = [
    "ASSIGN_COLUMNS",
    "ASSIGN_SHEET",
    "COLUMNS",
    "GUIDE_SHEET",
    "MAIN_SHEET",
    "MAX_BYTES",
    "MAX_ROWS",
    "OPERATIONS",
    "Assignment",
    "PlanError",
    "PlanFileError",
    "PlanRow",
    "RuleViolation",
    "check_file",
    "check_plan",
    "default_unit",
    "header_key",
    "operation_label",
    "parse_assignments",
    "parse_rows",
    "plan_apply",
    "plan_upload",
    "preview_totals",
    "read_file",
    "run_row",
    "simulate",
    "stored_rows",
]
