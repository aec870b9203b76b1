"""Meetings of a unit (domain §7): BCH conferences, BTV meetings, congresses, mid-year and
year-end reviews, cluster conferences, worker and civil-servant conferences; who attended,
the agenda with the documents discussed, and the emulation pledges signed there.

Meetings are scoped through their unit's path (`visible_to`); a cluster conference is held by
the cluster's head unit (or its organiser) for the cluster's units. Uploaded documents live
under MEDIA_ROOT, which is never served: they are streamed by a scoped view after its check.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, scope_q
from congdoan.core.text import nfc

DOCUMENT_EXTENSIONS = (".docx", ".pdf", ".xlsx", ".doc", ".xls")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def document_path(instance: Any, filename: str) -> str:
    """Stored as meetings/<year>/<random>.<ext>: the name people gave the file is kept in
    `document_name`, never in the path."""
    ext = Path(filename).suffix.lower()
    return f"meetings/{instance.document_folder()}/{uuid.uuid4().hex}{ext}"


class MeetingKind(models.TextChoices):
    BCH = "bch", _("Executive Committee conference (BCH)")
    BTV = "btv", _("Standing Committee meeting (BTV)")
    CONGRESS = "congress", _("Congress (Đại hội)")
    MIDYEAR = "midyear", _("Mid-year review (sơ kết)")
    YEAREND = "yearend", _("Year-end review (tổng kết)")
    CLUSTER = "cluster", _("Cluster conference")
    WORKERS = "workers", _("Workers' conference (Hội nghị người lao động)")
    CIVIL = "civil", _("Civil servants' conference (Hội nghị CBCCVC)")
    OTHER = "other", _("Other meeting")


# Kinds that may be held by a cluster (its head unit or organiser) for the cluster's units.
CLUSTER_KINDS = (MeetingKind.CLUSTER, MeetingKind.MIDYEAR, MeetingKind.YEAREND)


class Meeting(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("holding unit"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    cluster = models.ForeignKey(
        "organisation.Cluster",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("emulation cluster"),
    )
    term = models.ForeignKey(
        "organisation.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("term"),
    )
    number = models.PositiveSmallIntegerField(_("number within the term"), null=True, blank=True)
    extended = models.BooleanField(_("extended (mở rộng)"), default=False)
    title = models.CharField(
        _("own title"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to have the title worded from the kind, number and term."),
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    chair_name = models.CharField(_("chaired by"), max_length=200, blank=True)
    chair_title = models.CharField(_("chair's title"), max_length=300, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    period = models.ForeignKey(
        "indicators.Period",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("period reviewed"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind", "number"],
                condition=Q(number__isnull=False),
                name="meeting_number_once_in_term",
            ),
        ]
        indexes = [models.Index(fields=["unit", "held_on"], name="meeting_unit_day")]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in ("title", "place", "chair_name", "chair_title", "conclusions"):
            setattr(self, name, nfc(getattr(self, name)))
        super().save(*args, **kwargs)

    @property
    def display_title(self) -> str:
        from congdoan.meetings.wording import meeting_title

        return meeting_title(self)


class Attendee(models.Model):
    """A person at a meeting: a member of the unit's subtree (linked to the register, or named
    only), or a guest, who may be anyone."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.CharField(_("organisation"), max_length=300, blank=True)
    is_guest = models.BooleanField(_("guest"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "meeting__unit__path"

    class Meta:
        ordering = ["meeting", "-is_guest", "order", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in ("full_name", "title", "body"):
            setattr(self, name, nfc(getattr(self, name)))
        super().save(*args, **kwargs)


class DocumentMixin(models.Model):
    """An uploaded document (.docx .pdf .xlsx .doc .xls, at most 20 MB: checked by the
    services), stored under MEDIA_ROOT and streamed by a scoped view only."""

    document = models.FileField(_("document"), upload_to=document_path, blank=True)
    document_name = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def document_folder(self) -> str:
        raise NotImplementedError


class AgendaItem(DocumentMixin):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    presenter = models.CharField(_("presented by"), max_length=300, blank=True)
    # The report presented (reports app, later): an id only, so that this app does not
    # depend on it.
    report_id = models.PositiveIntegerField(_("report"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "meeting__unit__path"

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in ("title", "presenter", "notes", "document_name"):
            setattr(self, name, nfc(getattr(self, name)))
        super().save(*args, **kwargs)

    def document_folder(self) -> str:
        return str(self.meeting.held_on.year)


class PledgeQuerySet(ScopedQuerySet["Pledge"]):
    def visible_to(self, user: Any, action: Action = Action.ORGANISATION_VIEW) -> PledgeQuerySet:
        """Visible to those who see the cluster's organiser or the meeting's unit."""
        q_org = scope_q(user, action, "cluster__organiser__path")
        if q_org is None:
            return self
        q_meeting = scope_q(user, action, "meeting__unit__path")
        assert q_meeting is not None
        return self.filter(q_org | q_meeting)


class Pledge(DocumentMixin):
    """An emulation pledge (giao ước thi đua) the units of a cluster sign for a year."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("signed at"),
    )
    cluster = models.ForeignKey(
        "organisation.Cluster",
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("emulation cluster"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    signed_on = models.DateField(_("signed on"))
    title = models.CharField(_("title"), max_length=300)
    signatories = models.ManyToManyField(
        "organisation.Unit", related_name="pledges_signed", verbose_name=_("signatory units")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PledgeQuerySet.as_manager()
    scope_path = "cluster__organiser__path"

    class Meta:
        ordering = ["-year", "-signed_on", "pk"]
        verbose_name = _("emulation pledge")
        verbose_name_plural = _("emulation pledges")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.document_name = nfc(self.document_name)
        super().save(*args, **kwargs)

    def document_folder(self) -> str:
        return str(self.year)
