"""Filters of the organisation lists (the same ones the API may reuse)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.text import fold
from congdoan.organisation.models import Cluster, ClusterKind


class ClusterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ClusterKind.choices)

    class Meta:
        model = Cluster
        fields = ["q", "kind"]

    def filter_q(self, queryset: QuerySet[Cluster], name: str, value: str) -> QuerySet[Cluster]:
        """Code, name or organiser, ignoring diacritics and case ("cum thi dua" finds "Cụm thi
        đua"). Clusters are few (hundreds at most), so the match runs in Python."""
        words = fold(value).split()
        if not words:
            return queryset
        rows: Any = queryset.order_by().values_list(
            "pk", "code", "name", "organiser__name", "organiser__short_name"
        )
        ids = [
            row[0]
            for row in rows
            if all(w in fold(" ".join(str(v) for v in row[1:])) for w in words)
        ]
        return queryset.filter(pk__in=ids)
