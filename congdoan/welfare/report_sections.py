"""The welfare section of the periodic report (registered with reports.sections).

The figures — agreements signed, members who used them, uses, value — are told by the results
from the indicators (reports/compose.py). This section tells what they do not: who the partners
are and what they give. "Đối tác của Chương trình “Vì phúc lợi đoàn viên” gồm 5 ngân hàng, 3
cơ sở thương mại và 2 cơ sở y tế. Được đoàn viên sử dụng nhiều nhất: Siêu thị Co.opmart Lai
Châu – giảm 5% giá trị hóa đơn (12.300 lượt, hơn 1,2 tỷ đồng); … Thỏa thuận ký mới từ ngày …
đến ngày …: …" (each partner once; a benefit's semicolons become commas).

From the agreements of the subject's subtree in force during the report's span, of units
keeping the register in the span's last year, and their uses in the span counted as the figures
count them (`indicator_definitions.uses_q`). Silent (no section) when there is none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.activities import registers
from congdoan.core.formats import number
from congdoan.core.scoping import path_range_q
from congdoan.indicators.wording import money
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register
from congdoan.welfare.indicator_definitions import uses_q
from congdoan.welfare.models import (
    REGISTER,
    Agreement,
    BenefitUse,
    PartnerKind,
    partner_key,
    rate_label,
)

MOST_USED = 5  # partners named with their uses
NEW_NAMED = 5  # new agreements named
BENEFIT_CHARS = 90  # of a benefit's description in the text


@dataclass(frozen=True)
class PartnerLine:
    name: str
    benefits: str
    discount: Decimal | None
    uses: int = 0
    value: Decimal = Decimal(0)


@dataclass(frozen=True)
class WelfareFacts:
    start: dt.date
    end: dt.date
    partners: list[tuple[str, int]]  # (partner kind, distinct partners), most first
    most_used: list[PartnerLine]  # partners by uses in the span, most first
    new: list[PartnerLine] = field(default_factory=list)  # agreements signed in the span


def _agreements(ctx: ReportContext, start: dt.date, end: dt.date) -> list[Agreement]:
    in_span = Q(valid_from__lte=end) & (Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    return list(
        Agreement.objects.filter(path_range_q("unit__path", ctx.unit.path))
        .filter(in_span, registers.kept_in_year_q(REGISTER, end.year))
        .order_by("signed_on", "pk")
    )


def _uses_by_agreement(
    ids: list[int], start: dt.date, end: dt.date
) -> dict[int, tuple[int, Decimal]]:
    span = SimpleNamespace(start=start, end=end)
    rows = (
        BenefitUse.objects.filter(agreement_id__in=ids)
        .filter(uses_q(span))
        .values("agreement_id")
        .annotate(n=Sum("count"), v=Sum("value"))
        .order_by()
    )
    return {r["agreement_id"]: (int(r["n"] or 0), Decimal(r["v"] or 0)) for r in rows}


def _line(a: Agreement, uses: int = 0, value: Decimal = Decimal(0)) -> PartnerLine:
    return PartnerLine(a.partner_name, a.benefits, a.discount_percent, uses, value)


def collect(ctx: ReportContext) -> WelfareFacts | None:
    start = min(p.start for p in ctx.periods)
    end = max(p.end for p in ctx.periods)
    agreements = _agreements(ctx, start, end)
    if not agreements:
        return None
    used = _uses_by_agreement([a.pk for a in agreements], start, end)
    kinds: dict[str, set[str]] = defaultdict(set)
    by_partner: dict[str, tuple[Agreement, int, Decimal]] = {}
    for a in agreements:
        key = partner_key(a.partner_name)
        kinds[a.partner_kind].add(key)
        n, v = used.get(a.pk, (0, Decimal(0)))
        _first, n0, v0 = by_partner.get(key, (a, 0, Decimal(0)))
        by_partner[key] = (a, n0 + n, v0 + v)  # the latest agreement tells the benefits
    order = {k: i for i, k in enumerate(PartnerKind.values)}
    partners = sorted(
        ((k, len(v)) for k, v in kinds.items()), key=lambda kv: (-kv[1], order[kv[0]])
    )
    ranked = sorted(by_partner.values(), key=lambda row: (-row[1], -row[2], row[0].partner_name))
    return WelfareFacts(
        start=start,
        end=end,
        partners=partners,
        most_used=[_line(a, n, v) for a, n, v in ranked if n][:MOST_USED],
        new=_new(agreements, start, end),
    )


def _new(agreements: list[Agreement], start: dt.date, end: dt.date) -> list[PartnerLine]:
    """The partners of the agreements signed in the span, once each (the latest tells)."""
    latest: dict[str, Agreement] = {}
    for a in agreements:  # by signing day
        if start <= a.signed_on <= end:
            latest.pop(partner_key(a.partner_name), None)
            latest[partner_key(a.partner_name)] = a
    return [_line(a) for a in latest.values()][-NEW_NAMED:]


# ---------------------------------------------------------------------------------------------
# Writing (pure)


def _kind_words(kind: str, n: int) -> str:
    words: dict[str, str] = {
        PartnerKind.BANK: ngettext("%(n)s bank", "%(n)s banks", n),
        PartnerKind.RETAIL: ngettext("%(n)s supermarket or shop", "%(n)s supermarkets and shops", n),
        PartnerKind.HEALTH: ngettext("%(n)s health facility", "%(n)s health facilities", n),
        PartnerKind.EDUCATION: ngettext("%(n)s school or training centre", "%(n)s schools and training centres", n),
        PartnerKind.TELECOM: ngettext("%(n)s telecommunications company", "%(n)s telecommunications companies", n),
        PartnerKind.INSURANCE: ngettext("%(n)s insurance company", "%(n)s insurance companies", n),
        PartnerKind.TRAVEL: ngettext("%(n)s tourism or transport company", "%(n)s tourism and transport companies", n),
        PartnerKind.HOUSING: ngettext("%(n)s housing project", "%(n)s housing projects", n),
        PartnerKind.OTHER: ngettext("%(n)s other partner", "%(n)s other partners", n),
    }  # fmt: skip
    return words.get(kind, words[PartnerKind.OTHER]) % {"n": number(n)}


def _names(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _benefit(line: PartnerLine) -> str:
    # Partners are separated by semicolons: within a benefit they become commas.
    text = line.benefits.split("\n", 1)[0].strip().rstrip(".;").replace(";", ",")
    if len(text) > BENEFIT_CHARS:
        text = text[: BENEFIT_CHARS - 1].rsplit(" ", 1)[0] + "…"
    if not text and line.discount is not None:
        text = _("a discount of %(rate)s") % {"rate": rate_label(line.discount)}
    return f"{line.name} – {text}" if text else line.name


def _used(line: PartnerLine) -> str:
    told = ngettext("%(n)s use", "%(n)s uses", line.uses) % {"n": number(line.uses)}
    if line.value:
        told = f"{told}, {money(line.value)}"
    return f"{_benefit(line)} ({told})"


def write(data: WelfareFacts, options: Options) -> Section:
    partners = _names([_kind_words(kind, n) for kind, n in data.partners])
    sentences = [
        _("The partners of the programme “Vì phúc lợi đoàn viên” include %(partners)s.")
        % {"partners": partners}
    ]
    if data.most_used:
        sentences.append(
            _("Most used by members: %(partners)s.")
            % {"partners": "; ".join(_used(line) for line in data.most_used)}
        )
    if data.new:
        sentences.append(
            _("Agreements signed from %(start)s to %(end)s: %(partners)s.")
            % {
                "start": f"{data.start:%d/%m/%Y}",
                "end": f"{data.end:%d/%m/%Y}",
                "partners": "; ".join(_benefit(line) for line in data.new),
            }
        )
    heading = options.headings.get("welfare", str(_("Welfare programme for members")))
    return Section("welfare", heading, [Paragraph(" ".join(sentences))])


register(
    "welfare",
    label=gettext_lazy("Welfare programme for members"),
    order=400,
    collect=collect,
    write=write,
)
