"""Awards (khen thưởng, domain §5): the catalogue of award forms versioned by the regulation in
force (Quy chế khen thưởng của tổ chức Công đoàn 2024, 2019, …), the numbered decisions that
confer them, and their recipients — units and members of the union, and bodies or persons
outside it. Awards from outside the union (People's Committee, Government) are recorded the same
way, with the issuer named as text.

Whose records: a decision belongs to the unit that recorded it (`recorded_by_unit`): the issuer
itself for a decision of the union, the receiving unit for one from outside. An award is seen by
whoever sees its decision and by whoever sees its recipient (a unit, or a member's unit): a
member's awards show on the member's page even when a higher level issued them.

The eligibility rules (`rules.py`) read the form's `rules` (data) and run its `checks` (names
of small checks registered in code) when an award is recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, scope_q


class Kind(models.TextChoices):
    FLAG = "flag", _("Emulation flag")
    CERTIFICATE_OF_MERIT = "certificate_of_merit", _("Certificate of merit")
    CERTIFICATE = "certificate", _("Certificate of commendation")
    MEDAL = "medal", _("Commemorative medal")
    CREATIVE_LABOUR = "creative_labour", _("Creative labour certificate")
    PRIZE = "prize", _("Prize")
    TITLE = "title", _("Emulation title")


class IssuerLevel(models.TextChoices):
    CONFEDERATION = "confederation", _("Vietnam General Confederation of Labour")
    PROVINCE_OR_SECTOR = "province_or_sector", _("Provincial federation or central sector union")
    ABOVE_GRASSROOTS = "above_grassroots", _("Unit directly above grassroots")
    GRASSROOTS = "grassroots", _("Grassroots union")
    OUTSIDE = "outside", _("Outside the union")


# The levels of the organisation tree (organisation.Level.code) that issue each level's forms.
LEVEL_CODES: dict[str, frozenset[str]] = {
    IssuerLevel.CONFEDERATION: frozenset({"central"}),
    IssuerLevel.PROVINCE_OR_SECTOR: frozenset({"provincial"}),
    IssuerLevel.ABOVE_GRASSROOTS: frozenset({"above_grassroots"}),
    IssuerLevel.GRASSROOTS: frozenset({"grassroots", "member_grassroots"}),
    IssuerLevel.OUTSIDE: frozenset(),
}


class RecipientKind(models.TextChoices):
    UNIT = "unit", _("Union unit")
    MEMBER = "member", _("Union member")
    OUTSIDE_BODY = "outside_body", _("Body outside the union")
    OUTSIDE_PERSON = "outside_person", _("Person outside the union")


COLLECTIVE_KINDS = frozenset({RecipientKind.UNIT, RecipientKind.OUTSIDE_BODY})


class Scope(models.TextChoices):
    OVERALL = "overall", _("Overall")
    THEMATIC = "thematic", _("Thematic")
    NONE = "", _("Not applicable")


class OutsideKind(models.TextChoices):
    BODY = "body", _("Body")
    PERSON = "person", _("Person")


class Regulation(models.Model):
    """A version of the union's award regulation; its forms make up the catalogue while it is in
    force."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-in_force_from"]
        verbose_name = _("award regulation")
        verbose_name_plural = _("award regulations")
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=models.F("in_force_from")),
                name="awards_regulation_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )


class AwardForm(models.Model):
    """A form of award (hình thức khen thưởng) or title of one regulation.

    `recipients`: the recipient kinds (`RecipientKind` values) it may go to. `rules`: data rules
    read by `rules.py` (min_union_years, once_per_person, quota_per_decision,
    benefit_thresholds); `checks`: names of checks registered in code (`rules.check`)."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="forms", verbose_name=_("regulation")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind of award"), max_length=24, choices=Kind.choices)
    issuer_level = models.CharField(_("issuing level"), max_length=24, choices=IssuerLevel.choices)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, blank=True)
    rules = models.JSONField(_("rules"), default=dict, blank=True)
    checks = models.JSONField(_("checks"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["regulation", "order", "name"]
        verbose_name = _("award form")
        verbose_name_plural = _("award forms")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "code"], name="awards_form_code_per_regulation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def allows(self, kind: str) -> bool:
        return kind in (self.recipients or [])


class DecisionQuerySet(ScopedQuerySet["Decision"]):
    pass


class Decision(models.Model):
    """A numbered award decision (quyết định khen thưởng) of a unit of the union
    (`issuer_unit`) or of an issuer outside it named as text (`issuer_name`), recorded by
    `recorded_by_unit` (the issuer itself for a decision of the union)."""

    issuer_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_decisions_issued",
        verbose_name=_("issuing unit"),
    )
    issuer_name = models.CharField(_("issuer outside the union"), max_length=300, blank=True)
    recorded_by_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="award_decisions_recorded",
        verbose_name=_("recording unit"),
    )
    number = models.CharField(_("document number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("regulation")
    )
    note = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = DecisionQuerySet.as_manager()
    scope_path = "recorded_by_unit__path"

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        indexes = [
            models.Index(fields=["recorded_by_unit", "signed_on"], name="awards_decision_unit_day")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(issuer_unit__isnull=False) & Q(issuer_name=""))
                | (Q(issuer_unit__isnull=True) & ~Q(issuer_name="")),
                name="awards_decision_one_issuer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    @property
    def is_outside(self) -> bool:
        return self.issuer_unit_id is None

    @property
    def issuer_label(self) -> str:
        if self.issuer_unit is not None:
            return self.issuer_unit.short_name or self.issuer_unit.name
        return self.issuer_name


class RecipientMixin:
    """One recipient: a unit, a member, or a body or person outside the union."""

    unit_id: int | None
    member_id: int | None
    unit: Any
    member: Any
    outside_name: str
    outside_kind: str

    @property
    def recipient_kind(self) -> str:
        if self.unit_id is not None:
            return RecipientKind.UNIT
        if self.member_id is not None:
            return RecipientKind.MEMBER
        if self.outside_kind == OutsideKind.BODY:
            return RecipientKind.OUTSIDE_BODY
        return RecipientKind.OUTSIDE_PERSON

    @property
    def is_collective(self) -> bool:
        return self.recipient_kind in COLLECTIVE_KINDS

    @property
    def recipient_label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        if self.member is not None:
            return self.member.full_name
        return self.outside_name


class AwardQuerySet(ScopedQuerySet["Award"]):
    def visible_to(self, user: Any, action: Action = Action.ORGANISATION_VIEW) -> AwardQuerySet:
        """An award is seen from its decision's recording unit and from its recipient (a unit,
        or a member's unit)."""
        qs = [
            scope_q(user, action, field)
            for field in ("decision__recorded_by_unit__path", "unit__path", "member__unit__path")
        ]
        if any(q is None for q in qs):
            return self
        combined = Q()
        for q in qs:
            combined |= q  # type: ignore[operator]
        return self.filter(combined)


class Award(RecipientMixin, models.Model):
    """One recipient of one form in one decision: a unit, a member, or a body or person outside
    the union (`outside_name` with `outside_kind`). `details`: what a form's data rules need
    (Bằng Lao động sáng tạo: {"category": "worker", "benefit": 120000000})."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="awards", verbose_name=_("decision")
    )
    form = models.ForeignKey(
        AwardForm, on_delete=models.PROTECT, related_name="awards", verbose_name=_("award form")
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("unit"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("member"),
    )
    outside_name = models.CharField(_("recipient outside the union"), max_length=300, blank=True)
    outside_kind = models.CharField(
        _("kind of outside recipient"), max_length=8, choices=OutsideKind.choices, blank=True
    )
    year = models.PositiveSmallIntegerField(_("emulation year"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    achievement = models.TextField(_("achievement"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AwardQuerySet.as_manager()
    scope_path = "decision__recorded_by_unit__path"

    class Meta:
        ordering = ["decision", "form__order", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        indexes = [models.Index(fields=["form", "year"], name="awards_award_form_year")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, member__isnull=True, outside_name="", outside_kind="")
                    | Q(unit__isnull=True, member__isnull=False, outside_name="", outside_kind="")
                    | (
                        Q(unit__isnull=True, member__isnull=True)
                        & ~Q(outside_name="")
                        & Q(outside_kind__in=["body", "person"])
                    )
                ),
                name="awards_award_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form} – {self.recipient_label}"


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the council")
    APPROVED = "approved", _("Approved by the council")
    REJECTED = "rejected", _("Not approved")
    DECIDED = "decided", _("Awarded")


class NominationQuerySet(ScopedQuerySet["Nomination"]):
    def visible_to(
        self, user: Any, action: Action = Action.ORGANISATION_VIEW
    ) -> NominationQuerySet:
        """A nomination is seen from the unit that proposed it and from the issuing unit that
        reviews it."""
        qs = [scope_q(user, action, f) for f in ("proposing_unit__path", "issuer_unit__path")]
        if any(q is None for q in qs):
            return self
        return self.filter(qs[0] | qs[1])  # type: ignore[operator]


class Nomination(RecipientMixin, models.Model):
    """A unit's proposal (đề nghị khen thưởng) that the issuing level (`issuer_unit`, the
    proposing unit itself or one of its ancestors) confer `form` on one recipient, with its
    dossier; reviewed by the issuer's Emulation and Rewards Council, then awarded by a decision
    (`award`). The eligibility rules run when it is made and again in the decision."""

    proposing_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="award_nominations_made",
        verbose_name=_("proposing unit"),
    )
    issuer_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="award_nominations_received",
        verbose_name=_("issuing unit"),
    )
    form = models.ForeignKey(
        AwardForm,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("award form"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_nominations",
        verbose_name=_("unit"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_nominations",
        verbose_name=_("member"),
    )
    outside_name = models.CharField(_("recipient outside the union"), max_length=300, blank=True)
    outside_kind = models.CharField(
        _("kind of outside recipient"), max_length=8, choices=OutsideKind.choices, blank=True
    )
    year = models.PositiveSmallIntegerField(_("emulation year"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    achievement = models.TextField(_("achievement"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    dossier = models.FileField(
        _("dossier"), upload_to="awards/dossiers/%Y/", max_length=300, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.DRAFT,
    )
    submitted_on = models.DateField(
        pgettext_lazy("nomination", "submitted on"), null=True, blank=True
    )
    council_on = models.DateField(_("council met on"), null=True, blank=True)
    council_note = models.TextField(_("council's conclusion"), blank=True)
    award = models.OneToOneField(
        Award,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nomination",
        verbose_name=_("award"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = NominationQuerySet.as_manager()
    scope_path = "proposing_unit__path"

    class Meta:
        ordering = ["-year", "issuer_unit", "form__order", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [
            models.Index(fields=["issuer_unit", "status", "year"], name="awards_nomination_queue"),
            models.Index(fields=["proposing_unit", "year"], name="awards_nomination_unit_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, member__isnull=True, outside_name="", outside_kind="")
                    | Q(unit__isnull=True, member__isnull=False, outside_name="", outside_kind="")
                    | (
                        Q(unit__isnull=True, member__isnull=True)
                        & ~Q(outside_name="")
                        & Q(outside_kind__in=["body", "person"])
                    )
                ),
                name="awards_nomination_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form} – {self.recipient_label}"

    @property
    def is_open(self) -> bool:
        """Still changeable by the proposing unit."""
        return self.status == NominationStatus.DRAFT
