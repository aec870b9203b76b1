"""Writes of the reports app. Every service checks the actor's scope first (core.scoping.require)
and records who and when (django-simple-history on Report, the register of outgoing numbers,
each generation with its author).

- `template_save`: a new version of the unit's template ("reports.write").
- `report_create`, `report_update`: a draft report of a unit, or of a cluster by its head unit
  ("reports.write"); editing an approved report sends it back to draft; an issued one is kept.
- `generation_start`: queue the background task that reads the data and writes the files
  (`generation_run`, tasks.py); each run is a new version, so a run lost with its worker never
  blocks the next.
- `report_approve` ("reports.issue"): approves the last generated version's text.
- `report_issue` ("reports.issue"): takes the next number of the unit's register for the year
  and kind, and queues the rendering of the approved text with that number and date — the
  issued files, kept unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congdoan.core import replicas, worklocks
from congdoan.core.exceptions import RuleViolation
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.indicators.models import Period
from congdoan.organisation.models import Cluster, ClusterMembership, Unit
from congdoan.reports import document as documents
from congdoan.reports import selectors
from congdoan.reports.models import (
    Generation,
    GenerationState,
    OutgoingNumber,
    Report,
    ReportStatus,
    ReportTemplate,
)
from congdoan.reports.render.word_template import TemplateProblem, check_template

log = logging.getLogger(__name__)

TEMPLATE_FIELDS = (
    "rounding",
    "percent_decimals",
    "fractions",
    "place",
    "on_behalf",
    "signer_title",
    "signer_name",
    "recipients",
    "number_symbol",
    "headings",
    "left_out",
)
REPORT_FIELDS = ("title", "tasks", "meeting_id", "language", "second_period")


# ---------------------------------------------------------------------------------------------
# Templates


@transaction.atomic
def template_save(
    *,
    actor: Any,
    unit: Unit,
    word: bytes | None = None,
    official_layout: bool = False,
    **fields: Any,
) -> ReportTemplate:
    """A new version of `unit`'s template: the fields given, the others from the version
    before (or the defaults). `word`: a new Word template (checked: a broken one is refused
    with the reasons); `official_layout`: back to the official layout; else the version
    before's Word template is kept."""
    require(actor, Action.REPORTS_WRITE, unit)
    if word is not None:
        problems = check_template(word)
        if problems:
            raise RuleViolation(" ".join(problems), field="word_template")
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown template fields: {sorted(unknown)}")
    Unit.objects.select_for_update().filter(pk=unit.pk).exists()  # one version number at a time
    current = selectors.template_of(unit)
    base = {f: getattr(current, f) for f in TEMPLATE_FIELDS} if current is not None else {}
    base.update(fields)
    if base.get("percent_decimals", 0) > 2:
        raise RuleViolation(
            _("Percentages are written with at most 2 decimals."), field="percent_decimals"
        )
    version = (current.version if current is not None else 0) + 1
    template = ReportTemplate(unit=unit, version=version, created_by=_user(actor), **base)
    kept = None if official_layout or current is None else current.word_bytes()
    data = word if word is not None else kept
    if data is not None:
        template.word_template.save(f"v{version}.docx", ContentFile(data), save=False)
    template.save()
    return template


# ---------------------------------------------------------------------------------------------
# Reports


def _check_periods(period: Period, second: Period | None) -> None:
    if second is not None and second.pk == period.pk:
        raise RuleViolation(_("The second period is the same as the first."), field="second_period")


def _check_cluster(unit: Unit, cluster: Cluster | None, period: Period) -> None:
    """A cluster's report is made by its head unit of the period's year, or its organiser."""
    if cluster is None:
        return
    head = ClusterMembership.objects.filter(
        cluster=cluster, year=period.end.year, unit=unit, is_head=True
    ).exists()
    if not head and cluster.organiser_id != unit.pk:
        raise RuleViolation(
            _("A cluster's report is made by the unit heading the cluster in %(year)s.")
            % {"year": period.end.year},
            field="cluster",
        )


@transaction.atomic
def report_create(
    *,
    actor: Any,
    unit: Unit,
    period: Period,
    second_period: Period | None = None,
    cluster: Cluster | None = None,
    title: str = "",
    tasks: str = "",
    meeting_id: int | None = None,
    language: str = "vi",
) -> Report:
    require(actor, Action.REPORTS_WRITE, unit)
    _check_periods(period, second_period)
    _check_cluster(unit, cluster, period)
    _check_meeting(actor, unit, meeting_id)
    report = Report(
        unit=unit,
        period=period,
        second_period=second_period,
        cluster=cluster,
        title=title.strip(),
        tasks=tasks.strip(),
        meeting_id=meeting_id,
        language=language if language in ("vi", "en") else "vi",
        created_by=_user(actor),
    )
    stamp(report, actor, "report_create")
    report.save()
    return report


def _check_meeting(actor: Any, unit: Unit, meeting_id: int | None) -> None:
    if not meeting_id:
        return
    if not selectors.meeting_of_unit(meeting_id, unit):
        raise RuleViolation(
            _("The meeting is not one of this unit's meetings."), field="meeting_id"
        )


def _editable(report: Report) -> None:
    if report.status == ReportStatus.ISSUED:
        raise RuleViolation(_("An issued report is kept as issued and cannot change."))


@transaction.atomic
def report_update(*, actor: Any, report: Report, **fields: Any) -> Report:
    """Change the title, tasks, meeting, language or second period; an approved report goes
    back to draft (its text must be approved again)."""
    require(actor, Action.REPORTS_WRITE, report.unit)
    report = Report.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    if "second_period" in fields:
        _check_periods(report.period, fields["second_period"])
    if fields.get("meeting_id"):
        _check_meeting(actor, report.unit, fields["meeting_id"])
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    changed = [*fields]
    if report.status == ReportStatus.APPROVED:
        report.status = ReportStatus.DRAFT
        changed.append("status")
    stamp(report, actor, "report_update")
    report.save(update_fields=[*changed, "updated_at"])
    return report


@transaction.atomic
def report_delete(*, actor: Any, report: Report) -> None:
    """Only a draft never issued; its generated files go with it."""
    require(actor, Action.REPORTS_WRITE, report.unit)
    report = Report.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    files = [f for g in report.generations.all() for f in (g.docx, g.pdf, g.xlsx) if f]
    stamp(report, actor, "report_delete")
    report.delete()
    # The files go once the rows are gone for good (a rollback keeps both).
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: list[Any]) -> None:
    for f in files:
        if f.name:
            f.storage.delete(f.name)


# ---------------------------------------------------------------------------------------------
# Generation


@transaction.atomic
def generation_start(*, actor: Any, report: Report, background: bool = True) -> Generation:
    """Queue a new generated version of `report` (background task `tasks.generate_report`);
    `background=False` generates it now (the demo, commands)."""
    require(actor, Action.REPORTS_WRITE, report.unit)
    report = Report.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    _close_stalled(report)
    gen = _new_generation(report, actor, selectors.template_of(report.unit))
    if background:
        _enqueue(gen)
    else:
        gen = generation_run(gen.pk)
    return gen


def _new_generation(report: Report, actor: Any, template: ReportTemplate | None) -> Generation:
    last = report.generations.aggregate(v=Max("version"))["v"] or 0
    return Generation.objects.create(
        report=report, version=last + 1, template=template, created_by=_user(actor)
    )


def _enqueue(gen: Generation) -> None:
    from congdoan.reports.tasks import generate_report

    transaction.on_commit(lambda: generate_report.enqueue(gen.pk))


def _progress(gen: Generation, percent: int, step: str) -> None:
    gen.progress, gen.step, gen.heartbeat_at = percent, step, timezone.now()
    gen.save(update_fields=["progress", "step", "heartbeat_at"])


def _close_stalled(report: Report) -> None:
    """Record the report's stalled generations as failed (`selectors.generation_stalled`)."""
    for gen in report.generations.filter(state=GenerationState.RUNNING):
        if selectors.generation_stalled(gen):
            with translation.override(report.language):
                gen.error = _(
                    "The generation stopped half-way (the background worker was stopped); no "
                    "file was saved. Generate the report again."
                )
            gen.state, gen.finished_at = GenerationState.FAILED, timezone.now()
            gen.save(update_fields=["state", "error", "finished_at"])


def generation_run(generation_id: int) -> Generation:
    """The task's work: read the facts, compose the document, render the files. A failure is
    recorded on the generation with its reason (nothing half-written: the files are saved only
    when all of them are ready). A second task for a generation that a worker runs leaves it."""
    with worklocks.held(selectors.GENERATION_LOCKS, generation_id) as mine:
        if not mine:
            return Generation.objects.get(pk=generation_id)
        return _run(generation_id)


def _run(generation_id: int) -> Generation:
    gen = Generation.objects.select_related("report", "report__unit", "template").get(
        pk=generation_id
    )
    if gen.state not in (GenerationState.QUEUED, GenerationState.RUNNING):
        return gen
    gen.state, gen.heartbeat_at = GenerationState.RUNNING, timezone.now()
    gen.save(update_fields=["state", "heartbeat_at"])
    try:
        with translation.override(gen.report.language):
            _generate(gen)
    except TemplateProblem as exc:  # the unit's Word template: the officer can fix it
        gen.state, gen.error = GenerationState.FAILED, str(exc)
        gen.finished_at = timezone.now()
        gen.save(update_fields=["state", "error", "finished_at"])
    except Exception as exc:
        log.exception("report generation %s failed", gen.pk)
        gen.state, gen.error = GenerationState.FAILED, f"{exc}\n{traceback.format_exc(limit=5)}"
        gen.finished_at = timezone.now()
        gen.save(update_fields=["state", "error", "finished_at"])
    return gen


def _generate(gen: Generation) -> None:
    from congdoan.reports.compose import compose

    report = gen.report
    options = _options(gen)
    if gen.issued:
        doc = _issued_document(gen)
        approved = selectors.latest_done(report)
        pending = approved.pending_units if approved is not None else 0
        ok = approved.figures_approved if approved is not None else False
    else:
        _progress(gen, 10, _("Reading the figures"))
        # From the replica if there is one, once it has replayed what was committed before now.
        with replicas.reads(after=replicas.primary_position(), wait=5):
            facts = selectors.report_facts(report, actor=gen.created_by)
        _progress(gen, 40, _("Writing the text"))
        doc = compose(facts, options, draft=True)
        pending = sum(p.pending_units + p.missing_units for p in facts.periods)
        ok = pending == 0 and all(r.approved for p in facts.periods for r in p.results)
    _render(gen, doc, pending=pending, approved=ok)


def _options(gen: Generation) -> Any:
    from congdoan.reports.facts import Options

    lang = gen.report.language
    options = gen.template.options(lang) if gen.template is not None else Options(language=lang)
    if not options.signer_name:  # the unit's chair signs unless the template names someone
        options = replace(options, signer_name=selectors.current_chair(gen.report.unit))
    return options


def _render(gen: Generation, doc: documents.Document, *, pending: int, approved: bool) -> None:
    from congdoan.reports.render import (
        render_annex_xlsx,
        render_docx,
        render_news_html,
        render_news_text,
        render_pdf,
    )

    _progress(gen, 55, _("Writing the Word file"))
    docx = render_docx(doc, template=gen.template.word_bytes() if gen.template else None)
    _progress(gen, 70, _("Writing the PDF file"))
    pdf = render_pdf(doc)
    _progress(gen, 90, _("Writing the Excel annex"))
    xlsx = render_annex_xlsx(doc)
    name = _file_stem(gen)
    text = doc.text()
    with transaction.atomic():
        gen.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        gen.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        gen.xlsx.save(f"{name}-phu-luc.xlsx", ContentFile(xlsx), save=False)
        gen.document = documents.to_dict(doc)
        gen.text, gen.text_hash = text, hashlib.sha256(text.encode()).hexdigest()
        gen.news_html = render_news_html(doc.news) if doc.news else ""
        gen.news_text = render_news_text(doc.news) if doc.news else ""
        gen.data_at = doc.data_at
        gen.pending_units, gen.figures_approved = pending, approved
        gen.state, gen.progress, gen.step = GenerationState.DONE, 100, ""
        gen.finished_at = timezone.now()
        gen.save()


def _file_stem(gen: Generation) -> str:
    report = gen.report
    if gen.issued and report.number:
        return f"bao-cao-so-{report.number:02d}-{report.issued_on:%Y}"
    return f"bao-cao-{report.pk}-v{gen.version}"


# ---------------------------------------------------------------------------------------------
# Approval and issue


@transaction.atomic
def report_approve(*, actor: Any, report: Report) -> Report:
    """Approve the text of the last generated version (it must be ready)."""
    require(actor, Action.REPORTS_ISSUE, report.unit)
    report = Report.objects.select_for_update().get(pk=report.pk)
    _editable(report)
    last = selectors.latest_generation(report)
    if last is None or last.state != GenerationState.DONE:
        raise RuleViolation(
            _("Generate the report and wait until it is ready before approving it.")
        )
    report.status = ReportStatus.APPROVED
    stamp(report, actor, "report_approve")
    report.save(update_fields=["status", "updated_at"])
    return report


@transaction.atomic
def report_issue(
    *, actor: Any, report: Report, issued_on: dt.date | None = None, background: bool = True
) -> Report:
    """Give the approved report the next number of the unit's register and render the issued
    files from the approved text."""
    require(actor, Action.REPORTS_ISSUE, report.unit)
    Unit.objects.select_for_update().filter(pk=report.unit_id).exists()  # numbers one at a time
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise RuleViolation(_("Only an approved report can be issued."))
    approved = selectors.latest_done(report)
    if approved is None:
        raise RuleViolation(
            _("Generate the report and wait until it is ready before approving it.")
        )
    day = issued_on or timezone.localdate()
    template = selectors.template_of(report.unit)
    symbol = template.number_symbol if template is not None else "BC-LĐLĐ"
    last = OutgoingNumber.objects.filter(unit=report.unit, year=day.year, kind="BC").aggregate(
        n=Max("number")
    )["n"]
    number = (last or 0) + 1
    OutgoingNumber.objects.create(
        unit=report.unit,
        year=day.year,
        kind="BC",
        number=number,
        symbol=symbol,
        report=report,
        issued_on=day,
        actor=_user(actor),
    )
    report.status, report.number, report.number_symbol, report.issued_on = (
        ReportStatus.ISSUED,
        number,
        symbol,
        day,
    )
    stamp(report, actor, "report_issue")
    report.save(update_fields=["status", "number", "number_symbol", "issued_on", "updated_at"])
    gen = _new_generation(report, actor, approved.template)
    gen.issued, gen.document = True, approved.document
    gen.save(update_fields=["issued", "document"])
    if background:
        _enqueue(gen)
    else:
        generation_run(gen.pk)
    return report


def _issued_document(gen: Generation) -> documents.Document:
    """The approved text, with the number and the date of issue."""
    from congdoan.reports.compose import header_for

    report = gen.report
    assert gen.document is not None and report.issued_on is not None
    doc = documents.from_dict(gen.document)
    header = header_for(
        issuer_parent=doc.header.issuer_parent,
        issuer=doc.header.issuer,
        number=report.number,
        options=_options(gen),
        day=report.issued_on,
    )
    return replace(doc, header=header, draft=False)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
