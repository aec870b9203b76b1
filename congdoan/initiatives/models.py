"""Initiative programmes, initiatives and contests (domain §4, "Initiatives").

- `Programme`: an initiative programme ("1 triệu sáng kiến") organised by a unit. Its dates and
  phases are indicator periods (`indicators.Period` of kind "programme", its parts of kind
  "phase"), and its targets per unit and phase are indicator targets (`indicators.Target`) of
  the indicators it counts: nothing of either is copied here.
- `Initiative` (register "initiatives"): an initiative of a unit submitted to a programme on a
  day (which gives its phase), with its authors (`Author`: members linked within the unit's
  subtree, or people named only), its field, the decision on it (valid / rejected, the day and
  the reason) and its estimated benefit in đồng.
- `Contest` (register "contests"): a technical-innovation contest (Hội thi sáng tạo kỹ thuật) or
  a quiz (cuộc thi tìm hiểu) organised by a unit, with its entries (`Entry`: title, authors,
  the entrant's unit, the prize) and, for quizzes, its participants (`Participant`: a count of a
  unit's people, or one named member).

Programmes and contests are seen by the officers of the organiser's subtree and of the units
above it (`OrganisedQuerySet`): a province's contest is open to its grassroots unions. The
records of units (initiatives, entries, participants) follow their unit's path, and pages show
a viewer only those of units in their scope.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, scope_prefixes, scope_q
from congdoan.core.text import fold, nfc

STEP = 4  # organisation.Unit.steplen


class OrganisedQuerySet(ScopedQuerySet[Any]):
    """Rows organised by a unit (`unit`): seen by whoever sees that unit, and by the officers of
    the units below it, who take part (a province's programme or contest)."""

    def visible_to(self, user: Any, action: Action = Action.INDICATORS_VIEW) -> Any:
        prefixes = scope_prefixes(user, action)
        if prefixes is None:
            return self
        q = scope_q(user, action, "unit__path")
        assert q is not None
        above = {p[:i] for p in prefixes for i in range(STEP, len(p), STEP)}
        if above:
            q |= Q(unit__path__in=sorted(above))
        return self.filter(q)


class Programme(models.Model):
    """An initiative programme: its period (with the phases as its parts), organiser and the
    indicators it counts (their targets per phase are the indicator targets)."""

    period = models.OneToOneField(
        "indicators.Period",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme period"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organising unit"),
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator", related_name="+", blank=True, verbose_name=_("indicators counted")
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-period__end", "pk"]
        verbose_name = _("initiative programme")
        verbose_name_plural = _("initiative programmes")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.description = nfc(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("initiatives:programme_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return str(self.period.name)


class Field(models.TextChoices):
    TECHNICAL = "technical", _("Engineering and technology")
    PRODUCTION = "production", _("Production and business")
    MANAGEMENT = "management", _("Management and administration")
    DIGITAL = "digital", _("Digital transformation")
    EDUCATION = "education", _("Education and training")
    HEALTH = "health", _("Health care")
    SAFETY = "safety", _("Occupational safety and environment")
    OTHER = "other", _("Other field")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    VALID = "valid", _("valid")
    REJECTED = "rejected", _("rejected")


class Initiative(models.Model):
    """An initiative submitted to a programme by people of a unit."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("programme"),
    )
    phase = models.ForeignKey(
        "indicators.Period",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase"),
    )
    title = models.CharField(_("title"), max_length=500)
    field = models.CharField(_("field"), max_length=12, choices=Field.choices, default=Field.OTHER)
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("reason of the decision"), max_length=1000, blank=True)
    benefit = models.DecimalField(
        _("estimated benefit (đồng)"), max_digits=20, decimal_places=0, null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    # "Bằng Lao động sáng tạo" of the VGCL (the awards register, issue 15, records the award).
    creative_labour_on = models.DateField(
        _("Creative Labour certificate received on"), null=True, blank=True
    )
    search_text = models.CharField(max_length=1500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [
            models.Index(fields=["unit", "submitted_on"], name="initiative_unit_day"),
            models.Index(fields=["programme", "phase"], name="initiative_phase"),
            # The list's order (newest first) walked backwards: a province's first page
            # without sorting its year (docs/benchmarks.md, activity registers).
            models.Index(fields=["submitted_on", "id"], name="initiative_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit__isnull=True) | Q(benefit__gte=0),
                name="initiative_benefit_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_on__isnull=False),
                name="initiative_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.summary = nfc(self.title), nfc(self.summary)
        self.decision_note = nfc(self.decision_note)
        update = kwargs.get("update_fields")
        if update is None or "title" in update:
            self.search_text = fold(self.title)[:1500]
            if update is not None:
                kwargs["update_fields"] = [*update, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.pk])


class Author(models.Model):
    """An author of an initiative: a member of a union within the initiative's unit (linked to
    the register), or a person named only (outside the union, or not in the register)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authors")
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    workplace = models.CharField(_("workplace"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "initiative__unit__path"

    class Meta:
        ordering = ["initiative", "order", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name, self.workplace = nfc(self.full_name), nfc(self.workplace)
        super().save(*args, **kwargs)


class ContestKind(models.TextChoices):
    INNOVATION = "innovation", _("Technical innovation contest (Hội thi sáng tạo kỹ thuật)")
    QUIZ = "quiz", _("Quiz (cuộc thi tìm hiểu)")


class Contest(models.Model):
    """A contest a unit organises, from `starts_on` to `ends_on` (its figures count on the day
    it ends)."""

    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organising unit"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContestKind.choices)
    title = models.CharField(_("title"), max_length=500)
    number = models.PositiveSmallIntegerField(_("edition (lần thứ)"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = OrganisedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-ends_on", "-pk"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        indexes = [models.Index(fields=["unit", "ends_on"], name="contest_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contest_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.description = nfc(self.title), nfc(self.description)
        update = kwargs.get("update_fields")
        if update is None or "title" in update:
            self.search_text = fold(self.title)[:500]
            if update is not None:
                kwargs["update_fields"] = [*update, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("initiatives:contest_detail", args=[self.pk])

    @property
    def is_quiz(self) -> bool:
        return self.kind == ContestKind.QUIZ


class Prize(models.TextChoices):
    FIRST = "first", _("first prize")
    SECOND = "second", _("second prize")
    THIRD = "third", _("third prize")
    CONSOLATION = "consolation", _("consolation prize")


PRIZE_ORDER = {Prize.FIRST: 1, Prize.SECOND: 2, Prize.THIRD: 3, Prize.CONSOLATION: 4}


class Entry(models.Model):
    """An entry of a contest (a work, a solution, a quiz paper) by people of a unit within the
    organiser's subtree, and the prize it won."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entrant's unit"),
    )
    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(_("authors"), max_length=1000, blank=True)
    prize = models.CharField(_("prize"), max_length=12, choices=Prize.choices, blank=True)
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("initiative"),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["contest", "title", "pk"]
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.authors = nfc(self.title), nfc(self.authors)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.contest.get_absolute_url()}#entries"


class Participant(models.Model):
    """People of a unit who took part in a quiz: a count, or one named member (who counts
    one)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    count = models.PositiveIntegerField(_("participants"), default=1)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["contest", "unit__name", "pk"]
        verbose_name = _("quiz participation")
        verbose_name_plural = _("quiz participations")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="participant_count_positive")
        ]

    def __str__(self) -> str:
        return self.full_name or str(self.count)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = nfc(self.full_name)
        super().save(*args, **kwargs)
