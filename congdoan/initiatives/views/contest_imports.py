"""Pages of a contest's files (`contest_imports`): the import (upload → preview → confirm), the
template and the export of its entries and of a quiz's participants, on the generic pages of
`activities.import_views`.

The contest is the URL's: seen through "indicators.view" (404 otherwise, "missing" and "not
yours" alike), its files read and written with "activities.manage" on its organising unit (403
otherwise), as the contest's other forms. Each request builds the contest's `Spec`; the upload
goes to the organiser, so the form asks for the file only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from congdoan.activities.import_views import (
    RecordExportView,
    RecordImportView,
    RecordTemplateView,
    UploadForm,
)
from congdoan.activities.imports import Spec
from congdoan.activities.models import ImportUpload
from congdoan.initiatives import selectors
from congdoan.initiatives.contest_imports import entries_spec, participants_spec
from congdoan.initiatives.models import Contest
from congdoan.initiatives.views.common import MANAGE, VIEW
from congdoan.members.imports.reading import max_bytes, max_rows


class ContestUploadForm(UploadForm):
    """The file only: the importing unit is the contest's organiser."""

    def __init__(self, *args: Any, unit: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]
        self.unit = unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["unit"] = self.unit
        return data


class ContestFileMixin:
    """The contest of the URL, managed by the user, and the `Spec` of its file (`spec`). The
    views name their `scope_action` (MANAGE) as a plain attribute too: the generic views compute
    it from the spec, which tools reading the class cannot. Imports and templates need MANAGE on
    the contest's unit; exports (`scope_action = VIEW`) only to see the contest, as every
    register's export."""

    anchor: ClassVar[str] = "entries"  # the section of the contest's page with the records
    spec_of: ClassVar[staticmethod[[Contest], Spec]]  # entries_spec or participants_spec
    contest: Contest
    spec: Spec

    def load_contest(self) -> None:
        view: Any = self
        contest: Contest = view.get_visible(
            selectors.contests_with_relations(), VIEW, pk=view.kwargs["pk"]
        )
        if getattr(view, "scope_action", MANAGE) == MANAGE:  # exports need only to see it
            view.require(MANAGE, contest.unit)
        self.contest = contest
        self.spec = self.spec_of(contest)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:  # else: sign-in first
            self.load_contest()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ContestImportView(ContestFileMixin, RecordImportView):
    """Upload → preview → confirm into the contest of the URL."""

    template_url_name: ClassVar[str] = ""  # the template of the contest's file (with its pk)
    heading: ClassVar[Promise | str] = ""  # the page's title, with %(contest)s

    @property
    def title(self) -> str:
        return str(self.heading) % {"contest": self.contest.title}

    def _form(self, data: Any = None, files: Any = None, **kwargs: Any) -> ContestUploadForm:
        kwargs.pop("initial", None)
        return ContestUploadForm(
            data,
            files,
            user=self.request.user,
            action=self.spec.manage_action,
            unit=self.contest.unit,
            **kwargs,
        )

    def _form_page(self, form: UploadForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": self.title,
            "spec": self.spec,
            "max_mb": max_bytes() // (1024 * 1024),
            "max_rows": max_rows(),
            "template_url": reverse(self.template_url_name, args=[self.contest.pk]),
        }
        return render(self.request, self.template_name, context, status=status)

    def _done_url(self, upload: ImportUpload) -> str:
        return f"{self.contest.get_absolute_url()}#{self.anchor}"


class EntryImportView(ContestImportView):
    """initiatives:entry_import — the entries of a contest, with their prizes."""

    scope_action = MANAGE
    template_url_name = "initiatives:entry_import_template"
    heading = gettext_lazy("Import the entries of %(contest)s")
    spec_of = staticmethod(entries_spec)


class ParticipantImportView(ContestImportView):
    """initiatives:participant_import — who took part in a quiz."""

    scope_action = MANAGE
    anchor = "participants"
    template_url_name = "initiatives:participant_import_template"
    heading = gettext_lazy("Import the participants of %(contest)s")
    spec_of = staticmethod(participants_spec)


class EntryTemplateView(ContestFileMixin, RecordTemplateView):
    """initiatives:entry_import_template — the blank file of a contest's entries."""

    scope_action = MANAGE
    spec_of = staticmethod(entries_spec)


class ParticipantTemplateView(ContestFileMixin, RecordTemplateView):
    """initiatives:participant_import_template — the blank file of a quiz's participants."""

    scope_action = MANAGE
    spec_of = staticmethod(participants_spec)


class EntryExportView(ContestFileMixin, RecordExportView):
    """initiatives:entry_export — the contest's entries that the user may see, in the columns
    of its file (an export imported back creates nothing)."""

    scope_action = VIEW
    spec_of = staticmethod(entries_spec)


class ParticipantExportView(ContestFileMixin, RecordExportView):
    """initiatives:participant_export — a quiz's participants that the user may see."""

    scope_action = VIEW
    spec_of = staticmethod(participants_spec)
