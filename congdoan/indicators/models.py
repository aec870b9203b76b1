"""Indicators, periods, targets, figures and their roll-up.

- `Indicator` (catalogue): what is counted, its unit of measure, how it adds up the tree (sum, or a
  formula recomputed from summed components — never a summed ratio) and where its values come
  from: entered by units, derived from a register (a named definition in `derived.py`), or a
  formula of other indicators.
- `PeriodRule` (configurable, effective from a year) says how periods of a kind are cut; `Period`
  is one concrete period (Quý III/2026, 6 tháng đầu năm 2026, Năm học 2022–2023, Giai đoạn 1 …).
  A period may have parts (a programme and its phases): flow indicators of the whole add up its
  parts.
- `DataSet`: the indicators a type of unit reports (defaults: migration 0004).
- `Target`: a unit's target for an indicator and period, assigned by the unit above.
- `Sheet`: one unit's figures for one period, moving draft → submitted → approved → locked;
  `SheetStep` records every step with who, when and why. `Value`: one figure of a sheet (with its
  comment); `Remark`: a comment on an indicator for which the sheet has no figure ("Chưa tổ chức,
  dự kiến quý IV"), kept apart so that what counts values (the roll-up) never sees it.
- `Total`: the roll-up of entered values over the subtree of a unit as the tree stood at the end
  of the period, kept up to date incrementally by `rollup.py` on every change of a value or of a
  sheet's status.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.scoping import ScopedQuerySet
from congdoan.core.text import nfc
from congdoan.organisation.models import Unit, UnitType


class ValueType(models.TextChoices):
    COUNT = "count", _("count")
    MONEY = "money", _("money (đồng)")
    PERCENT = "percent", _("percent")
    DECIMAL = "decimal", _("decimal number")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum over units")
    FORMULA = "formula", _("formula recomputed from summed components")
    NONE = "none", _("not added up (per unit only)")


class Source(models.TextChoices):
    ENTERED = "entered", _("entered by units")
    DERIVED = "derived", _("derived from a register")
    FORMULA = "formula", _("formula of other indicators")


class OverTime(models.TextChoices):
    SUM = "sum", _("flow: a period adds up its parts")
    LAST = "last", _("stock: a period takes its last part")


class Better(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class IndicatorGroup(models.Model):
    """A heading under which indicators are listed (membership, care, inspection, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An indicator (chỉ tiêu): what is counted and how it adds up."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    group = models.ForeignKey(
        IndicatorGroup,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("group"),
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40)
    value_type = models.CharField(
        _("value type"), max_length=10, choices=ValueType.choices, default=ValueType.COUNT
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ENTERED
    )
    formula = models.CharField(
        _("formula"),
        max_length=500,
        blank=True,
        help_text=_("Arithmetic of other indicators' codes, e.g. 100 * cd_thoa_uoc / dn_co_cd."),
    )
    derivation = models.CharField(
        _("derived definition"),
        max_length=60,
        blank=True,
        help_text=_("Name of a registered derived definition (see the list in the docs)."),
    )
    over_time = models.CharField(
        _("over time"), max_length=4, choices=OverTime.choices, default=OverTime.SUM
    )
    better = models.CharField(
        _("direction"), max_length=6, choices=Better.choices, default=Better.HIGHER
    )
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"), null=True, blank=True)
    valid_to_year = models.PositiveSmallIntegerField(_("valid until year"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__order", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(value_type="percent") & Q(aggregation="sum")),
                name="indicator_no_summed_ratio",
            ),
            models.CheckConstraint(
                condition=~Q(source="formula") | Q(aggregation="formula"),
                name="indicator_formula_aggregates_by_formula",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        super().save(*args, **kwargs)

    def valid_in(self, year: int) -> bool:
        return (self.valid_from_year is None or self.valid_from_year <= year) and (
            self.valid_to_year is None or year <= self.valid_to_year
        )

    @property
    def is_entered(self) -> bool:
        return self.source == Source.ENTERED

    @property
    def is_ratio(self) -> bool:
        return self.value_type == ValueType.PERCENT

    @property
    def unit_label(self) -> str:
        """The unit of measure in the active language (`wording.unit_of_measure`)."""
        from congdoan.indicators.wording import unit_of_measure

        return unit_of_measure(self.unit_of_measure)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    HALF = "half", _("6 months")
    NINE = "nine", _("9 months")
    YEAR = "year", _("year")
    SCHOOL_YEAR = "school", _("school year")
    TERM = "term", _("term")
    PHASE = "phase", _("programme phase")
    PROGRAMME = "programme", _("programme")
    CUSTOM = "custom", _("custom")


class PeriodRule(models.Model):
    """How periods of a kind are cut, from a year on (configurable data, never a constant).

    `cutoff_day`: periods end on this day of their last month and start the day after the cut-off
    of the month before their first month (many unions count "from 16/12 to 15/6"); empty means
    calendar months. `first_month`: the month a year of this kind starts (9 for school years).
    `due_days`: units submit at most this many days after the period ends.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"), default=2000)
    cutoff_day = models.PositiveSmallIntegerField(_("cut-off day"), null=True, blank=True)
    first_month = models.PositiveSmallIntegerField(_("first month"), default=1)
    months = models.PositiveSmallIntegerField(_("months"), default=12)
    due_days = models.PositiveSmallIntegerField(_("days to submit"), default=10)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-valid_from_year"]
        verbose_name = _("period rule")
        verbose_name_plural = _("period rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from_year"], name="period_rule_once"),
            models.CheckConstraint(
                condition=Q(cutoff_day__isnull=True) | Q(cutoff_day__gte=1, cutoff_day__lte=28),
                name="period_rule_cutoff_day",
            ),
            models.CheckConstraint(
                condition=Q(first_month__gte=1, first_month__lte=12),
                name="period_rule_first_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.valid_from_year})"


class Period(models.Model):
    """One reporting period: from `start` to `end`, both days included."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-end", "start", "kind"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number", "programme"], name="period_once"
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_ordered"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.programme = nfc(self.programme)
        super().save(*args, **kwargs)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """The name to show: a calendar period's is worded in the active language from its
        kind, year and number ("Quý III/2026" in Vietnamese, the stored name; "Quarter 3 2026"
        in English); any other period (term, programme, phase, custom) keeps its stored name."""
        return calendar_label(self.kind, self.year, self.number) or self.name


def calendar_label(kind: str, year: int, number: int) -> str:
    """ "Tháng 3/2026", "Quý III/2026", "6 tháng đầu năm 2026", "9 tháng đầu năm 2026", "Năm
    2026", "Năm học 2026 - 2027" (`periods.name_of`, stored) in Vietnamese; "Month 3 2026",
    "Quarter 3 2026", "First half 2026", "9 months 2026", "Year 2026", "School year 2026–2027" in
    English; "" for kinds named by people."""
    from congdoan.core.formats import roman, vietnamese

    words = {"year": str(year), "number": str(number)}
    if kind == PeriodKind.MONTH:
        return gettext("Month %(number)s %(year)s") % words
    if kind == PeriodKind.QUARTER:
        numeral = roman(number) if vietnamese() else str(number)
        return gettext("Quarter %(number)s %(year)s") % {**words, "number": numeral}
    if kind == PeriodKind.HALF:
        if number == 1:
            return gettext("First half %(year)s") % words
        return gettext("Second half %(year)s") % words
    if kind == PeriodKind.NINE:
        return gettext("9 months %(year)s") % words
    if kind == PeriodKind.YEAR:
        return gettext("Year %(year)s") % words
    if kind == PeriodKind.SCHOOL_YEAR:
        return gettext("School year %(year)s–%(next)s") % {**words, "next": str(year + 1)}
    return ""


class DataSet(models.Model):
    """The indicators that units of some types report (a form)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit_types = models.ManyToManyField(
        UnitType, related_name="data_sets", blank=True, verbose_name=_("unit types")
    )
    indicators = models.ManyToManyField(
        Indicator, through="DataSetItem", related_name="data_sets", verbose_name=_("indicators")
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")

    def __str__(self) -> str:
        return self.name


class DataSetItem(models.Model):
    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["data_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["data_set", "indicator"], name="data_set_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.data_set_id} · {self.indicator_id}"


class Target(models.Model):
    """The target (chỉ tiêu giao) of a unit for an indicator and a period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=2)
    assigned_by = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets_assigned",
        verbose_name=_("assigned by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "period"], name="target_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator} · {self.period}: {self.value}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    LOCKED = "locked", _("locked")


APPROVED_STATUSES = (SheetStatus.APPROVED, SheetStatus.LOCKED)


class Sheet(models.Model):
    """One unit's figures for one period, and where they stand in the workflow."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="sheets")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(
        _("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # When the unit first sent it: whether it came in late (a sheet returned or reopened and sent
    # again after the due day was not late).
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        verbose_name = _("figures sheet")
        verbose_name_plural = _("figures sheets")
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="sheet_once")]
        indexes = [models.Index(fields=["period", "status"], name="sheet_period_status")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == SheetStatus.DRAFT


class Step(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    RETURN = "return", _("returned for correction")
    APPROVE = "approve", _("approved")
    LOCK = "lock", _("locked")
    REOPEN = "reopen", _("reopened")


class SheetStep(models.Model):
    """One step of a sheet's workflow: who, when, from which status to which, and why."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    from_status = models.CharField(max_length=10, choices=SheetStatus.choices)
    to_status = models.CharField(max_length=10, choices=SheetStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "sheet__unit__path"

    class Meta:
        ordering = ["sheet", "at", "id"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.step} · {self.at}"


class Value(models.Model):
    """One figure of a sheet: a unit's own value of an indicator for a period."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "indicator"], name="value_once")
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="value_period_indicator")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator} · {self.period}: {self.value}"


class Remark(models.Model):
    """A comment on an indicator of a sheet without a figure ("Chưa tổ chức, dự kiến quý IV").

    A figure's comment stays on its `Value`; a comment written without a number is a `Remark`, so
    that every `Value` is a number that the roll-up counts (`Total.units`). At most one of the two
    exists for a unit, period and indicator: `services.values_save_many` moves the comment from
    one to the other when the figure is removed or entered.
    """

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="remarks")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("comment"), max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        verbose_name = _("comment without a figure")
        verbose_name_plural = _("comments without a figure")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "indicator"], name="remark_once"),
            models.CheckConstraint(condition=~Q(text=""), name="remark_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator} · {self.period}: {self.text}"


class Total(models.Model):
    """The roll-up of entered values over a unit's subtree as it stood at the period's end.

    Kept only for units with units below them (a unit without any has its own `Value` as total).
    `value` adds every value (any status), `approved` only those of approved or locked sheets;
    `units` and `approved_units` count the values added. A figure is fully approved when both
    counts are equal. Written only by `rollup.py`.
    """

    # Derived rows, written in bulk by `rollup.rebuild`: no foreign-key constraints to check per
    # row (Django deletes them with their unit, period or indicator) and no single-column
    # indexes (`total_once` starts with the unit, `total_ranking` with the period).
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    value = models.DecimalField(default=Decimal(0), max_digits=20, decimal_places=2)
    approved = models.DecimalField(default=Decimal(0), max_digits=20, decimal_places=2)
    units = models.IntegerField(default=0)
    approved_units = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "indicator"], name="total_once")
        ]
        indexes = [models.Index(fields=["period", "indicator", "unit"], name="total_ranking")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.indicator_id} · {self.period_id}: {self.value}"
