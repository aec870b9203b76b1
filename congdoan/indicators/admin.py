"""The indicator catalogue, period rules and data sets are edited in the admin; figures,
targets and sheets change only through the services (dated, audited, rolled up)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from congdoan.indicators.models import DataSet, DataSetItem, Indicator, IndicatorGroup, PeriodRule


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "order")


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "unit_of_measure",
        "value_type",
        "aggregation",
        "source",
        "group",
    )
    list_filter = ("group", "source", "value_type", "aggregation")
    search_fields = ("code", "name")


@admin.register(PeriodRule)
class PeriodRuleAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "valid_from_year", "cutoff_day", "first_month", "months", "due_days")


class DataSetItemInline(admin.TabularInline):
    model = DataSetItem
    extra = 0


@admin.register(DataSet)
class DataSetAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name")
    filter_horizontal = ("unit_types",)
    inlines = [DataSetItemInline]
