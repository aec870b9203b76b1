"""The movements section of the periodic report (registered with reports.sections).

What the indicator paragraphs (reports/compose.py) do not already say, from the records of the
subject's subtree as it stood at the end of the report's span (or of a cluster's units), kept by
units keeping the register (`registers.kept_q`, as the derived figures count them):

    "Có 3 công trình, phần việc chào mừng Đại hội XIII Công đoàn tỉnh, tổng giá trị 2,5 tỷ đồng:
    Nhà văn hóa công nhân (CĐCS Thủy điện, 1,2 tỷ đồng), … Mô hình “Dân vận khéo”: … Tuyên
    truyền Nghị quyết 02-NQ/TW: 45/45 CĐCS (100%). Ký mới 4, ký lại 6 bản thỏa ước lao động tập
    thể, 1.250 người lao động được hưởng; xếp loại A: 2, B: 3. 12 cuộc đối thoại tại 9 đơn vị."

Silent (no section) when nothing was recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.activities import registers
from congdoan.activities.models import Keeping
from congdoan.core.formats import number
from congdoan.core.scoping import path_range_q
from congdoan.indicators.wording import money, percent
from congdoan.movements.models import REGISTER, Activity, ActivityKind, Agreement
from congdoan.organisation.models import ClusterMembership, Unit, UnitVersion
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register

NAMED = 8  # works and models named; the others counted
TOPICS = 5  # resolutions told


@dataclass(frozen=True)
class Work:
    title: str
    unit: str
    value: Decimal | None


@dataclass(frozen=True)
class Propagated:
    topic: str
    unions: int  # grassroots unions that held at least one session on it


@dataclass(frozen=True)
class MovementsFacts:
    events: list[str]  # what the congress works were dedicated to
    works: list[Work]  # the congress works named (largest value first)
    works_count: int
    works_value: Decimal | None
    models: list[str]  # "Dân vận khéo" models named
    models_count: int
    grassroots: int  # grassroots unions of the subtree at the end
    keeping: int  # … of them keeping the register in the end's year
    propagated: list[Propagated]
    agreements: dict[str, int] = field(default_factory=dict)  # new, renewed, workers, A, B, C
    dialogues: tuple[int, int, int] = (0, 0, 0)  # dialogues, units, participants

    def said(self) -> bool:
        return bool(
            self.works_count
            or self.models_count
            or self.propagated
            or any(self.agreements.values())
            or self.dialogues[0]
        )


# ---------------------------------------------------------------------------------------------
# Collect


def _paths(ctx: ReportContext, end: dt.date) -> list[str]:
    """The subject's path as the tree stood at `end`, or its cluster's units' paths."""
    units = [ctx.unit.pk]
    if ctx.cluster is not None:
        units = list(
            ClusterMembership.objects.filter(cluster=ctx.cluster, year=end.year).values_list(
                "unit_id", flat=True
            )
        )
    return list(
        UnitVersion.objects.on(end).filter(unit_id__in=units).values_list("path", flat=True)
    )


def _subtree(paths: list[str], end: dt.date) -> QuerySet[Any]:
    """The ids of the units of the subtrees on `end` (a subquery)."""
    q = Q(pk__in=[])
    for path in paths:
        q |= path_range_q("path", path)
    return UnitVersion.objects.on(end).filter(q).values("unit_id")


def _works(rows: QuerySet[Activity]) -> tuple[list[str], list[Work], int, Decimal | None]:
    works = rows.filter(kind=ActivityKind.WORK, for_congress=True)
    total = works.aggregate(n=Count("pk"), value=Sum("value"))
    named = works.select_related("unit").order_by("-value", "on", "pk")[:NAMED]
    events = sorted(set(works.values_list("event", flat=True)))
    return (
        events,
        [Work(w.title, w.unit.short_name or w.unit.name, w.value) for w in named],
        total["n"],
        total["value"],
    )


def _propagated(rows: QuerySet[Activity]) -> list[Propagated]:
    topics = (
        rows.filter(kind=ActivityKind.PROPAGANDA, unit__unit_type__is_grassroots=True)
        .values("search")
        .annotate(unions=Count("unit", distinct=True), topic=Min("title"))
        .order_by("-unions", "topic")[:TOPICS]
    )
    return [Propagated(t["topic"], t["unions"]) for t in topics]


def _grassroots(subtree: QuerySet[Any], end: dt.date) -> tuple[int, int]:
    """Grassroots unions of the subtree standing on `end`, and those keeping the register."""
    standing = Unit.objects.filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end),
        pk__in=Subquery(subtree),
        unit_type__is_grassroots=True,
        founded_on__lte=end,
    )
    kept = Keeping.objects.filter(
        Q(until_year__isnull=True) | Q(until_year__gte=end.year),
        register=REGISTER,
        from_year__lte=end.year,
        unit__in=standing,
    )
    return standing.count(), kept.count()


def _agreements(rows: QuerySet[Agreement]) -> dict[str, int]:
    found = rows.aggregate(
        new=Count("pk", filter=Q(renewed=False)),
        renewed=Count("pk", filter=Q(renewed=True)),
        workers=Sum("workers"),
        A=Count("pk", filter=Q(rating="A")),
        B=Count("pk", filter=Q(rating="B")),
        C=Count("pk", filter=Q(rating="C")),
    )
    return {k: int(v or 0) for k, v in found.items()}


def collect(ctx: ReportContext) -> MovementsFacts | None:
    start = min(p.start for p in ctx.periods)
    end = max(p.end for p in ctx.periods)
    subtree = _subtree(_paths(ctx, end), end)
    rows = Activity.objects.filter(unit_id__in=Subquery(subtree)).filter(
        registers.kept_q(REGISTER, start, end, day="on")
    )
    events, works, works_count, works_value = _works(rows)
    models = rows.filter(kind=ActivityKind.MODEL, dan_van_kheo=True)
    dialogues = rows.filter(kind=ActivityKind.DIALOGUE).aggregate(
        n=Count("pk"), units=Count("unit", distinct=True), people=Sum("participants")
    )
    propagated = _propagated(rows)
    grassroots, keeping = _grassroots(subtree, end) if propagated else (0, 0)
    agreements = Agreement.objects.filter(unit_id__in=Subquery(subtree)).filter(
        registers.kept_q(REGISTER, start, end, day="signed_on")
    )
    data = MovementsFacts(
        events=events,
        works=works,
        works_count=works_count,
        works_value=works_value,
        models=list(models.order_by("on", "pk").values_list("title", flat=True)[:NAMED]),
        models_count=models.count(),
        grassroots=grassroots,
        keeping=keeping,
        propagated=propagated,
        agreements=_agreements(agreements),
        dialogues=(dialogues["n"], dialogues["units"], int(dialogues["people"] or 0)),
    )
    return data if data.said() else None


# ---------------------------------------------------------------------------------------------
# Write (pure)


def _others(more: int, models: bool) -> str:
    if models:
        return ngettext("%(n)s other model", "%(n)s other models", more) % {"n": number(more)}
    return ngettext("%(n)s other work", "%(n)s other works", more) % {"n": number(more)}


def _listed(names: list[str], total: int, *, models: bool = False) -> str:
    """ "A, B và C", or "A, B và 5 công trình khác" when more were recorded than named."""
    more = total - len(names)
    if more > 0:
        names = [*names, _others(more, models)]
    if len(names) < 2:
        return "".join(names)
    return _("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def _work(work: Work) -> str:
    if work.value:
        return f"{work.title} ({work.unit}, {money(work.value, approximate=False)})"
    return f"{work.title} ({work.unit})"


def _works_text(data: MovementsFacts) -> str:
    text = ngettext(
        "%(n)s emulation work or task was dedicated to %(events)s",
        "%(n)s emulation works and tasks were dedicated to %(events)s",
        data.works_count,
    ) % {"n": number(data.works_count), "events": "; ".join(data.events)}
    if data.works_value:
        text += ", " + _("worth %(value)s in all") % {"value": money(data.works_value)}
    listed = _listed([_work(w) for w in data.works], data.works_count)
    return f"{text}: {listed}."


def _models_text(data: MovementsFacts) -> str:
    return ngettext(
        "%(n)s “Dân vận khéo” model: %(models)s.",
        "%(n)s “Dân vận khéo” models: %(models)s.",
        data.models_count,
    ) % {
        "n": number(data.models_count),
        "models": _listed(data.models, data.models_count, models=True),
    }


def _propaganda_text(data: MovementsFacts) -> str:
    parts = []
    for p in data.propagated:
        share = Decimal(100 * p.unions) / data.grassroots if data.grassroots else None
        shown = (
            f"{number(p.unions)}/{number(data.grassroots)}" if data.grassroots else number(p.unions)
        )
        parts.append(f"{p.topic} {shown}" + (f" ({percent(share)})" if share is not None else ""))
    text = _("Grassroots unions that propagated the resolutions: %(topics)s.") % {
        "topics": "; ".join(parts)
    }
    if data.keeping < data.grassroots:
        text += " " + _("From the records of %(kept)s of the %(of)s grassroots unions.") % {
            "kept": number(data.keeping),
            "of": number(data.grassroots),
        }
    return text


def _agreements_text(counts: dict[str, int]) -> str:
    text = _("%(new)s new and %(renewed)s renewed collective labour agreements were signed") % {
        "new": number(counts.get("new", 0)),
        "renewed": number(counts.get("renewed", 0)),
    }
    if counts.get("workers"):
        text += ", " + _("covering %(n)s workers") % {"n": number(counts["workers"])}
    rated = [f"{r}: {number(counts[r])}" for r in ("A", "B", "C") if counts.get(r)]
    if rated:
        text += "; " + _("rated %(ratings)s") % {"ratings": ", ".join(rated)}
    return text + "."


def _dialogues_text(dialogues: tuple[int, int, int]) -> str:
    n, units, people = dialogues
    text = ngettext(
        "%(n)s workplace dialogue was held at %(units)s units",
        "%(n)s workplace dialogues were held at %(units)s units",
        n,
    ) % {"n": number(n), "units": number(units)}
    if people:
        text += ", " + _("with %(n)s participants") % {"n": number(people)}
    return text + "."


def write(data: MovementsFacts, options: Options) -> Section:
    said = []
    if data.works_count:
        said.append(_works_text(data))
    if data.models_count:
        said.append(_models_text(data))
    if data.propagated:
        said.append(_propaganda_text(data))
    if any(data.agreements.get(k) for k in ("new", "renewed")):
        said.append(_agreements_text(data.agreements))
    if data.dialogues[0]:
        said.append(_dialogues_text(data.dialogues))
    heading = options.headings.get("movements", str(_("Movements, models and workplace democracy")))
    return Section("movements", heading, [Paragraph(text) for text in said])


register(
    "movements",
    label=gettext_lazy("Movements, models and workplace democracy"),
    order=600,
    collect=collect,
    write=write,
)
