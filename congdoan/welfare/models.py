"""The welfare programme "Vì phúc lợi đoàn viên" (domain §4): the agreements (thỏa thuận hợp
tác) a unit signs with partners — banks, supermarkets, clinics, schools… — and the uses members
make of them, with the value of the benefit in đồng.

Whose records: an agreement belongs to the unit that signed it, and so do its uses (`BenefitUse.
unit` is a copy of the agreement's unit, which never changes), whoever the members are. A
province that keeps the register counts the uses of its own agreements — named members or the
counts partners report ("1.250 lượt đoàn viên") — in its own figures; the units below enter, or
record, only the uses of their own agreements, so nothing is counted twice.

A use names a member (linked to the register: it shows on the member page) or only a count of
uses without names. "Members who used them" (`dv_huong_phuc_loi`) counts, per unit and period,
the distinct named members plus the anonymous counts.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.formats import number
from congdoan.core.scoping import ScopedQuerySet
from congdoan.core.text import fold, nfc

REGISTER = "welfare"
_NOT_WORD = re.compile(r"[\W_]+")


def partner_key(name: str | None) -> str:
    """A partner's name compared without case, diacritics or punctuation: "Ngân hàng A – CN
    Lai Châu" and "ngan hang a - cn lai chau" are one partner."""
    return " ".join(_NOT_WORD.sub(" ", fold(name)).split())


def rate_label(rate: Decimal | None) -> str:
    """12,5% / 5%: a percentage with the decimals it has (at most two)."""
    if rate is None:
        return ""
    places = max(0, -int(rate.normalize().as_tuple().exponent))
    return f"{number(rate, min(places, 2))}%"


class PartnerKind(models.TextChoices):
    BANK = "bank", _("Bank")
    RETAIL = "retail", _("Supermarket or shop")
    HEALTH = "health", _("Hospital or clinic")
    EDUCATION = "education", _("School or training centre")
    TELECOM = "telecom", _("Telecommunications")
    INSURANCE = "insurance", _("Insurance")
    TRAVEL = "travel", _("Tourism, hotel or transport")
    HOUSING = "housing", _("Housing")
    OTHER = "other", _("Other partner")


class Agreement(models.Model):
    """A cooperation agreement of `unit` with a partner giving members benefits."""

    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="welfare_agreements",
        verbose_name=_("signing unit"),
    )
    number = models.CharField(_("document number"), max_length=60, blank=True)
    partner_name = models.CharField(_("partner"), max_length=300)
    partner_kind = models.CharField(
        _("kind of partner"), max_length=12, choices=PartnerKind.choices
    )
    partner_address = models.CharField(_("partner's address"), max_length=300, blank=True)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    benefits = models.TextField(_("benefits"))
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.CharField(max_length=700, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("welfare agreement")
        verbose_name_plural = _("welfare agreements")
        indexes = [models.Index(fields=["unit", "signed_on"], name="welfare_agreement_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="welfare_agreement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True)
                | Q(discount_percent__gte=0, discount_percent__lte=100),
                name="welfare_agreement_discount_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_name} ({self.signed_on:%d/%m/%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalise()
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("welfare:detail", args=[self.pk])

    def normalise(self) -> Agreement:
        """NFC texts and the search column (also for rows created in bulk, without `save`)."""
        for name in ("number", "partner_name", "partner_address", "benefits", "notes"):
            setattr(self, name, nfc(getattr(self, name)))
        self.search_text = fold(f"{self.partner_name} {self.number} {self.benefits}")[:700]
        return self

    @property
    def discount_label(self) -> str:
        """ "5%", "0,5%" (in the active language's format), "" without a discount."""
        return rate_label(self.discount_percent)

    def in_force_on(self, day: Any) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class BenefitUse(models.Model):
    """Uses of an agreement on a day: by a member (linked), or `count` uses without names, with
    the value of the benefit in đồng."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="uses", verbose_name=_("agreement")
    )
    # The agreement's unit (whose record this is), copied for scoping and the figures' indexes.
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="welfare_uses",
        verbose_name=_("member"),
    )
    count = models.PositiveIntegerField(_("number of uses"), default=1)
    used_on = models.DateField(_("used on"))
    value = models.DecimalField(
        _("value of the benefit (đồng)"), max_digits=16, decimal_places=0, default=0
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-used_on", "-pk"]
        verbose_name = _("use of a welfare agreement")
        verbose_name_plural = _("uses of welfare agreements")
        indexes = [models.Index(fields=["unit", "used_on"], name="welfare_use_unit_day")]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="welfare_use_count_positive"),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="welfare_use_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.partner_name} – {self.used_on:%d/%m/%Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.description = nfc(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{reverse('welfare:detail', args=[self.agreement_id])}#uses"
