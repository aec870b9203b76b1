"""Indicator API: figures of units and clusters, and rankings (see `views.py` for the rest)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import BAD_REQUEST, NOT_FOUND, ScopedAPIView, parse_query
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.indicators import selectors
from congdoan.indicators.api import serializers as s
from congdoan.indicators.api.common import TAGS, ref, unit_param, unit_ref
from congdoan.indicators.models import Better, Indicator, Period
from congdoan.organisation.models import Cluster, Unit

# ---------------------------------------------------------------------------------------------
# Figures


def _indicators(period: Period, codes: str | None) -> list[Indicator] | None:
    """The indicators asked for ("a,b,c"), valid in the period; None (all) when absent.
    An unknown code answers 400."""
    if not codes:
        return None
    wanted = [c.strip() for c in codes.split(",") if c.strip()]
    found = selectors.indicators_in(period, wanted)
    known = {i.code for i in found}
    missing = [c for c in wanted if c not in known]
    catalogue = selectors.indicator_codes_known(missing) if missing else set()
    for code in missing:
        if code not in catalogue:
            message = s.serializers.SlugRelatedField.default_error_messages["does_not_exist"]
            raise RuleViolation(
                str(message).format(slug_name="code", value=code), field="indicators"
            )
    return found


def _figures_rows(figs: selectors.Figures) -> list[selectors.Figure]:
    return list(figs.values())


def _unit_figures(ref: dict[str, Any], figs: selectors.Figures) -> dict[str, Any]:
    return {
        "unit": ref,
        "figures": _figures_rows(figs),
        "achievement": selectors.achievement(figs),
    }


def _figures_of_some(
    unit_ids: list[int], period: Period, inds: list[Indicator] | None
) -> tuple[selectors.Figures, dict[int, selectors.Figures]]:
    """The total and figures of some of a cluster's members (those the caller may see): figures
    of every indicator (formula inputs included), combined, then narrowed to those asked for."""
    every = selectors.indicators_in(period)
    by_unit = selectors.figures(unit_ids, period)
    total = selectors.combine(by_unit.values(), every)
    if inds is not None:
        keep = {i.code for i in inds}
        for figs in [total, *by_unit.values()]:
            for code in [c for c in figs if c not in keep]:
                del figs[code]
    return total, by_unit


class FiguresView(ScopedAPIView):
    """Figures of a unit's subtree for a period (and of each unit below it)."""

    scope_action = Action.INDICATORS_VIEW

    @extend_schema(
        summary="Figures of a unit for a period",
        description="Every indicator (or those in `indicators`) over the unit's subtree as it "
        "stood at the period's end: the value, the approved value, whether all of it is "
        "approved, the target and its achievement. With `children=1` also each child unit "
        "(within the caller's scope).",
        parameters=[s.FiguresQuerySerializer],
        responses={200: s.FiguresResultSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        options = parse_query(s.FiguresQuerySerializer, request)
        period = options["period"]
        unit = unit_param(self, options["unit"])
        inds = _indicators(period, options.get("indicators"))
        kids = (
            selectors.children_on(unit.pk, period.end, request.user) if options["children"] else []
        )
        figs = selectors.figures([unit.pk, *(k for k, _n, _c in kids)], period, inds)
        body = {
            **_unit_figures(unit_ref(unit), figs[unit.pk]),
            "period": period,
            "children": [_unit_figures(ref(k, code, name), figs[k]) for k, name, code in kids]
            if options["children"]
            else None,
        }
        return Response(s.FiguresResultSerializer(body).data)


class ClusterFiguresView(ScopedAPIView):
    """Figures of an emulation cluster's member units and their total."""

    scope_action = Action.INDICATORS_VIEW

    @extend_schema(
        summary="Figures of an emulation cluster",
        description="Each member unit of the cluster in the period's year (its subtree) and "
        "the total; member units outside the caller's scope are left out of both and counted "
        "in `hidden_units`.",
        parameters=[s.ClusterFiguresQuerySerializer],
        responses={200: s.ClusterFiguresSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        options = parse_query(s.ClusterFiguresQuerySerializer, request)
        period = options["period"]
        cluster = self.get_visible(Cluster, pk=options["cluster"])
        inds = _indicators(period, options.get("indicators"))
        year = period.end.year
        rows = selectors.cluster_members(cluster, year)
        shown = [m for m in rows if self.can(Action.INDICATORS_VIEW, m.unit)]
        if len(shown) == len(rows):
            result = selectors.cluster_figures(cluster, period, inds)
            total, by_unit = result.total, result.by_unit
        else:
            total, by_unit = _figures_of_some([m.unit_id for m in shown], period, inds)
        members = [
            {**_unit_figures(unit_ref(m.unit), by_unit[m.unit_id]), "is_head": m.is_head}
            for m in shown
        ]
        body = {
            "cluster": cluster,
            "period": period,
            "year": year,
            "total": _figures_rows(total),
            "achievement": selectors.achievement(total),
            "members": members,
            "hidden_units": len(rows) - len(shown),
        }
        return Response(s.ClusterFiguresSerializer(body).data)


class RankingView(ScopedAPIView):
    """Units ranked by a figure, an achievement or the number of targets reached."""

    scope_action = Action.INDICATORS_VIEW

    @extend_schema(
        summary="Rank units",
        description="Ranks the units named in `units`, the siblings of `unit` "
        "(`among=siblings`, as the tree stood at the period's end) or the members of "
        "`cluster` (in the period's year) by `by`, competition style (1, 2, 2, 4); units "
        "without a figure come last. Units outside the caller's scope are ranked but not "
        "shown (`hidden_units`).",
        parameters=[s.RankingQuerySerializer],
        responses={200: s.RankingSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        options = parse_query(s.RankingQuerySerializer, request)
        period, by = options["period"], options["by"].strip()
        units = self._units(options, period)
        code = by[4:] if by.startswith("pct:") else by
        if not code or "," in code:
            raise RuleViolation(s.serializers.ValidationError.default_detail, field="by")
        if by == "achievement":
            inds = None
            lower = False
        else:
            inds = _indicators(period, code)
            lower = bool(inds) and inds[0].better == Better.LOWER  # type: ignore[index]
        figs = selectors.figures([u.pk for u in units], period, inds)
        ranked = selectors.rank(
            {u: selectors.rank_key(f, by) for u, f in figs.items()}, lower_is_better=lower
        )
        shown = [u for u in units if self.can(Action.INDICATORS_VIEW, u)]
        rows: list[dict[str, Any]] = [
            {
                "unit": unit_ref(u),
                "value": None if by == "achievement" else ranked[u.pk].value,
                "rank": ranked[u.pk].rank,
                "rank_text": ranked[u.pk].text,
                "achievement": selectors.achievement(figs[u.pk]) if by == "achievement" else None,
            }
            for u in shown
        ]
        rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]["name"]))
        body = {
            "period": period,
            "by": by,
            "of": len(units),
            "hidden_units": len(units) - len(shown),
            "rows": rows,
        }
        return Response(s.RankingSerializer(body).data)

    def _units(self, options: dict[str, Any], period: Period) -> list[Unit]:
        if options.get("cluster") is not None:
            cluster = self.get_visible(Cluster, pk=options["cluster"])
            return selectors.cluster_member_units(cluster, period.end.year)
        if options.get("among"):
            unit = unit_param(self, options["unit"])
            siblings = [u for u, _name in selectors.siblings_on(unit.pk, period.end)]
            return selectors.units_by_ids(siblings)
        refs = [r.strip() for r in options["units"].split(",") if r.strip()]
        return list(dict.fromkeys(unit_param(self, r) for r in refs))
