"""Members (đoàn viên): the registry core that reorganisations move.

`Membership` rows are the spells a member spent in each unit ([start, end)); counts "as of D"
are the spells open on D. `MemberEvent` is the dated timeline (admission, transfer, exit …).
The full member record of domain.md §2 extends this model.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.scoping import ScopedQuerySet
from congdoan.core.text import fold, nfc


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXITED = "exited", _("Left the union")


class ExitReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned from the union")
    RETIRED = "retired", _("Retired")
    LEFT_JOB = "left_job", _("Left the job")
    UNIT_DISSOLVED = "unit_dissolved", _("Unit dissolved")
    NON_PAYMENT = "non_payment", _("Prolonged non-payment of dues")
    EXPELLED = "expelled", _("Expelled")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    ADMIT = "admit", _("Admitted")
    TRANSFER = "transfer", _("Transferred")
    EXIT = "exit", _("Left the union")


class MemberQuerySet(ScopedQuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)


class Member(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("union unit"),
    )
    family_name = models.CharField(_("family name"), max_length=60)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    given_name = models.CharField(_("given name"), max_length=60)
    full_name = models.CharField(_("full name"), max_length=200, editable=False)
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    card_number = models.CharField(
        _("membership card number"), max_length=32, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    admitted_on = models.DateField(_("admitted on"))
    exited_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=32, choices=ExitReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = MemberQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["given_name", "family_name", "middle_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.family_name = nfc(self.family_name)
        self.middle_name = nfc(self.middle_name)
        self.given_name = nfc(self.given_name)
        self.full_name = " ".join(
            p for p in (self.family_name, self.middle_name, self.given_name) if p
        )
        self.search_text = fold(f"{self.full_name} {self.card_number or ''}")
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A spell of a member in a unit: [start, end)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="spells")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="member_spells"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["member", "start"]
        indexes = [models.Index(fields=["unit", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="spell_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.unit_id} {self.start}–{self.end or ''}"


class MemberEvent(models.Model):
    """One dated event in a member's life in the union; kept forever."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"))
    from_unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reorg_event = models.ForeignKey(
        "organisation.ReorgEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__unit__path"

    class Meta:
        ordering = ["member", "date", "id"]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"
