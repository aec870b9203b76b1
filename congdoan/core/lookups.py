"""`field__any=[...]`: membership in a list of any length, as one parameter.

On PostgreSQL `"unit_id" = ANY(%s)` sends the list as one array: no limit on its length (an
IN list is limited to 65,535 parameters) and no cost of parsing one parameter per value, which
dominates reads over a whole country's units (130,000 ids). Elsewhere it is the usual
`IN (%s, …)` (callers keep SQLite's limit by chunking). Registered on every field in
`CoreConfig.ready`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return [v.pk if hasattr(v, "pk") else v for v in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        if not values:
            return "1 = 0", tuple(lhs_params)
        marks = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({marks})", (*lhs_params, *values)
