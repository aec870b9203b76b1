"""Member pages, one module per area, each with its own `urlpatterns`:

- `registry`: the member list, the member page, lifecycle forms, transfers, duplicates,
  personal data (reveal with a purpose, data-subject export).
- `imports`: import from xlsx/csv (template, check, preview, commit, progress) and exports.
- `stats`: member counts as of a date and over a period, per unit, subtree and cluster.
"""
