"""Member import from xlsx and csv.

    from congdoan.members.imports import run_import
    result = run_import("members.xlsx", unit=unit, actor=user)          # check and write
    result = run_import("members.xlsx", unit=unit, actor=user, commit=False)  # check only
    result.ok, result.created, result.updated, result.unchanged, result.errors, result.timings

Modules: `columns` (the file format: headers, variants, value words), `reading` (safe reading of
xlsx/csv), `rows` (cells → member values, per-row problems), `matching` (duplicates in the file
and against the federation; create / update / unchanged), `pipeline` (the stages, all-or-nothing
commit), `bulk` (COPY writes behind `services.members_import_write`), `keys` (derived keys for
bulk writes), `jobs` (uploads stored as `ImportJob`, checked and committed in the request or in
a background task), `template` (the downloadable .xlsx template).
"""

from congdoan.members.imports.pipeline import ImportResult, check_file, commit_file, run_import
from congdoan.members.imports.reading import ImportFileError

__all__ = ["ImportFileError", "ImportResult", "check_file", "commit_file", "run_import"]
