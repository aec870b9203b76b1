"""The organisation tree, its effective-dated history, reorganisations and the bodies around units.

- `Unit` is the current tree (django-treebeard materialized path). Dissolved units stay in place,
  marked by `dissolved_on`, so every record that points to them keeps its meaning.
- `UnitVersion` is the effective-dated history: one row per unit per period in which its name,
  type, address, parent and path did not change. The tree "as of D" is the set of versions valid
  on D; a subtree as of D is a path range over them.
- `ReorgEvent` + `LineageLink` record each reorganisation and which old units became which new ones.
- Catalogues (`Level`, `UnitType`, `Sector`, `OwnershipType`, `Position`) are data, edited in the
  admin, with validity dates where the Charter changes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, path_range_q
from congdoan.core.text import fold, nfc

# ---------------------------------------------------------------------------------------------
# Catalogues


class Level(models.Model):
    """A level of the union system (central, provincial, directly above grassroots, …)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("0 for the central level; a child's rank is always greater.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self) -> str:
        return self.name


class UnitType(models.Model):
    """A kind of union body (LĐLĐ tỉnh, Công đoàn xã, CĐCS, …) at a level, valid for a period."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="unit_types")
    is_grassroots = models.BooleanField(_("grassroots union"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Last day on which it may be used.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["level__rank", "order", "name"]
        verbose_name = _("unit type")
        verbose_name_plural = _("unit types")

    def __str__(self) -> str:
        return self.name

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Sector(models.Model):
    """Sector (ngành) of a unit: education, health, industry, …"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class OwnershipType(models.Model):
    """Ownership type of the employer: state enterprise, non-state, FDI, cooperative, …"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_enterprise = models.BooleanField(_("enterprise"), default=True)
    is_state = models.BooleanField(_("state-owned or state-funded"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("ownership type")
        verbose_name_plural = _("ownership types")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Units


class UnitQuerySet(MP_NodeQuerySet, ScopedQuerySet["Unit"]):
    def active_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(founded_on__lte=day).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )

    def active(self) -> UnitQuerySet:
        return self.filter(dissolved_on__isnull=True)

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path_range_q("path", unit.path))

    def search(self, text: str) -> UnitQuerySet:
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """A union body in the current tree."""

    steplen = 4
    # Paths compare bytewise ("C" collation on PostgreSQL, set by a migration).
    path = models.CharField(max_length=255, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children_set",
        verbose_name=_("parent unit"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("official name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    unit_type = models.ForeignKey(
        UnitType, on_delete=models.PROTECT, related_name="units", verbose_name=_("unit type")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sector")
    )
    ownership = models.ForeignKey(
        OwnershipType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("ownership type"),
    )
    province_code = models.PositiveIntegerField(_("province"), null=True, blank=True)
    ward_code = models.PositiveIntegerField(_("commune / ward"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    founded_on = models.DateField(_("founded on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolution_reason = models.CharField(_("dissolution reason"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "search_text"])

    objects = UnitManager()
    scope_path = "path"

    # Fields whose changes are effective-dated (copied into UnitVersion).
    VERSIONED_FIELDS = (
        "code",
        "name",
        "short_name",
        "unit_type_id",
        "sector_id",
        "ownership_id",
        "province_code",
        "ward_code",
        "address",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            models.Index(fields=["parent", "dissolved_on"]),
            # Counting or listing the active units of a subtree reads this index only.
            models.Index(
                fields=["path"], condition=Q(dissolved_on__isnull=True), name="unit_active_path"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = nfc(self.code).upper()
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.address = nfc(self.address)
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & {"name", "short_name", "code"}:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def active_on(self, day: dt.date) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)

    @property
    def province_name(self) -> str:
        from congdoan.organisation.divisions import province_name

        return province_name(self.province_code)

    @property
    def ward_name(self) -> str:
        from congdoan.organisation.divisions import ward_name

        return ward_name(self.ward_code)


class UnitVersionQuerySet(ScopedQuerySet["UnitVersion"]):
    def on(self, day: dt.date) -> UnitVersionQuerySet:
        """Versions valid on `day` (valid_from inclusive, valid_to exclusive)."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def current(self) -> UnitVersionQuerySet:
        return self.filter(valid_to__isnull=True)

    def search(self, text: str) -> UnitVersionQuerySet:
        """Versions whose name, short name or code of their period hold every word of `text`
        (case and diacritics ignored), as `UnitQuerySet.search` for today's names."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class UnitVersion(models.Model):
    """A unit as it was during [valid_from, valid_to): name, type, address, parent and path."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    path = models.CharField(max_length=255)
    depth = models.PositiveIntegerField()
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("official name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    unit_type = models.ForeignKey(UnitType, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, related_name="+")
    ownership = models.ForeignKey(
        OwnershipType, on_delete=models.PROTECT, null=True, related_name="+"
    )
    province_code = models.PositiveIntegerField(null=True, blank=True)
    ward_code = models.PositiveIntegerField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    # The unit's folded name, short name and code of that period (`Unit.search_text` then), so
    # that the tree as of a date can be searched by the names it had.
    search_text = models.CharField(max_length=500, editable=False, default="")
    event = models.ForeignKey(
        "ReorgEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="versions"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = UnitVersionQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["unit_id", "valid_from"]
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        indexes = [
            # Covering (PostgreSQL): a subtree's versions on a day are read from the index alone
            # (the member counts of a province's 20,000 units: 38 ms instead of 61).
            models.Index(
                fields=["path", "valid_from"],
                name="unitversion_path_cover",
                include=["valid_to", "unit"],
            ),
            models.Index(fields=["unit", "valid_from"], name="unitversion_unit_from"),
            models.Index(fields=["parent", "valid_from"], name="unitversion_parent_from"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitversion_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unitversion_positive_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name or self.name} ({self.valid_from}–{self.valid_to or ''})"


# ---------------------------------------------------------------------------------------------
# Reorganisations


class ReorgKind(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Rename / update details")
    MOVE = "move", _("Move")
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    DISSOLVE = "dissolve", _("Dissolve")


class ReorgEventQuerySet(ScopedQuerySet["ReorgEvent"]):
    def visible_to(
        self, user: Any, action: Action = Action.ORGANISATION_VIEW
    ) -> ReorgEventQuerySet:
        from congdoan.core.scoping import scope_q

        q = scope_q(user, action, "path")
        if q is None:
            return self
        visible_units = Unit.objects.filter(q).values("pk")
        return self.filter(affected_units__in=visible_units).distinct()


class ReorgEvent(models.Model):
    """One reorganisation operation, effective on a date, recorded with who and when."""

    kind = models.CharField(_("operation"), max_length=16, choices=ReorgKind.choices)
    effective_date = models.DateField(_("effective date"))
    decision_ref = models.CharField(_("decision number"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    plan = models.ForeignKey(
        "ReorgPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    plan_row = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    affected_units = models.ManyToManyField(Unit, related_name="reorg_events", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ReorgEventQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("reorganisation event")
        verbose_name_plural = _("reorganisation events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"


class LineageLink(models.Model):
    """`source` (fully or partly) became `target` through `event`."""

    event = models.ForeignKey(ReorgEvent, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="lineage_out")
    target = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="lineage_in")
    members_moved = models.PositiveIntegerField(default=0)
    children_moved = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "source__path"

    class Meta:
        verbose_name = _("lineage link")
        verbose_name_plural = _("lineage links")
        constraints = [
            models.UniqueConstraint(fields=["event", "source", "target"], name="lineage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class PlanStatus(models.TextChoices):
    INVALID = "invalid", _("Has errors")
    VALID = "valid", _("Validated, not applied")
    APPLIED = "applied", _("Applied")


class ReorgPlan(models.Model):
    """An uploaded reorganisation plan: many operations with one effective date."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("owner unit")
    )
    title = models.CharField(_("title"), max_length=300)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    decision_ref = models.CharField(_("decision number"), max_length=120, blank=True)
    source_filename = models.CharField(_("file"), max_length=255, blank=True)
    rows = models.JSONField(default=list, blank=True)
    assignments = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.INVALID)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reorganisation plan")
        verbose_name_plural = _("reorganisation plans")

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------
# Emulation clusters and blocks


class ClusterKind(models.TextChoices):
    CLUSTER = "cluster", _("Emulation cluster (cụm thi đua)")
    BLOCK = "block", _("Emulation block (khối thi đua)")


class ClusterQuerySet(ScopedQuerySet["Cluster"]):
    def visible_to(self, user: Any, action: Action = Action.ORGANISATION_VIEW) -> ClusterQuerySet:
        """Visible to those who see the organising unit or one of the member units."""
        from congdoan.core.scoping import scope_q

        q_org = scope_q(user, action, "organiser__path")
        if q_org is None:
            return self
        q_member = scope_q(user, action, "memberships__unit__path")
        assert q_member is not None
        ids = self.model.objects.filter(q_member).values("pk")
        return self.filter(q_org | Q(pk__in=ids))


class Cluster(models.Model):
    """A named group of peer units across the tree (cụm / khối thi đua)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ClusterKind.choices, default=ClusterKind.CLUSTER
    )
    organiser = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="organised_clusters",
        verbose_name=_("organising unit"),
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = ClusterQuerySet.as_manager()
    scope_path = "organiser__path"

    class Meta:
        ordering = ["name"]
        verbose_name = _("emulation cluster")
        verbose_name_plural = _("emulation clusters")

    def __str__(self) -> str:
        return self.name


class ClusterMembership(models.Model):
    """A unit's membership of a cluster in a year; one member per cluster-year is the head."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cluster_memberships")
    is_head = models.BooleanField(_("head unit (cụm trưởng)"), default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["cluster", "-year", "-is_head", "unit__name"]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year", "unit"], name="cluster_member_once"),
            models.UniqueConstraint(
                fields=["cluster", "year"], condition=Q(is_head=True), name="cluster_one_head"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} {self.year}: {self.unit}"


# ---------------------------------------------------------------------------------------------
# Terms and committees


class CommitteeKind(models.TextChoices):
    BCH = "bch", _("Executive Committee (BCH)")
    BTV = "btv", _("Standing Committee (BTV)")
    UBKT = "ubkt", _("Inspection Committee (UBKT)")


class Position(models.Model):
    """A position held in a committee (Chủ tịch, Phó Chủ tịch, Ủy viên BCH, …)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    committee = models.CharField(
        _("committee"), max_length=8, choices=CommitteeKind.choices, default=CommitteeKind.BCH
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "order"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A term (nhiệm kỳ) of a unit, opened by a numbered congress (Đại hội)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("congress number"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    congress_date = models.DateField(_("congress date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["unit", "-start_year"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="term_unique_number"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="term_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.unit}"

    @property
    def roman(self) -> str:
        from congdoan.core.formats import roman

        return roman(self.number)

    @property
    def label(self) -> str:
        return gettext("Term %(number)s (%(start)s–%(end)s)") % {
            "number": self.roman,
            "start": self.start_year,
            "end": self.end_year,
        }


class CommitteeSeat(models.Model):
    """A person's seat in a committee of a term, with position and dates."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="seats")
    committee = models.CharField(_("committee"), max_length=8, choices=CommitteeKind.choices)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, verbose_name=_("position"))
    full_name = models.CharField(_("full name"), max_length=200)
    member = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="seats"
    )
    job_title = models.CharField(_("job title"), max_length=300, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason the seat ended"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "term__unit__path"

    class Meta:
        ordering = ["term", "committee", "position__order", "full_name"]
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")

    def __str__(self) -> str:
        return f"{self.full_name} — {self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = nfc(self.full_name)
        self.job_title = nfc(self.job_title)
        super().save(*args, **kwargs)
