"""Pages of the initiatives app (namespace "initiatives")."""

from django.urls import path

from congdoan.activities.import_views import RecordExportView, RecordTemplateView
from congdoan.initiatives.filters import InitiativeFilter
from congdoan.initiatives.imports import SPEC
from congdoan.initiatives.views import contest_imports, contests, initiatives, programmes

app_name = "initiatives"

urlpatterns = [
    path("", initiatives.InitiativeListView.as_view(), name="list"),
    path("summary/", initiatives.InitiativeSummaryView.as_view(), name="summary"),
    path("new/", initiatives.InitiativeCreateView.as_view(), name="create"),
    path("import/", initiatives.InitiativeImportView.as_view(), name="import"),
    path("import/template/", RecordTemplateView.as_view(spec=SPEC), name="import_template"),
    path(
        "export/",
        RecordExportView.as_view(spec=SPEC, filterset_class=InitiativeFilter),
        name="export",
    ),
    path("<int:pk>/", initiatives.InitiativeDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", initiatives.InitiativeEditView.as_view(), name="edit"),
    path("<int:pk>/decide/", initiatives.InitiativeDecideView.as_view(), name="decide"),
    path("<int:pk>/delete/", initiatives.InitiativeDeleteView.as_view(), name="delete"),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", programmes.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", programmes.ProgrammeDetailView.as_view(), name="programme_detail"),
    path(
        "programmes/<int:pk>/edit/", programmes.ProgrammeEditView.as_view(), name="programme_edit"
    ),
    path(
        "programmes/<int:pk>/delete/",
        programmes.ProgrammeDeleteView.as_view(),
        name="programme_delete",
    ),
    path("contests/", contests.ContestListView.as_view(), name="contest_list"),
    path("contests/new/", contests.ContestCreateView.as_view(), name="contest_create"),
    path("contests/<int:pk>/", contests.ContestDetailView.as_view(), name="contest_detail"),
    path("contests/<int:pk>/edit/", contests.ContestEditView.as_view(), name="contest_edit"),
    path("contests/<int:pk>/delete/", contests.ContestDeleteView.as_view(), name="contest_delete"),
    path("contests/<int:pk>/entries/add/", contests.EntryAddView.as_view(), name="entry_add"),
    path("entries/<int:pk>/edit/", contests.EntryEditView.as_view(), name="entry_edit"),
    path("entries/<int:pk>/remove/", contests.EntryRemoveView.as_view(), name="entry_remove"),
    path(
        "contests/<int:pk>/participants/add/",
        contests.ParticipantAddView.as_view(),
        name="participant_add",
    ),
    path(
        "contests/<int:pk>/entries/import/",
        contest_imports.EntryImportView.as_view(),
        name="entry_import",
    ),
    path(
        "contests/<int:pk>/entries/import/template/",
        contest_imports.EntryTemplateView.as_view(),
        name="entry_import_template",
    ),
    path(
        "contests/<int:pk>/entries/export/",
        contest_imports.EntryExportView.as_view(),
        name="entry_export",
    ),
    path(
        "contests/<int:pk>/participants/import/",
        contest_imports.ParticipantImportView.as_view(),
        name="participant_import",
    ),
    path(
        "contests/<int:pk>/participants/import/template/",
        contest_imports.ParticipantTemplateView.as_view(),
        name="participant_import_template",
    ),
    path(
        "contests/<int:pk>/participants/export/",
        contest_imports.ParticipantExportView.as_view(),
        name="participant_export",
    ),
    path(
        "participants/<int:pk>/remove/",
        contests.ParticipantRemoveView.as_view(),
        name="participant_remove",
    ),
]
