"""Emulation (thi đua, domain §5): the yearly cycle of a movement.

- A `Movement` (phong trào thi đua) is organised by a unit for a theme of the year, a programme
  of several years ("Lao động giỏi, lao động sáng tạo 2021–2025", with its `Phase`s) or a short
  thematic campaign. It is seen by those who see its organiser, and by the units below the
  organiser (a grassroots union sees the province's movement it registers for).
- A `Registration` (đăng ký thi đua) is a unit's — or one member's — registration for a movement
  in a year with its commitments; one active registration per unit (or member), movement and
  year; a withdrawn one is kept with its date and reason.
- Pledges (giao ước thi đua) are `meetings.Pledge`: signed by the member units of a cluster for a
  year, at a cluster conference or on their own. This app reads and records them through the
  meetings app's selectors and services rather than keeping a second register of them.
- A `ScoringScheme` (bảng điểm thi đua), national (no organiser) or of an organising unit, for all
  its clusters or for one, in force from a year until a newer one: `CriteriaGroup`s of
  `Criterion`s with their maximum points; a criterion may be filled automatically from the
  indicator engine (share of targets met; members admitted against their target).
- A `Scorecard` scores one unit in one cluster for a year under the scheme in force, in three
  stages — the unit's own score, the cluster's score, the final score of the cluster's organiser
  — each with its points per criterion (`Score`), who and when, and its total.
- A `ClusterProposal` is the list of leading units a cluster proposes for a year (rank order,
  with the award proposed); the awards app turns a submitted one into nominations.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, scope_prefixes, scope_q
from congdoan.core.text import nfc

STEP = 4  # characters per level of the tree's materialised path


def _ancestor_paths(prefixes: list[str]) -> set[str]:
    """The paths of the units above (and at) each prefix: their movements and schemes reach
    the units below them."""
    return {p[:i] for p in prefixes for i in range(STEP, len(p) + 1, STEP)}


def organiser_q(user: Any, action: Action, field: str) -> Q | None:
    """Rows whose organiser (`field` is its path) lies in the user's scope or above it."""
    prefixes = scope_prefixes(user, action)
    if prefixes is None:
        return None
    q = scope_q(user, action, field)
    assert q is not None
    ancestors = _ancestor_paths(prefixes)
    return q | Q(**{f"{field}__in": sorted(ancestors)}) if ancestors else q


class MovementKind(models.TextChoices):
    YEARLY = "yearly", _("Theme of the year")
    PROGRAMME = "programme", _("Programme of several years")
    THEMATIC = "thematic", _("Thematic or short movement")


class MovementQuerySet(ScopedQuerySet[Any]):
    """Movements (and their phases, through `scope_path`) seen from the organiser's scope and
    from the units below the organiser."""

    def visible_to(self, user: Any, action: Action = Action.ORGANISATION_VIEW) -> MovementQuerySet:
        q = organiser_q(user, action, self.model.scope_path)
        return self if q is None else self.filter(q)


class Movement(models.Model):
    organiser = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="emulation_movements",
        verbose_name=_("organising unit"),
    )
    name = models.CharField(_("name"), max_length=300)
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=MovementKind.choices)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MovementQuerySet.as_manager()
    scope_path = "organiser__path"

    class Meta:
        ordering = ["-start_year", "name", "pk"]
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="movement_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in ("name", "theme", "description"):
            setattr(self, name, nfc(getattr(self, name)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("emulation:movement_detail", args=[self.pk])

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def years_label(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"


class Phase(models.Model):
    """A phase of a programme (giai đoạn), for awards "by programme phase"."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    history = HistoricalRecords()

    objects = MovementQuerySet.as_manager()
    scope_path = "movement__organiser__path"

    class Meta:
        ordering = ["movement", "starts_on", "pk"]
        verbose_name = _("programme phase")
        verbose_name_plural = _("programme phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="phase_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class Registration(models.Model):
    """A unit's (or a member's, `member`) registration for a movement in a year."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="registrations")
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="emulation_registrations",
        verbose_name=_("unit"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emulation_registrations",
        verbose_name=_("member"),
    )
    commitments = models.TextField(_("targets and commitments"), blank=True)
    registered_on = models.DateField(_("registered on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["movement", "-year", "unit__name", "pk"]
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "year", "unit"],
                condition=Q(member__isnull=True, withdrawn_on__isnull=True),
                name="registration_unit_once",
            ),
            models.UniqueConstraint(
                fields=["movement", "year", "member"],
                condition=Q(member__isnull=False, withdrawn_on__isnull=True),
                name="registration_member_once",
            ),
        ]
        indexes = [models.Index(fields=["year", "unit"], name="registration_year_unit")]

    def __str__(self) -> str:
        return f"{self.movement} {self.year}: {self.unit}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.commitments = nfc(self.commitments)
        self.withdrawal_reason = nfc(self.withdrawal_reason)
        super().save(*args, **kwargs)

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


# ---------------------------------------------------------------------------------------------
# Scoring


class SchemeQuerySet(ScopedQuerySet["ScoringScheme"]):
    def visible_to(self, user: Any, action: Action = Action.ORGANISATION_VIEW) -> SchemeQuerySet:
        """National schemes to every signed-in user with any scope; an organiser's to those
        who see it or a unit below it."""
        q = organiser_q(user, action, "organiser__path")
        if q is None:
            return self
        prefixes = scope_prefixes(user, action)
        national = Q(organiser__isnull=True) if prefixes else Q(pk__in=[])
        return self.filter(q | national)


class ScoringScheme(models.Model):
    """A versioned points table: in force from `from_year` until a newer scheme of the same
    organiser and cluster."""

    organiser = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scoring_schemes",
        verbose_name=_("organising unit"),
        help_text=_("Empty for a national scheme."),
    )
    cluster = models.ForeignKey(
        "organisation.Cluster",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scoring_schemes",
        verbose_name=_("emulation cluster"),
        help_text=_("Empty: every cluster of the organiser."),
    )
    name = models.CharField(_("name"), max_length=300)
    from_year = models.PositiveSmallIntegerField(_("in force from year"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = SchemeQuerySet.as_manager()
    scope_path = "organiser__path"

    class Meta:
        ordering = ["-from_year", "name", "pk"]
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self) -> str:
        return f"{self.name} ({self.from_year})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.description = nfc(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("emulation:scheme_detail", args=[self.pk])


class CriteriaGroup(models.Model):
    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")

    def __str__(self) -> str:
        return self.name


class AutoSource(models.TextChoices):
    TARGETS_MET = "targets_met", _("Share of targets met")
    ADMISSIONS = "admissions", _("Members admitted against the target")


class Criterion(models.Model):
    group = models.ForeignKey(CriteriaGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    evidence = models.CharField(_("evidence expected"), max_length=500, blank=True)
    auto_source = models.CharField(
        _("filled automatically from"), max_length=16, choices=AutoSource.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    SELF = "self", _("Self-score")
    CLUSTER = "cluster", _("Cluster score")
    FINAL = "final", _("Final score")


STAGES = (Stage.SELF, Stage.CLUSTER, Stage.FINAL)


class ScorecardQuerySet(ScopedQuerySet["Scorecard"]):
    def visible_to(self, user: Any, action: Action = Action.ORGANISATION_VIEW) -> ScorecardQuerySet:
        """Seen by those who see the unit scored, the cluster's organiser, or the cluster's
        head unit of that year (which gives the cluster score)."""
        q_unit = scope_q(user, action, "unit__path")
        if q_unit is None:
            return self
        q_org = scope_q(user, action, "cluster__organiser__path")
        q_head = scope_q(user, action, "unit__path")
        assert q_org is not None and q_head is not None
        from congdoan.organisation.models import ClusterMembership

        heads = ClusterMembership.objects.filter(
            q_head, cluster=OuterRef("cluster"), year=OuterRef("year"), is_head=True
        )
        return self.filter(q_unit | q_org | Q(Exists(heads)))


class Scorecard(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="scorecards",
        verbose_name=_("unit"),
    )
    cluster = models.ForeignKey(
        "organisation.Cluster",
        on_delete=models.PROTECT,
        related_name="scorecards",
        verbose_name=_("emulation cluster"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey(
        ScoringScheme,
        on_delete=models.PROTECT,
        related_name="scorecards",
        verbose_name=_("scoring scheme"),
    )
    self_total = models.DecimalField(
        _("self-score total"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("self-score by"),
    )
    self_at = models.DateTimeField(_("self-score on"), null=True, blank=True)
    cluster_total = models.DecimalField(
        _("cluster score total"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    cluster_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cluster score by"),
    )
    cluster_at = models.DateTimeField(_("cluster score on"), null=True, blank=True)
    final_total = models.DecimalField(
        _("final score total"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("final score by"),
    )
    final_at = models.DateTimeField(_("final score on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScorecardQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["cluster", "-year", "unit__name", "pk"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["unit", "cluster", "year"], name="scorecard_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cluster} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("emulation:scorecard_detail", args=[self.pk])

    def total(self, stage: str) -> Any:
        return getattr(self, f"{stage}_total")

    def done(self, stage: str) -> bool:
        return getattr(self, f"{stage}_at") is not None

    @property
    def best_total(self) -> Any:
        """The total units are ranked by: final, else cluster, else self."""
        for stage in (Stage.FINAL, Stage.CLUSTER, Stage.SELF):
            if self.done(stage):
                return self.total(stage)
        return None

    @property
    def best_stage(self) -> str:
        for stage in (Stage.FINAL, Stage.CLUSTER, Stage.SELF):
            if self.done(stage):
                return stage
        return ""


class Score(models.Model):
    """The points a criterion received at one stage; `auto_points` and `source` keep what the
    engine proposed for an automatic criterion, `note` why the points differ from it."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    auto_points = models.DecimalField(
        _("points from the figures"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "scorecard__unit__path"

    class Meta:
        ordering = ["scorecard", "stage", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion", "stage"], name="score_once_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.note = nfc(self.note)
        super().save(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# The cluster's proposal of its leading units


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ProposalQuerySet(ScopedQuerySet["ClusterProposal"]):
    def visible_to(self, user: Any, action: Action = Action.ORGANISATION_VIEW) -> ProposalQuerySet:
        """Seen by those who see the cluster's organiser or the proposing unit."""
        q_org = scope_q(user, action, "cluster__organiser__path")
        if q_org is None:
            return self
        q_by = scope_q(user, action, "proposed_by_unit__path")
        assert q_by is not None
        return self.filter(q_org | q_by)


class ClusterProposal(models.Model):
    """The leading units a cluster proposes for a year (`entries`, in rank order). The awards
    app reads the submitted ones (`selectors.submitted_proposals`)."""

    cluster = models.ForeignKey(
        "organisation.Cluster",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("emulation cluster"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    proposed_on = models.DateField(_("proposed on"))
    proposed_by_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ProposalQuerySet.as_manager()
    scope_path = "cluster__organiser__path"

    class Meta:
        ordering = ["-year", "cluster__name", "pk"]
        verbose_name = _("proposal of leading units")
        verbose_name_plural = _("proposals of leading units")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="proposal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("emulation:proposal_detail", args=[self.pk])

    @property
    def submitted(self) -> bool:
        return self.status == ProposalStatus.SUBMITTED


class ProposedUnit(models.Model):
    proposal = models.ForeignKey(ClusterProposal, on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveSmallIntegerField(_("order"))
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    award = models.CharField(_("award proposed"), max_length=300)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    total = models.DecimalField(_("total points"), max_digits=8, decimal_places=2, null=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "order"]
        verbose_name = _("proposed unit")
        verbose_name_plural = _("proposed units")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "unit"], name="proposed_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.unit}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.award = nfc(self.award)
        super().save(*args, **kwargs)
