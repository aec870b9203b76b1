"""Member pages, one module per area, each with its own `urlpatterns`. Every page goes through
the one door (`core.views.ScopedMixin`; `common.OneMemberMixin` for pages about one member).

- `members`: the member list, the member page, personal data (reveal with a purpose,
  data-subject export).
- `admission`: admission, with the transfer request or re-admission of a record already on file.
- `lifecycle`: forms about one member (correction, transfer, suspension, exit, discipline,
  Party, re-admission).
- `transfers`: transfers seen from both sides, and their decisions.
- `duplicates`: possible duplicates and their review.
- `access_log`: the personal-data access log, for auditors.
- `imports`: import from xlsx/csv (template, check, preview, commit, progress).
- `exports`: the member list as xlsx, csv and printable PDF.
- `stats`: member counts as of a date and over a period, per unit, subtree and cluster.
- `common`: what they share.
"""
