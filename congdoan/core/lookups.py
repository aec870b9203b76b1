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


def any_of(column: str, values: list[Any], connection: Any) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of `column` being one of `values` (also for raw SQL)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", (values,)
    if not values:
        return "1 = 0", ()
    return f"{column} IN ({', '.join(['%s'] * len(values))})", tuple(values)


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return [v.pk if hasattr(v, "pk") else v for v in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql, params = any_of(lhs, list(self.rhs), connection)
        return sql, (*lhs_params, *params)
