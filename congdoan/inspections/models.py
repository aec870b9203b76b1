"""Inspections and supervision (domain §4) and the complaints and denunciations a unit handles.

An `Inspection` is one event (*cuộc*) conducted by a unit (`unit`, the conducting unit) through
its Inspection Committee (UBKT) or its Executive Committee (BCH), alone or jointly with other
bodies (`partners`, named). It covers units (`Inspected`): units of the tree within the
conducting unit's subtree, or enterprises and bodies outside the tree, named. Its findings are
followed by recommendations (`Recommendation`), each followed up (`FollowUp`) until done.

Who sees an inspection: those who see its conducting unit (the whole record), and those who see
one of the units inspected (the record, with only the inspected units and recommendations of
their own scope: see `selectors.inspection_page`). Every write needs `inspection.manage` on the
conducting unit.

A `Complaint` is a case (*vụ việc*) of complaint or denunciation received by a unit and resolved
on a day; it is a register of its own ("complaints"), since a unit may keep one and not the other.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, scope_q
from congdoan.core.text import fold, nfc


class InspectionKind(models.TextChoices):
    CHARTER = "charter", _("Inspection of compliance with the Charter")
    FINANCE = "finance", _("Inspection of union finance and assets")
    COMPLAINTS = "complaints", _("Inspection of the handling of complaints and denunciations")
    DEMOCRACY = "democracy", _("Inspection of the grassroots democracy rules")
    POLICY = "policy", _("Supervision of the implementation of policies")
    PARTY_217 = "party_217", _("Social supervision under Decision 217-QĐ/TW")


# Kinds that are supervisions (giám sát); the others are inspections (kiểm tra).
SUPERVISIONS = (InspectionKind.POLICY, InspectionKind.PARTY_217)


class Body(models.TextChoices):
    UBKT = "ubkt", _("Inspection Committee (UBKT)")
    BCH = "bch", _("Executive Committee (BCH)")


class OutsideKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Agency or public body")
    OTHER = "other", _("Other organisation")


class InspectionQuerySet(ScopedQuerySet["Inspection"]):
    def visible_to(self, user: Any, action: Action = Action.INDICATORS_VIEW) -> InspectionQuerySet:
        """Inspections conducted by a unit of the user's scope, and those of a unit of the
        user's scope (an inspected unit sees the inspections it underwent)."""
        q_conducted = scope_q(user, action, "unit__path")
        if q_conducted is None:
            return self
        q_inspected = scope_q(user, action, "unit__path")
        assert q_inspected is not None
        inspected = Inspected.objects.filter(q_inspected, inspection=OuterRef("pk"))
        return self.filter(q_conducted | Q(Exists(inspected)))


class Inspection(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("conducting unit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    body = models.CharField(_("conducted by"), max_length=6, choices=Body.choices)
    partners = models.CharField(
        _("jointly with"),
        max_length=500,
        blank=True,
        help_text=_("The other bodies that conducted it jointly, if any."),
    )
    title = models.CharField(_("subject"), max_length=300, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    # Folded subject, decision, partners and the names of the units inspected (the list's search).
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = InspectionQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        indexes = [
            models.Index(fields=["unit", "started_on"], name="inspection_unit_day"),
            models.Index(fields=["started_on", "id"], name="inspection_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="inspection_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in ("partners", "title", "decision_number", "findings"):
            setattr(self, name, nfc(getattr(self, name)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def is_supervision(self) -> bool:
        return self.kind in SUPERVISIONS

    @property
    def joint(self) -> bool:
        return bool(self.partners)


class Inspected(models.Model):
    """A unit an inspection covered: a unit of the tree, or a body outside it (named)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    outside_kind = models.CharField(
        _("kind of body"), max_length=12, choices=OutsideKind.choices, blank=True
    )
    # "u<id>" for a unit of the tree, "n:<folded name>" for a body outside it: what makes two
    # rows the same unit inspected (the distinct units of the derived indicators).
    key = models.CharField(max_length=320, editable=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "inspection__unit__path"

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("unit inspected")
        verbose_name_plural = _("units inspected")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "key"], name="inspected_once"),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(name=""), name="inspected_named"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.key = key_of(self.unit_id, self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return self.unit.name if self.unit is not None else self.name

    @property
    def outside(self) -> bool:
        return self.unit_id is None


def key_of(unit_id: int | None, name: str) -> str:
    return f"u{unit_id}" if unit_id is not None else f"n:{fold(name)}"[:320]


class Recommendation(models.Model):
    """A recommendation of an inspection, to one of the units inspected or to all; done once
    its latest follow-up says so (`done_on`, kept by the services)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    target = models.ForeignKey(
        Inspected,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("addressed to"),
    )
    text = models.TextField(_("recommendation"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "inspection__unit__path"

    class Meta:
        ordering = ["inspection", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text = nfc(self.text)
        super().save(*args, **kwargs)

    @property
    def done(self) -> bool:
        return self.done_on is not None


class FollowUp(models.Model):
    """What was done about a recommendation, on a day; `done` when it is carried out."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField(_("date"))
    action = models.TextField(_("what was done"))
    done = models.BooleanField(_("carried out"), default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "recommendation__inspection__unit__path"

    class Meta:
        ordering = ["recommendation", "on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.action[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.action = nfc(self.action)
        super().save(*args, **kwargs)


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint (khiếu nại)")
    DENUNCIATION = "denunciation", _("Denunciation (tố cáo)")


class Complaint(models.Model):
    """A case of complaint or denunciation received by a unit (its UBKT, as a rule), resolved
    on a day. Who sent it is personal data: the pages mask it (a denouncer's identity is kept
    confidential by law) unless the viewer may see personal data."""

    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("handling unit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ComplaintKind.choices)
    received_on = models.DateField(_("received on"))
    sender = models.CharField(_("sent by"), max_length=200, blank=True)
    summary = models.TextField(_("content"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint or denunciation")
        verbose_name_plural = _("complaints and denunciations")
        indexes = [
            models.Index(fields=["unit", "resolved_on"], name="complaint_unit_resolved"),
            models.Index(fields=["unit", "received_on"], name="complaint_unit_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("received_on")),
                name="complaint_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.summary[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in ("sender", "summary", "outcome"):
            setattr(self, name, nfc(getattr(self, name)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:complaint_detail", args=[self.pk])

    @property
    def resolved(self) -> bool:
        return self.resolved_on is not None
