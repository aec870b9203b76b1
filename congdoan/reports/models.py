"""Reports: the unit's template (versions), the report (draft → approved → issued), each
generation with its files, and the register of outgoing documents that numbers them.

- `ReportTemplate`: how a unit words and lays out its reports (rounding, place, signature,
  recipients, number symbol, headings, sections left out). Each save is a new version; a report
  remembers the version it was generated with.
- `Report`: a unit's (or a cluster's) report over one period or two at once, with the tasks for
  the next period the officer enters and the meeting it is presented at.
- `Generation`: one run of the background task: its state and progress, the time of the data it
  read, whether every figure was approved, the text (for the same-data-same-text check) and the
  files. An issued report's last generation is kept unchanged.
- `OutgoingNumber`: the unit's register of outgoing documents, per year and kind ("BC"): issuing
  takes the next number ("Số: 34/BC-LĐLĐ").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.scoping import ScopedQuerySet
from congdoan.indicators.models import Period
from congdoan.organisation.models import Cluster, Unit
from congdoan.reports.facts import Options


class Rounding(models.TextChoices):
    HALF_UP = "half_up", _("Round half up (810.5% → 811%)")
    TRUNCATE = "truncate", _("Cut the decimals (810.5% → 810%)")


def _template_path(instance: ReportTemplate, filename: str) -> str:
    return f"reports/templates/{instance.unit_id}/v{instance.version}.docx"


class TemplateQuerySet(ScopedQuerySet["ReportTemplate"]):
    pass


class ReportTemplate(models.Model):
    """One version of a unit's report template."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_templates")
    version = models.PositiveIntegerField(_("version"))
    rounding = models.CharField(
        _("rounding of percentages"),
        max_length=10,
        choices=Rounding.choices,
        default=Rounding.HALF_UP,
    )
    percent_decimals = models.PositiveSmallIntegerField(_("decimals of percentages"), default=0)
    fractions = models.BooleanField(
        _('write results as a/b beside the percentage ("16/2 houses")'), default=True
    )
    place = models.CharField(_("place in the date line"), max_length=100, blank=True)
    on_behalf = models.CharField(_("on behalf of"), max_length=100, default="TM. BAN THƯỜNG VỤ")
    signer_title = models.CharField(_("signer's title"), max_length=100, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    recipients = models.TextField(_("recipients (one per line)"), default="Như trên;\nLưu: VT.")
    number_symbol = models.CharField(
        _("document symbol"),
        max_length=40,
        default="BC-LĐLĐ",
        help_text=_('As in "Số: 34/BC-LĐLĐ".'),
    )
    word_template = models.FileField(
        _("Word template"),
        upload_to=_template_path,
        blank=True,
        help_text=_("Blank: the official layout. Else the unit's own .docx with its tags."),
    )
    headings = models.JSONField(_("section headings"), default=dict, blank=True)
    left_out = models.JSONField(_("sections left out"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TemplateQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["unit", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="report_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.unit} v{self.version}"

    def word_bytes(self) -> bytes | None:
        """The uploaded Word template, or None for the official layout."""
        if not self.word_template:
            return None
        with self.word_template.open("rb") as f:
            return f.read()

    def options(self, language: str = "vi") -> Options:
        return Options(
            rounding=self.rounding,  # type: ignore[arg-type]
            percent_decimals=self.percent_decimals,
            fractions=self.fractions,
            place=self.place,
            on_behalf=self.on_behalf,
            signer_title=self.signer_title,
            signer_name=self.signer_name,
            recipients=tuple(r.strip() for r in self.recipients.splitlines() if r.strip()),
            number_symbol=self.number_symbol,
            headings=dict(self.headings or {}),
            left_out=tuple(self.left_out or ()),
            language=language,
        )


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")


class ReportQuerySet(ScopedQuerySet["Report"]):
    pass


class Report(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("cluster"),
        help_text=_("For a cluster's report: the cluster, reported by its head unit."),
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period")
    )
    second_period = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second period"),
        help_text=_("Reported at the same time, e.g. the school year beside nine months."),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    tasks = models.TextField(_("tasks for the next period (one per line)"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("meeting"),
        help_text=_("The conference the report is presented at (for the news item)."),
    )
    language = models.CharField(_("language"), max_length=5, default="vi")
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    number_symbol = models.CharField(_("document symbol"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ReportQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or f"{self.unit} – {self.period}"

    @property
    def number_text(self) -> str:
        """ "34/BC-LĐLĐ" once issued."""
        return f"{self.number:02d}/{self.number_symbol}" if self.number else ""

    def task_lines(self) -> list[str]:
        return [t.strip() for t in self.tasks.splitlines() if t.strip()]


class GenerationState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GenerationQuerySet(ScopedQuerySet["Generation"]):
    pass


def _upload_to(instance: Generation, filename: str) -> str:
    return f"reports/{instance.report.unit_id}/{instance.report_id}/{instance.version}/{filename}"


class Generation(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="generations")
    version = models.PositiveIntegerField(_("version"))
    template = models.ForeignKey(
        ReportTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=GenerationState.choices, default=GenerationState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    data_at = models.DateTimeField(_("data as of"), null=True, blank=True)
    figures_approved = models.BooleanField(_("every figure approved"), default=False)
    pending_units = models.PositiveIntegerField(_("units with figures not approved"), default=0)
    document = models.JSONField(_("document"), null=True, blank=True)  # document.to_dict
    text = models.TextField(_("text"), blank=True)
    text_hash = models.CharField(max_length=64, blank=True)
    news_html = models.TextField(_("news item (HTML)"), blank=True)
    news_text = models.TextField(_("news item (text)"), blank=True)
    docx = models.FileField(upload_to=_upload_to, blank=True)
    pdf = models.FileField(upload_to=_upload_to, blank=True)
    xlsx = models.FileField(upload_to=_upload_to, blank=True)
    issued = models.BooleanField(_("issued file"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Beaten with the progress while a worker runs it (see `services.generation_stalled`).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    objects = GenerationQuerySet.as_manager()
    scope_path = "report__unit__path"

    class Meta:
        verbose_name = _("generated version")
        verbose_name_plural = _("generated versions")
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="report_generation_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.version}"

    @property
    def shown_error(self) -> str:
        """The reason an officer can act on (a broken Word template); internal errors stay in
        the log and are not shown."""
        return "" if "Traceback" in self.error else self.error


class OutgoingNumber(models.Model):
    """The unit's register of outgoing documents: one row per number given."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, default="BC")
    number = models.PositiveIntegerField(_("document number"))
    symbol = models.CharField(_("document symbol"), max_length=40)
    report = models.OneToOneField(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="outgoing"
    )
    issued_on = models.DateField(_("issued on"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing document number")
        verbose_name_plural = _("outgoing document numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind", "number"], name="outgoing_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol}"
