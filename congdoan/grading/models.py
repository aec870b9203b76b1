"""Grading of grassroots unions (đánh giá, xếp loại chất lượng hoạt động CĐCS, domain §5).

A `Scheme` is one version of the points table: which grassroots unions it applies to
(`applies_to`, read from the unit's sector and ownership: see `unit_kind`), its period (a calendar
year, or a school year for education unions), when it is in force, how many months a union must
have operated to be graded, its criteria groups and criteria with their maximum points, and its
categories with their thresholds. Schemes are data (the default catalogue is migration
`0002_default_schemes`); nothing in the code names a criterion or a threshold.

A `Grading` is the result of one grassroots union for one period (`year`: the year the period
ends, 2025 for the calendar year 2025 and for the school year 2024–2025), given by a unit above it
(`graded_by`): the points per criterion (`Score`), their total, and the category the thresholds
give, stored when it is saved. A draft changes; a confirmed grading carries the decision number
and date and changes no more (it may only be deleted with a reason). It is seen through the
graded union (`scope_path`), so the union, the unit that graded it and every unit above see it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.scoping import ScopedQuerySet
from congdoan.core.text import nfc


class AppliesTo(models.TextChoices):
    ALL = "all", _("All grassroots unions")
    ENTERPRISE = "enterprise", _("Grassroots unions of enterprises")
    PUBLIC = "public", _("Grassroots unions of agencies and public service units")
    EDUCATION = "education", _("Grassroots unions of education")


class PeriodKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar year")
    SCHOOL = "school", _("School year")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")


# Category ranks, best first; schemes name their categories, ranks compare them across scales.
RANK_LABELS = {
    1: _("Excellent (Hoàn thành xuất sắc / Vững mạnh)"),
    2: _("Good (Hoàn thành tốt / Khá)"),
    3: _("Completed (Hoàn thành / Trung bình)"),
    4: _("Not completed (Không hoàn thành / Yếu)"),
}
SCHOOL_FIRST_MONTH = 9  # a school year runs from 1 September to 31 August


def period_bounds(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the grading period of `kind` ending in `year`."""
    if kind == PeriodKind.SCHOOL:
        return dt.date(year - 1, SCHOOL_FIRST_MONTH, 1), dt.date(year, SCHOOL_FIRST_MONTH - 1, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def period_label(kind: str, year: int) -> str:
    """ "2025", or "2024–2025" for a school year."""
    return f"{year - 1}–{year}" if kind == PeriodKind.SCHOOL else str(year)


def unit_kind(unit: Any) -> str:
    """Which schemes apply to a unit: education by its sector, then enterprise or agency and
    public service unit by its ownership; "" when the unit says neither (only schemes for all
    grassroots unions apply)."""
    sector = getattr(unit, "sector", None)
    if sector is not None and sector.code == "giao_duc":
        return AppliesTo.EDUCATION
    ownership = getattr(unit, "ownership", None)
    if ownership is None:
        return ""
    return AppliesTo.ENTERPRISE if ownership.is_enterprise else AppliesTo.PUBLIC


class Scheme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    applies_to = models.CharField(
        _("applies to"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    period_kind = models.CharField(
        _("grading period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.CALENDAR
    )
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    min_months = models.PositiveSmallIntegerField(
        _("minimum months of operation"),
        default=12,
        help_text=_("A union that has operated fewer months at the period's end is not graded."),
    )
    basis = models.CharField(
        _("basis"), max_length=300, blank=True, help_text=_("The guidance the scheme follows.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-in_force_from", "code"]
        verbose_name = _("grading scheme")
        verbose_name_plural = _("grading schemes")
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=models.F("in_force_from")),
                name="grading_scheme_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grading:scheme_detail", args=[self.pk])

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def bounds(self, year: int) -> tuple[dt.date, dt.date]:
        return period_bounds(self.period_kind, year)

    def label(self, year: int) -> str:
        return period_label(self.period_kind, year)


class CriterionGroup(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="grading_group_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__order", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="grading_criterion_code_once"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="grading_criterion_max_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Category(models.Model):
    """A category of a scheme: reached with `min_points` or more and, when `min_group_share`
    is set, with every criteria group at or above that share of its points (the extra condition,
    as data: 0.5 = "no group under half its points"). `rank` orders categories best first
    (1: excellent / vững mạnh); `good_or_better` marks those counted as good or better."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the best."))
    min_points = models.DecimalField(_("from (points)"), max_digits=6, decimal_places=1)
    min_group_share = models.DecimalField(
        _("minimum share of every group"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("e.g. 0.50: no criteria group under half its points."),
    )
    good_or_better = models.BooleanField(_("good or better"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "rank"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "rank"], name="grading_category_rank_once"),
            models.UniqueConstraint(fields=["scheme", "code"], name="grading_category_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class GradingQuerySet(ScopedQuerySet["Grading"]):
    def confirmed(self) -> GradingQuerySet:
        return self.filter(status=Status.CONFIRMED)


class Grading(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="gradings",
        verbose_name=_("grassroots union"),
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="gradings", verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year the period ends (2025 for the school year 2024–2025).")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    graded_by = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="gradings_given",
        verbose_name=_("graded by"),
    )
    total = models.DecimalField(_("total points"), max_digits=6, decimal_places=1)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="gradings", verbose_name=_("category")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Set on the instance just before a confirmed grading is deleted: its history row keeps it.
    deletion_reason = models.CharField(_("reason for deletion"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("graded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = GradingQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("grading")
        verbose_name_plural = _("gradings")
        indexes = [models.Index(fields=["year", "status"], name="grading_year_status")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="grading_once_per_period"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(decision_date__isnull=False),
                name="grading_confirmed_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.short_name or self.unit.name} · {self.period}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.decision_number = nfc(self.decision_number)
        self.notes = nfc(self.notes)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("grading:detail", args=[self.pk])

    @property
    def period(self) -> str:
        return period_label(self.scheme.period_kind, self.year)

    @property
    def confirmed(self) -> bool:
        return self.status == Status.CONFIRMED


class Score(models.Model):
    grading = models.ForeignKey(Grading, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "grading__unit__path"

    class Meta:
        ordering = ["grading", "criterion__group__order", "criterion__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["grading", "criterion"], name="grading_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="grading_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"
