"""The register of movements and models (domain §4), kept by the units that choose to
(`activities.Keeping`, register code "movements").

- `Activity`: one row per thing a unit did that reports count, with a kind: an emulation work
  or task (*công trình, phần việc thi đua*, some dedicated to an event such as a congress, with
  its value), a replicated good model (*mô hình*, some of the kind "Dân vận khéo"), a cultural
  or sports activity, a training class (*lớp tập huấn*, with its attendees), a session
  propagating a resolution ("tuyên truyền Nghị quyết 02-NQ/TW": the resolution is the title) and
  a workplace dialogue (*đối thoại tại nơi làm việc*). They share their fields, so one model.
- `Agreement`: a collective labour agreement (*thỏa ước lao động tập thể*): the enterprise,
  signed on, in force until, new or renewed, workers covered, rated A/B/C when rated.

Worker and civil-servant conferences (*hội nghị người lao động*, *hội nghị CBCCVC*) are
meetings (`meetings.Meeting`, kinds WORKERS and CIVIL): the register counts them from there.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.scoping import ScopedQuerySet
from congdoan.core.text import fold, nfc

REGISTER = "movements"  # the register's code (activities.registers)
MONEY_DIGITS = 18  # đồng, whole


class ActivityKind(models.TextChoices):
    WORK = "work", _("Emulation work or task")
    MODEL = "model", _("Replicated good model")
    CULTURE = "culture", _("Cultural or sports activity")
    TRAINING = "training", _("Training class")
    PROPAGANDA = "propaganda", _("Propaganda of a resolution")
    DIALOGUE = "dialogue", _("Workplace dialogue")


class Activity(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="movement_activities",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    on = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    value = models.DecimalField(
        _("value (đồng)"), max_digits=MONEY_DIGITS, decimal_places=0, null=True, blank=True
    )
    event = models.CharField(_("dedicated to"), max_length=300, blank=True)
    for_congress = models.BooleanField(_("dedicated to a union congress"), default=False)
    dan_van_kheo = models.BooleanField(_("“Dân vận khéo” model"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    search = models.CharField(max_length=1000, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search"])

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("movement activity")
        verbose_name_plural = _("movement activities")
        indexes = [
            models.Index(fields=["unit", "on"], name="movement_activity_unit_day"),
            models.Index(fields=["kind", "on"], name="movement_activity_kind_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="movement_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalise()
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = sorted({*fields, "search"})
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("movements:detail", args=[self.pk])

    def normalise(self) -> None:
        """NFC texts and the folded search column (also for rows written in bulk)."""
        for name in ("title", "event", "notes"):
            setattr(self, name, nfc(getattr(self, name)))
        self.search = fold(f"{self.title} {self.event}")[:1000]


class AgreementRating(models.TextChoices):
    A = "A", _("Type A")
    B = "B", _("Type B")
    C = "C", _("Type C")


class Agreement(models.Model):
    """A collective labour agreement the union of `unit` signed with an employer."""

    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="labour_agreements",
        verbose_name=_("unit"),
    )
    enterprise = models.CharField(_("enterprise"), max_length=300)
    enterprise_key = models.CharField(max_length=300, editable=False)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("in force until"))
    renewed = models.BooleanField(_("renewed (ký lại)"), default=False)
    workers = models.PositiveIntegerField(_("workers covered"), null=True, blank=True)
    rating = models.CharField(
        _("rating"), max_length=1, choices=AgreementRating.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["enterprise_key"])

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("collective labour agreement")
        verbose_name_plural = _("collective labour agreements")
        indexes = [models.Index(fields=["unit", "signed_on"], name="agreement_unit_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "enterprise_key", "signed_on"], name="agreement_once"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("signed_on")),
                name="agreement_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.enterprise

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalise()
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = sorted({*fields, "enterprise_key"})
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("movements:agreement_detail", args=[self.pk])

    def normalise(self) -> None:
        """NFC texts and the folded enterprise (also for rows written in bulk)."""
        self.enterprise, self.notes = nfc(self.enterprise), nfc(self.notes)
        self.enterprise_key = fold(self.enterprise)[:300]
