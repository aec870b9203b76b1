"""The report's `Document` written from its facts: `compose(facts, options, draft=...)`.

Pure: no database, no clock. The same facts and options give the same Document (lists keep the
order of the facts; nothing is read from a set or the time of day). The text is written in
`options.language` through the translations; sentences come from writing.py.

The body, after the header and title:
- I. Results: per period the summary ("N/M chỉ tiêu đạt và vượt…"), then the results told
  group by group of the catalogue (a numbered heading and one paragraph each); the clusters
  the subject belongs to; then the sections other apps registered (sections.py), in their
  registered order, each numbered on within part I.
- II. General assessment: which targets were reached and which not, what is approved, what is
  missing — the same words go into the footnote.
- III. Tasks for the next period as bullets. With none entered, a draft says so (the officer
  sees the gap) and the issued report leaves the part out.
`options.left_out` drops any section but the results; `options.headings` replaces a heading.
The annex has one table per period of the units below, the charts the main targets and the
units below on the first key indicator, and the news item tells the meeting (or the results
alone) in the style of the seed reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from congdoan.core.formats import long_date, roman, short_date
from congdoan.indicators import wording
from congdoan.reports import sections as registry
from congdoan.reports import writing as w
from congdoan.reports.document import (
    Block,
    Chart,
    Document,
    Header,
    NewsItem,
    Paragraph,
    Section,
    Signature,
    Table,
)
from congdoan.reports.facts import (
    ClusterFacts,
    IndicatorRef,
    Options,
    PeriodFacts,
    ReportFacts,
    Result,
    UnitLine,
    UnitsBelow,
)

DRAFT_NUMBER = "     "  # "Số:      /BC-LĐLĐ": room for the number written by hand
CHART_MAX = 8  # indicators in the chart of the main targets
MILLION = Decimal(1_000_000)
NOTE_NAMES_MAX = 10  # units named in the annex's note on figures not yet approved
CHART_UNITS_MAX = 20  # units in the chart of the units below
NEWS_OTHERS_MAX = 12  # results without a target told in the news item


def compose(facts: ReportFacts, options: Options, *, draft: bool = True) -> Document:
    with translation.override(options.language):
        return Document(
            header=_header(facts, options, draft),
            kind=_("REPORT"),
            title=_title(facts),
            subtitle=_("(Figures as of %(date)s)") % {"date": short_date(facts.data_at.date())},
            sections=_sections(facts, options, draft),
            signature=Signature(options.on_behalf, options.signer_title, options.signer_name),
            recipients=list(options.recipients),
            annex=[
                _annex(i, _key(below), options, millions=True)
                for i, below in enumerate(facts.units_below, 1)
            ],
            workbook=_workbook(facts, options),
            charts=_charts(facts, options),
            news=_news(facts, options),
            language=options.language,
            data_at=facts.data_at,
            footnote=" ".join(_honesty(facts)),
            draft=draft,
        )


# --- Header and title ---------------------------------------------------------------------


def _header(facts: ReportFacts, options: Options, draft: bool) -> Header:
    return header_for(
        issuer_parent=facts.issuer_parent,
        issuer=facts.issuer,
        number=None if draft else facts.number,
        options=options,
        day=facts.issued_on or facts.data_at.date(),
    )


def header_for(
    *, issuer_parent: str, issuer: str, number: int | None, options: Options, day: dt.date
) -> Header:
    """The header: "Số: 34/BC-LĐLĐ" (a blank number without one: a draft), "Lai Châu, ngày 05
    tháng 02 năm 2024" (day < 10 and months 1–2 zero-padded, `core.formats.long_date`)."""
    shown = DRAFT_NUMBER if number is None else f"{number:02d}"  # Decree 30: "Số: 05/…"
    place_date = f"{options.place}, {long_date(day)}" if options.place else long_date(day)
    with translation.override(options.language):
        numbered = _("No.: %(number)s/%(symbol)s") % {
            "number": shown,
            "symbol": options.number_symbol,
        }
    return Header(
        issuer_parent=issuer_parent.upper(),
        issuer=issuer.upper(),
        number=numbered,
        place_date=w.upper_first(place_date),
    )


def _labels(facts: ReportFacts) -> str:
    return w.periods([p.label for p in facts.periods])


def _title(facts: ReportFacts) -> str:
    if facts.title:
        return facts.title
    if facts.subject == "cluster":
        return _("Results of trade union work in %(periods)s of %(cluster)s") % {
            "periods": _labels(facts),
            "cluster": facts.subject_name,
        }
    return _("Results of trade union work in %(periods)s") % {"periods": _labels(facts)}


def _subject(facts: ReportFacts) -> str:
    """How the body names the subject: "LĐLĐ thị xã", "các đơn vị trong Cụm thi đua số 3"."""
    if facts.subject == "cluster":
        return _("the units of %(cluster)s") % {"cluster": facts.subject_name}
    return facts.issuer_short or facts.subject_name


def _body(facts: ReportFacts) -> str:
    """Who "trực tiếp" did the own part (a cluster has no own part)."""
    return "" if facts.subject == "cluster" else (facts.issuer_short or facts.subject_name)


# --- Sections -----------------------------------------------------------------------------


@dataclass
class _Numbers:
    """The running numbers: I, II, III for the parts, 1, 2, 3 inside part I."""

    part: int = 0
    item: int = 0
    sections: list[Section] = field(default_factory=list)

    def part_heading(self, key: str, default: str, options: Options) -> str:
        self.part += 1
        return f"{roman(self.part)}. {options.headings.get(key) or default.upper()}"

    def item_heading(self, text: str) -> str:
        self.item += 1
        return f"{self.item}. {text}"


def _sections(facts: ReportFacts, options: Options, draft: bool) -> list[Section]:
    numbers = _Numbers()
    blocks = [] if "results" in options.left_out else list(_results(facts, options, numbers))
    if "clusters" not in options.left_out:
        for cluster in facts.clusters:
            blocks += _cluster(cluster, facts, options, numbers)
    if blocks:
        heading = numbers.part_heading("results", _("Results achieved"), options)
        numbers.sections.append(Section("results", heading, blocks))
    _registered(facts, options, numbers)
    if "assessment" not in options.left_out:
        heading = numbers.part_heading("assessment", _("General assessment"), options)
        numbers.sections.append(Section("assessment", heading, _assessment(facts)))
    if "tasks" not in options.left_out and (facts.tasks or draft):
        heading = numbers.part_heading("tasks", _("Main tasks for the next period"), options)
        numbers.sections.append(Section("tasks", heading, _tasks(facts)))
    return numbers.sections


def _results(facts: ReportFacts, options: Options, numbers: _Numbers) -> Iterator[Block]:
    many = len(facts.periods) > 1
    for period in facts.periods:
        sub = 0
        if many:
            title = _("Results in %(period)s") % {"period": w.label(period.label)}
            yield Paragraph(numbers.item_heading(title), "heading2")
        said = w.period_summary(period.label, _subject(facts), period.results)
        if said:
            yield Paragraph(said)
        for group, results in _groups(period.results):
            if many:
                sub += 1
                yield Paragraph(f"{numbers.item}.{sub}. {group}", "heading3")
            else:
                yield Paragraph(numbers.item_heading(group), "heading2")
            yield Paragraph(_told(results, facts, options, period))


def _groups(results: list[Result]) -> list[tuple[str, list[Result]]]:
    """The results by catalogue group, groups in the order they first appear."""
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(result.group, []).append(result)
    return list(groups.items())


def _told(results: list[Result], facts: ReportFacts, options: Options, period: PeriodFacts) -> str:
    """One paragraph: the group's results in one sentence, clauses joined by "; "."""
    body = _body(facts)
    return w.sentence(
        "; ".join(
            w.clause(r, options, body=body, previous_label=period.previous_label) for r in results
        )
    )


def _cluster(
    cluster: ClusterFacts, facts: ReportFacts, options: Options, numbers: _Numbers
) -> list[Block]:
    heading = options.headings.get("clusters") or cluster.name
    text = [
        _("%(cluster)s is made up of %(units)s; head of the cluster: %(head)s.")
        % {"cluster": cluster.name, "units": w.names(cluster.units), "head": cluster.head}
    ]
    if not any(cluster.results == p.results for p in facts.periods):  # a cluster report: said
        told = "; ".join(w.clause(r, options) for r in cluster.results)
        if told:
            text.append(
                _("In %(period)s, the cluster as a whole: %(results)s.")
                % {"period": w.label(cluster.period_label), "results": told}
            )
    rank = w.ranked_in_cluster(cluster.subject_rank, cluster.name)
    if rank and facts.subject != "cluster":
        text.append(w.sentence(f"{_subject(facts)} {rank}"))
    return [Paragraph(numbers.item_heading(heading), "heading2"), Paragraph(" ".join(text))]


def _registered(facts: ReportFacts, options: Options, numbers: _Numbers) -> None:
    """The sections other apps registered, in their registered order, numbered on in part I."""
    order = {spec.key: i for i, spec in enumerate(registry.registered())}
    given = [s for s in facts.sections if s.key in order and s.key not in options.left_out]
    for facts_section in sorted(given, key=lambda s: order[s.key]):
        spec = registry.spec(facts_section.key)
        if spec is None:
            continue
        written = spec.write(facts_section.data, options)
        heading = options.headings.get(spec.key) or written.heading
        heading = numbers.item_heading(heading) if heading else ""
        numbers.sections.append(Section(spec.key, heading, list(written.blocks)))


def _assessment(facts: ReportFacts) -> list[Block]:
    blocks: list[Block] = []
    many = len(facts.periods) > 1
    for period in facts.periods:
        said = " ".join([*_reached(period), *_approval(period)])
        if said:
            blocks.append(Paragraph(_in_period(period, said) if many else said))
    read = _("Figures as read at %(time)s on %(date)s.") % {
        "time": facts.data_at.strftime("%H:%M"),
        "date": short_date(facts.data_at.date()),
    }
    return [*blocks, Paragraph(read, "note")]


def _in_period(period: PeriodFacts, said: str) -> str:
    """ "Trong 9 tháng đầu năm 2023, số liệu của …" when a report has two periods."""
    return _("In %(period)s, %(said)s") % {
        "period": w.label(period.label),
        "said": w.lower_first(said),
    }


def _reached(period: PeriodFacts) -> list[str]:
    """Which targets were not reached, or that all were (a target without figures is neither:
    the approval statements say it has none)."""
    reached, total, _exceeded = w.tally(period.results)
    below = [r.name for r in period.results if (r.target or 0) > 0 and _status(r) == wording.BELOW]
    if below:
        return [_("Targets not reached: %(names)s.") % {"names": w.names(below)}]
    if total and reached == total:
        return [_("Every assigned target was reached or exceeded.")]
    return []


def _approval(period: PeriodFacts, *, all_clear: bool = True) -> list[str]:
    """What is approved and what is not, what is missing: said, never hidden. `all_clear`: say
    also that everything is approved when it is (the assessment does, the footnote not)."""
    said = []
    if period.pending_units:
        said.append(
            _("Figures of %(pending)s/%(units)s units are not yet approved.")
            % {"pending": period.pending_units, "units": period.units_below}
        )
    if period.missing_units:
        said.append(
            ngettext(
                "%(n)s unit has not sent its figures.",
                "%(n)s units have not sent their figures.",
                period.missing_units,
            )
            % {"n": period.missing_units}
        )
    if all_clear and period.units_below and not said:
        said.append(
            _("The figures of all %(units)s units below are approved.")
            % {"units": period.units_below}
        )
    pending = [r.name for r in period.results if not r.approved and r.value is not None]
    if pending:
        said.append(_("Figures not yet approved: %(names)s.") % {"names": _some(pending)})
    empty = [r.name for r in period.results if r.value is None]
    if empty:
        said.append(_("No figures yet for %(names)s.") % {"names": _some(empty)})
    return said


NAMES_MAX = 6  # indicators named in a sentence of the assessment; the others counted


def _some(names: list[str]) -> str:
    """ "A, B, C và 12 chỉ tiêu khác": a sentence naming forty indicators is not read."""
    if len(names) <= NAMES_MAX:
        return w.names(names)
    more = len(names) - NAMES_MAX
    others = ngettext("%(n)s other indicator", "%(n)s other indicators", more) % {"n": more}
    return w.names([*names[:NAMES_MAX], others])


def _honesty(facts: ReportFacts) -> list[str]:
    """The footnote: the gaps of the assessment (not the statement that all is approved)."""
    out = []
    many = len(facts.periods) > 1
    for period in facts.periods:
        gaps = _approval(period, all_clear=False)
        if gaps:
            said = " ".join(gaps)
            out.append(_in_period(period, said) if many else said)
    return out


def _tasks(facts: ReportFacts) -> list[Block]:
    if not facts.tasks:
        return [Paragraph(_("No tasks for the next period have been entered yet."), "note")]
    return [Paragraph(task, "bullet") for task in facts.tasks]


# --- Annex --------------------------------------------------------------------------------


def _targeted(below: UnitsBelow, code: str) -> bool:
    return any((row.targets.get(code) or 0) > 0 for row in below.rows)


def _ratio(value: Decimal | None, target: Decimal | None, options: Options) -> Decimal | None:
    exact = wording.achievement(value, target)
    if exact is None:
        return None
    rounding = ROUND_DOWN if options.rounding == "truncate" else ROUND_HALF_UP
    return exact.quantize(Decimal(1).scaleb(-options.percent_decimals), rounding=rounding)


ANNEX_KEY_MAX = 8  # indicators in the appendix of the document (the workbook holds them all)


def _key(below: UnitsBelow) -> UnitsBelow:
    """The units below on the key indicators only (those with a target for some unit below, or
    the first ones): the document's appendix must stay readable on a landscape page and quick to
    lay out for thousands of units; every indicator is in the workbook."""
    targeted = [i for i in below.indicators if _targeted(below, i.code)]
    keep = (targeted or below.indicators)[:ANNEX_KEY_MAX]
    return replace(below, indicators=keep)


def _workbook(facts: ReportFacts, options: Options) -> list[Table]:
    """Every indicator of the units below: per period, a table per catalogue group."""
    tables = []
    for index, below in enumerate(facts.units_below, 1):
        groups: dict[str, list[IndicatorRef]] = {}
        for ind in below.indicators:
            groups.setdefault(ind.group, []).append(ind)
        for part, (group, inds) in enumerate(groups.items(), 1):
            table = _annex(index, replace(below, indicators=inds), options)
            title = f"{index}.{part}. {group}" if group else table.title
            tables.append(replace(table, title=title))
    return tables


def _annex(index: int, below: UnitsBelow, options: Options, *, millions: bool = False) -> Table:
    """The table of the units below; `millions`: money in millions of đồng (the document's
    appendix, where "2.481.650.000" would not fit its column; the workbook keeps the đồng)."""
    columns = [pgettext("report", "Unit")]
    for ind in below.indicators:
        unit = _("million dong") if millions and ind.value_type == w.MONEY else _unit(ind)
        columns.append(f"{ind.name} ({unit})")
        if _targeted(below, ind.code):
            columns.append(pgettext("report", "Percent of target"))
    targeted = {i.code for i in below.indicators if _targeted(below, i.code)}
    rows, values = [], []
    for line in below.rows:
        row, raw = _annex_row(line, below, options, targeted, millions)
        rows.append(row)
        values.append(raw)
    return Table(
        title=_("Annex %(n)s. Results of the units below, %(period)s")
        % {"n": index, "period": w.label(below.period_label)},
        columns=columns,
        rows=rows,
        numeric=[False] + [True] * (len(columns) - 1),
        total=_annex_total(below, options, millions),
        note=_annex_note(below),
        values=values,
    )


def _unit(ind: IndicatorRef) -> str:
    if ind.value_type == w.MONEY:
        return wording.unit_of_measure("đồng")
    return wording.unit_of_measure(ind.unit_of_measure)


def _annex_cell(value: Decimal | None, value_type: str, millions: bool) -> str:
    if millions and value is not None and value_type == w.MONEY:
        return wording.amount(value / MILLION, 1)
    return w.cell(value, value_type)


def _annex_row(
    line: UnitLine, below: UnitsBelow, options: Options, targeted: set[str], millions: bool
) -> tuple[list[str], list[Decimal | None]]:
    row: list[str] = [line.name]
    raw: list[Decimal | None] = [None]
    for ind in below.indicators:
        value = line.values.get(ind.code)
        row.append(_annex_cell(value, ind.value_type, millions))
        raw.append(
            value / MILLION
            if millions and value is not None and ind.value_type == w.MONEY
            else value
        )
        if ind.code in targeted:  # (worked out once per table: thousands of rows)
            ratio = _ratio(value, line.targets.get(ind.code), options)
            row.append(_percent(ratio, options))
            raw.append(ratio)
    return row, raw


def _percent(ratio: Decimal | None, options: Options) -> str:
    return wording.percent(ratio, options.percent_decimals) if ratio is not None else ""


def _annex_total(below: UnitsBelow, options: Options, millions: bool = False) -> list[str]:
    total = [pgettext("report", "Total")]
    for ind in below.indicators:
        summed = ind.value_type in (w.COUNT, w.MONEY)
        value = _sum(line.values.get(ind.code) for line in below.rows) if summed else None
        total.append(_annex_cell(value, ind.value_type, millions) if value is not None else "")
        if _targeted(below, ind.code):
            target = _sum(line.targets.get(ind.code) for line in below.rows)
            total.append(_percent(_ratio(value, target, options), options))
    return total


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _annex_note(below: UnitsBelow) -> str:
    said = []
    pending = [f"{r.name} ({r.status.lower()})" if r.status else r.name for r in below.rows]
    pending = [p for p, r in zip(pending, below.rows, strict=True) if not r.approved]
    if len(pending) > NOTE_NAMES_MAX:  # thousands of names help nobody: the first ones, a count
        more = len(pending) - NOTE_NAMES_MAX
        others = ngettext("%(n)s other unit", "%(n)s other units", more) % {"n": more}
        pending = [*pending[:NOTE_NAMES_MAX], others]
    if pending:
        said.append(_("Figures not yet approved: %(names)s.") % {"names": w.names(pending)})
    if any(v is None for r in below.rows for v in r.values.values()):
        said.append(_("%(mark)s: no figures.") % {"mark": w.MISSING_CELL})
    if below.hidden:
        said.append(
            ngettext(
                "%(n)s unit outside your scope is not listed.",
                "%(n)s units outside your scope are not listed.",
                below.hidden,
            )
            % {"n": below.hidden}
        )
    return " ".join(said)


# --- Charts -------------------------------------------------------------------------------


def _charts(facts: ReportFacts, options: Options) -> list[Chart]:
    charts = []
    if facts.periods:
        main = _main_chart(facts.periods[0])
        if main:
            charts.append(main)
    if facts.units_below:
        units = _units_chart(facts.units_below[0])
        if units:
            charts.append(units)
    return charts


def _main_chart(period: PeriodFacts) -> Chart | None:
    shown = [
        r
        for r in period.results
        if r.value_type == w.COUNT and r.value is not None and (r.target or 0) > 0
    ][:CHART_MAX]
    if not shown:
        return None
    units = {r.unit_of_measure for r in shown}
    return Chart(
        title=_("Main targets, %(period)s") % {"period": w.label(period.label)},
        categories=[r.short_name or r.name for r in shown],
        series=[
            (pgettext("report", "Actual"), [r.value for r in shown]),
            (pgettext("report", "Target"), [r.target for r in shown]),
        ],
        unit=wording.unit_of_measure(shown[0].unit_of_measure) if len(units) == 1 else "",
    )


def _units_chart(below: UnitsBelow) -> Chart | None:
    with_values = [
        i for i in below.indicators if any(r.values.get(i.code) is not None for r in below.rows)
    ]
    key = next((i for i in with_values if _targeted(below, i.code)), None)
    key = key or next(iter(with_values), None)
    if key is None or not below.rows:
        return None
    rows = below.rows
    title = _("%(indicator)s by unit, %(period)s")
    if len(rows) > CHART_UNITS_MAX:  # a bar per unit of thousands helps nobody: the leading ones
        rows = sorted(rows, key=lambda r: -(r.values.get(key.code) or 0))[:CHART_UNITS_MAX]
        title = _("%(indicator)s: the %(n)s leading units, %(period)s")
    series = [(pgettext("report", "Actual"), [r.values.get(key.code) for r in rows])]
    if _targeted(below, key.code):
        series.append((pgettext("report", "Target"), [r.targets.get(key.code) for r in rows]))
    return Chart(
        title=title
        % {"indicator": key.name, "period": w.label(below.period_label), "n": len(rows)},
        categories=[r.name for r in rows],
        series=series,
        unit=_unit(key),
    )


# --- News item ----------------------------------------------------------------------------


def _news(facts: ReportFacts, options: Options) -> NewsItem:
    told = [_news_results(facts, p, options) for p in facts.periods]
    told = [t for t in told if t]
    meeting = facts.meeting
    if meeting is None:
        title = _("%(subject)s: results of trade union work in %(periods)s") % {
            "subject": facts.subject_name,
            "periods": _labels(facts),
        }
        return NewsItem(title, told)
    title = _("%(host)s holds %(meeting)s") % {"host": meeting.host, "meeting": meeting.title}
    presented = w.meeting_presented(meeting, _labels(facts))
    return NewsItem(
        title, [*w.meeting_opening(meeting), *presented, *told, *w.meeting_closing(meeting)]
    )


def _news_results(facts: ReportFacts, period: PeriodFacts, options: Options) -> str:
    """ "Theo báo cáo, trong 9 tháng đầu năm 2023, LĐLĐ thị xã đã hoàn thành và hoàn thành
    vượt mức 4/4 chỉ tiêu: kết nạp 546 đoàn viên mới, đạt 110% chỉ tiêu; …", then the targets
    not reached, then the other results (up to NEWS_OTHERS_MAX)."""
    reached, total, _exceeded = w.tally(period.results)
    told = [r for r in period.results if r.value is not None]
    targeted = [r for r in told if (r.target or 0) > 0]
    short = [r for r in targeted if _status(r) == wording.BELOW]
    done = [r for r in targeted if r not in short]
    others = [r for r in told if r not in targeted][:NEWS_OTHERS_MAX]
    said = _news_clauses(facts, period, options)
    values = {"period": w.label(period.label), "subject": _subject(facts)}
    out = []
    if total:
        lead = _(
            "According to the report, in %(period)s %(subject)s reached or exceeded "
            "%(reached)s/%(total)s targets"
        ) % {**values, "reached": reached, "total": total}
        out.append(f"{lead}: {said(done)}." if done else f"{lead}.")
    if short:
        out.append(_("Targets not yet reached: %(results)s.") % {"results": said(short)})
    if others and out:
        out.append(_("Besides, %(results)s.") % {"results": said(others)})
    elif others:
        out.append(
            _("According to the report, in %(period)s %(subject)s achieved: %(results)s.")
            % {**values, "results": said(others)}
        )
    return " ".join(out)


def _status(result: Result) -> str | None:
    return wording.status(result.value, result.target, lower_is_better=result.lower_is_better)


def _news_clauses(
    facts: ReportFacts, period: PeriodFacts, options: Options
) -> Callable[[list[Result]], str]:
    body = _body(facts)

    def said(results: list[Result]) -> str:
        return "; ".join(
            w.clause(r, options, body=body, previous_label=period.previous_label) for r in results
        )

    return said
