"""The initiatives section of the periodic report (registered with reports.sections).

The results paragraphs (reports/compose.py) already tell the report's periods figure by figure
("644 sáng kiến"); this section adds what they cannot: the programmes the subject takes part in,
phase by phase and as a whole against their targets, with the subject's rank in each phase —
"Chương trình 1 triệu sáng kiến: Giai đoạn 1 có 616/76 sáng kiến, đạt 810% chỉ tiêu, xếp thứ
nhất/15 đơn vị; …; cả chương trình (02 giai đoạn) có 1.306/152 sáng kiến, đạt 859% chỉ tiêu" —
and the contests with their prizes: those the subject's subtree organised ending in the report's
span ("Hội thi Sáng tạo kỹ thuật lần thứ V có 01 đề tài đạt giải nhì … trên tổng số 20 đề
tài"), and those organised above it where its units took part. Silent when there is none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.core.formats import number, roman, vietnamese
from congdoan.core.scoping import path_range_q
from congdoan.indicators import wording
from congdoan.initiatives.models import Contest, ContestKind, Entry, Participant, Prize, Programme
from congdoan.initiatives.selectors import programme_lines
from congdoan.reports import writing as w
from congdoan.reports.document import Block, Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register

STEP = 4
MAX_CONTESTS = 10
PRIZES = [Prize.FIRST, Prize.SECOND, Prize.THIRD, Prize.CONSOLATION]


@dataclass(frozen=True)
class PhaseResult:
    name: str
    value: Decimal | None
    target: Decimal | None
    valid: Decimal | None = None  # valid initiatives, when the programme counts them
    rank: int | None = None
    rank_of: int = 0


@dataclass(frozen=True)
class ProgrammeResult:
    name: str
    unit_of_measure: str  # of the main indicator ("sáng kiến")
    phases: list[PhaseResult]
    whole: PhaseResult
    benefit: Decimal | None = None  # estimated benefit of the valid initiatives (đồng)


@dataclass(frozen=True)
class ContestResult:
    title: str
    kind: str
    number: int | None
    organiser: str
    own: bool  # organised by the subject's subtree (else: its units took part)
    entries: int
    prizes: dict[str, int] = field(default_factory=dict)
    participants: int = 0


@dataclass(frozen=True)
class InitiativesTold:
    programmes: list[ProgrammeResult]
    contests: list[ContestResult]


# ---------------------------------------------------------------------------------------------
# Collect (reads the database)


def _ancestors(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def _phase(line: object, main: str, valid: str | None, name: str) -> PhaseResult:
    cells = line.cells  # type: ignore[attr-defined]
    rank = line.rank  # type: ignore[attr-defined]
    cell = cells.get(main)
    return PhaseResult(
        name=name,
        value=cell.value if cell else None,
        target=cell.target if cell else None,
        valid=cells[valid].value if valid and valid in cells else None,
        rank=rank.rank if rank else None,
        rank_of=rank.of if rank else 0,
    )


def _programme(programme: Programme, unit: object, end: dt.date) -> ProgrammeResult | None:
    inds, main, lines = programme_lines(programme, unit)  # type: ignore[arg-type]
    if main is None:
        return None
    valid = next((i.code for i in inds if i.derivation == "initiatives_valid"), None)
    money = next((i.code for i in inds if i.value_type == "money"), None)
    phases = [
        _phase(line, main.code, valid, line.period.name)
        for line in lines[:-1]
        if line.period.start <= end
    ]
    whole = _phase(lines[-1], main.code, valid, programme.name)
    if whole.value is None or not (whole.value or any(p.value for p in phases)):
        return None
    benefit = lines[-1].cells[money].value if money and money in lines[-1].cells else None
    return ProgrammeResult(programme.name, main.unit_of_measure, phases, whole, benefit)


def _prizes(entries: object) -> dict[str, int]:
    rows = entries.exclude(prize="").values("prize").annotate(n=Count("pk"))  # type: ignore[attr-defined]
    return {r["prize"]: r["n"] for r in rows.order_by()}


def _contests(unit: object, start: dt.date, end: dt.date) -> list[ContestResult]:
    path = unit.path  # type: ignore[attr-defined]
    inside = path_range_q("unit__path", path)
    ended = Contest.objects.filter(ends_on__gte=start, ends_on__lte=end).select_related("unit")
    own = list(ended.filter(inside).order_by("ends_on", "pk")[:MAX_CONTESTS])
    above = list(
        ended.filter(unit__path__in=_ancestors(path)[:-1]).order_by("ends_on", "pk")[:MAX_CONTESTS]
    )
    out = []
    for contest, mine in [*((c, True) for c in own), *((c, False) for c in above)]:
        entries = Entry.objects.filter(contest=contest)
        people = Participant.objects.filter(contest=contest)
        if not mine:
            entries, people = entries.filter(inside), people.filter(inside)
        result = ContestResult(
            title=contest.title,
            kind=contest.kind,
            number=contest.number,
            organiser=contest.unit.short_name or contest.unit.name,
            own=mine,
            entries=entries.count(),
            prizes=_prizes(entries),
            participants=people.aggregate(n=Sum("count"))["n"] or 0,
        )
        if mine or result.entries or result.participants:
            out.append(result)
    return out


def collect(ctx: ReportContext) -> InitiativesTold | None:
    if ctx.cluster is not None:
        return None  # a cluster's report tells its figures; programmes are told by each unit
    start = min(p.start for p in ctx.periods)
    end = max(p.end for p in ctx.periods)
    programmes = (
        Programme.objects.filter(unit__path__in=_ancestors(ctx.unit.path))
        .filter(Q(period__start__lte=end) & Q(period__end__gte=start))
        .select_related("unit", "period")
        .order_by("period__start", "pk")
    )
    told = [r for p in programmes if (r := _programme(p, ctx.unit, end)) is not None]
    contests = _contests(ctx.unit, start, end)
    if not told and not contests:
        return None
    return InitiativesTold(told, contests)


# ---------------------------------------------------------------------------------------------
# Write (pure)


def _count(value: Decimal | None) -> str:
    return wording.amount(value) if value is not None else "0"


def _phase_clause(phase: PhaseResult, unit: str, options: Options) -> str:
    if phase.target:
        text = _("%(phase)s had %(fraction)s %(unit)s, %(percent)s of the target") % {
            "phase": phase.name,
            "fraction": wording.fraction(phase.value or Decimal(0), phase.target),
            "unit": unit,
            "percent": _percent(phase.value, phase.target, options),
        }
    else:
        text = _("%(phase)s had %(count)s %(unit)s") % {
            "phase": phase.name,
            "count": _count(phase.value),
            "unit": unit,
        }
    if phase.valid is not None and phase.valid != phase.value:
        text += _(", of which %(valid)s valid") % {"valid": _count(phase.valid)}
    if phase.rank:
        text += ", " + _("ranked %(rank)s units") % {
            "rank": wording.rank(phase.rank, phase.rank_of)
        }
    return text


def _percent(value: Decimal | None, target: Decimal | None, options: Options) -> str:
    exact = wording.achievement(value or Decimal(0), target)
    truncate = options.rounding == "truncate"
    return wording.percent(exact, options.percent_decimals, truncate=truncate)


def _programme_text(result: ProgrammeResult, options: Options) -> str:
    unit = wording.unit_of_measure(result.unit_of_measure)
    clauses = [_phase_clause(p, unit, options) for p in result.phases]
    count = len(result.phases)
    shown = f"{count:02d}" if vietnamese() else str(count)
    whole = result.whole
    if whole.target:
        clauses.append(
            _(
                "the whole programme (%(phases)s phases): %(fraction)s %(unit)s, %(percent)s of the target"
            )
            % {
                "phases": shown,
                "fraction": wording.fraction(whole.value or Decimal(0), whole.target),
                "unit": unit,
                "percent": _percent(whole.value, whole.target, options),
            }
        )
    elif count > 1:
        clauses.append(
            _("the whole programme (%(phases)s phases): %(count)s %(unit)s")
            % {"phases": shown, "count": _count(whole.value), "unit": unit}
        )
    if result.benefit:
        clauses.append(
            _("estimated benefit of the valid initiatives: %(money)s")
            % {"money": wording.money(result.benefit)}
        )
    return w.sentence(f"{result.name}: {'; '.join(clauses)}")


def _prize_words(prizes: dict[str, int]) -> str:
    words = {
        Prize.FIRST: lambda n: ngettext("%(n)s first prize", "%(n)s first prizes", n),
        Prize.SECOND: lambda n: ngettext("%(n)s second prize", "%(n)s second prizes", n),
        Prize.THIRD: lambda n: ngettext("%(n)s third prize", "%(n)s third prizes", n),
        Prize.CONSOLATION: lambda n: ngettext(
            "%(n)s consolation prize", "%(n)s consolation prizes", n
        ),
    }
    return w.names(
        [words[p](prizes[p]) % {"n": number(prizes[p])} for p in PRIZES if prizes.get(p)]
    )


def _contest_text(c: ContestResult) -> str:
    title = c.title
    if c.number and roman(c.number) not in title.split() and str(c.number) not in title:
        title = _("%(title)s (edition %(n)s)") % {"title": title, "n": roman(c.number)}
    if c.kind == ContestKind.QUIZ:
        if c.own:
            return _("%(title)s drew %(n)s participants") % {
                "title": title,
                "n": number(c.participants),
            }
        return _("%(n)s people took part in %(title)s organised by %(organiser)s") % {
            "n": number(c.participants),
            "title": title,
            "organiser": c.organiser,
        }
    prizes = _prize_words(c.prizes) or _("no prize")
    if c.own:
        return _("%(title)s: %(prizes)s out of %(entries)s entries") % {
            "title": title,
            "prizes": prizes,
            "entries": number(c.entries),
        }
    return _(
        "at %(title)s organised by %(organiser)s, %(entries)s entries of our units: %(prizes)s"
    ) % {
        "title": title,
        "organiser": c.organiser,
        "entries": number(c.entries),
        "prizes": prizes,
    }


def write(data: InitiativesTold, options: Options) -> Section:
    blocks: list[Block] = [Paragraph(_programme_text(p, options)) for p in data.programmes]
    if data.contests:
        told = "; ".join(_contest_text(c) for c in data.contests)
        blocks.append(Paragraph(w.sentence(_("Contests: %(told)s") % {"told": told})))
    heading = options.headings.get("initiatives", str(_("Initiatives and contests")))
    return Section("initiatives", heading, blocks)


register(
    "initiatives",
    label=gettext_lazy("Initiatives and contests"),
    order=550,
    collect=collect,
    write=write,
)
