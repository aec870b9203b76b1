"""The care register (domain §4, issue 14): what the unions give their members and others.

- `CareRecord`: one act of care by a unit (`unit`, the giving unit) on a day (`on`): a gift
  (*suất quà*), cash support, a visit to a sick member, a union meal (*bữa cơm công đoàn*),
  support to develop household economy (lent or given), or a *Mái ấm Công đoàn* house built or
  repaired (with its address and handover day). The beneficiary is a member (linked: the record
  shows on the member page), a named person who is not a member (with a kind: worker, child,
  family, resident of a poor area), or a group given a number of portions without names
  ("200 suất quà cho trẻ em vùng khó khăn": quantity 200, no person).
- `Funding`: the record's funding lines — union funds of a level (grassroots, the level directly
  above, province, Confederation) and mobilised donors (*xã hội hóa*, with the donor's name).
  The record's `value` is the sum of its lines and `mobilised` the sum of its donor lines; both
  are kept by the services that write the lines (`services.py`), so that the indicators read one
  table.
- `Campaign`: Tết 2026, Tháng Công nhân 2026…: a name, the organising unit and dates; records of
  units in the organiser's subtree, dated within its days, belong to it.

Records are scoped by their unit's path; campaigns by their organiser's, and a campaign is also
seen from every unit below its organiser (a grassroots officer picks the province's campaign).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import Action
from congdoan.core.scoping import ScopedQuerySet, scope_prefixes, scope_q
from congdoan.core.text import fold, nfc

MONEY_DIGITS = 15  # đồng, whole: up to 999 trillion on one line


class CareKind(models.TextChoices):
    GIFT = "gift", _("Gift (suất quà)")
    CASH = "cash", _("Cash support")
    VISIT = "visit", _("Visit to a sick member")
    MEAL = "meal", _("Union meal (bữa cơm công đoàn)")
    ECONOMY = "economy", _("Support to develop household economy")
    HOUSE = "house", _("Mái ấm Công đoàn house")


# Gifts and cash support are counted in portions (suất quà).
PORTION_KINDS = (CareKind.GIFT, CareKind.CASH)


class Beneficiary(models.TextChoices):
    MEMBER = "member", _("A member")
    PERSON = "person", _("A named person who is not a member")
    GROUP = "group", _("A group (portions without names)")


class RecipientKind(models.TextChoices):
    """Who a person or a group not recorded as members is."""

    WORKER = "worker", _("Worker who is not a member")
    CHILD = "child", _("Child")
    FAMILY = "family", _("Family or household")
    RESIDENT = "resident", _("Resident of a poor area")


# Gifts to these (children, families, residents of poor areas) are the community's portions
# (`suat_qua_cong_dong`); to members and workers, the members' (`suat_qua`).
COMMUNITY_KINDS = (RecipientKind.CHILD, RecipientKind.FAMILY, RecipientKind.RESIDENT)


class HouseWork(models.TextChoices):
    BUILD = "build", _("Built new")
    REPAIR = "repair", _("Repaired")


class EconomyForm(models.TextChoices):
    LENT = "lent", _("Lent")
    GIVEN = "given", _("Given")


class FundSource(models.TextChoices):
    GRASSROOTS = "grassroots", _("Union funds of the grassroots union")
    DISTRICT = "district", _("Union funds of the level directly above grassroots")
    PROVINCE = "province", _("Union funds of the province or central sector union")
    CONFEDERATION = "confederation", _("Union funds of the Confederation (Tổng LĐLĐ)")
    DONOR = "donor", _("Mobilised donors (xã hội hóa)")


# ---------------------------------------------------------------------------------------------
# Campaigns


def ancestor_paths(paths: list[str], steplen: int = 4) -> list[str]:
    """Every proper ancestor's path of the given paths (materialized path steps)."""
    out: set[str] = set()
    for path in paths:
        out.update(path[:i] for i in range(steplen, len(path), steplen))
    return sorted(out)


class CampaignQuerySet(ScopedQuerySet["Campaign"]):
    def visible_to(self, user: Any, action: Action = Action.INDICATORS_VIEW) -> CampaignQuerySet:
        """Campaigns organised within the user's scope, or by a unit above it (the units below
        an organiser take part in its campaigns)."""
        q = scope_q(user, action, "unit__path")
        if q is None:
            return self
        above = ancestor_paths(scope_prefixes(user, action) or [])
        return self.filter(q | Q(unit__path__in=above)) if above else self.filter(q)


class Campaign(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="care_campaigns",
        verbose_name=_("organising unit"),
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-start", "name", "pk"]
        verbose_name = _("care campaign")
        verbose_name_plural = _("care campaigns")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="care_campaign_name_once"),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="care_campaign_days_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name, self.description = nfc(self.name), nfc(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("care:campaign_detail", args=[self.pk])


# ---------------------------------------------------------------------------------------------
# Records


class CareRecord(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="care_records",
        verbose_name=_("giving unit"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CareKind.choices)
    on = models.DateField(_("date"))
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("campaign"),
    )
    beneficiary = models.CharField(_("beneficiary"), max_length=10, choices=Beneficiary.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_records",
        verbose_name=_("member"),
    )
    person_name = models.CharField(_("name of the person or group"), max_length=200, blank=True)
    recipient_kind = models.CharField(
        _("who they are"), max_length=10, choices=RecipientKind.choices, blank=True
    )
    # Personal data of a person who is not a member: masked unless members.view_personal.
    citizen_id = models.CharField(_("citizen ID"), max_length=12, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("portions / people"), default=1)
    value = models.DecimalField(
        _("value (đồng)"), max_digits=MONEY_DIGITS, decimal_places=0, default=Decimal(0)
    )
    mobilised = models.DecimalField(
        _("of which mobilised (đồng)"),
        max_digits=MONEY_DIGITS,
        decimal_places=0,
        default=Decimal(0),
    )
    house_work = models.CharField(
        _("house work"), max_length=10, choices=HouseWork.choices, blank=True
    )
    handover_on = models.DateField(_("handed over on"), null=True, blank=True)
    # The day the record counts in the indicators (kept by `save()`; bulk writers call
    # `refresh_derived()`): a house on its handover day (none while it is being built),
    # everything else on its date.
    counted_on = models.DateField(_("counted on"), null=True, blank=True, editable=False)
    economy_form = models.CharField(
        _("lent or given"), max_length=10, choices=EconomyForm.choices, blank=True
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    TEXT_FIELDS = ("person_name", "citizen_id", "phone", "address", "description")
    PERSONAL_FIELDS = ("citizen_id", "phone", "date_of_birth")

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("care record")
        verbose_name_plural = _("care records")
        indexes = [
            models.Index(fields=["unit", "on"], name="care_record_unit_day"),
            models.Index(fields=["unit", "counted_on"], name="care_record_unit_counted"),
            models.Index(fields=["on", "id"], name="care_record_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="care_quantity_positive"),
            models.CheckConstraint(
                condition=Q(value__gte=0)
                & Q(mobilised__gte=0)
                & Q(mobilised__lte=models.F("value")),
                name="care_money_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(beneficiary="member") | Q(member__isnull=False),
                name="care_member_beneficiary_linked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.beneficiary_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "counted_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("care:detail", args=[self.pk])

    def refresh_derived(self) -> None:
        """Normalise the texts to NFC and recompute the search text and the counting day (also
        for bulk writes)."""
        for name in self.TEXT_FIELDS:
            setattr(self, name, nfc(getattr(self, name)))
        self.search_text = self.search_key()
        self.counted_on = self.handover_on if self.kind == CareKind.HOUSE else self.on

    def search_key(self) -> str:
        name = self.member.full_name if self.member_id and self.member else self.person_name
        return fold(f"{name} {self.description} {self.address}")[:600]

    @property
    def beneficiary_name(self) -> str:
        if self.member_id and self.member is not None:
            return self.member.full_name
        return self.person_name


class Funding(models.Model):
    """One funding line of a record: a source and its amount."""

    record = models.ForeignKey(CareRecord, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("source"), max_length=14, choices=FundSource.choices)
    donor = models.CharField(_("donor"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (đồng)"), max_digits=MONEY_DIGITS, decimal_places=0)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "record__unit__path"

    class Meta:
        ordering = ["record", "pk"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_funding_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.donor = nfc(self.donor)
        super().save(*args, **kwargs)
