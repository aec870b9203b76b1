"""Pages of the welfare register (namespace "welfare")."""

from django.urls import path

from congdoan.activities.import_views import RecordExportView
from congdoan.welfare import views
from congdoan.welfare.filters import AgreementFilter, UseFilter
from congdoan.welfare.imports import AGREEMENTS, USES_SPEC

app_name = "welfare"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("new/", views.AgreementCreateView.as_view(), name="create"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AgreementEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.AgreementDeleteView.as_view(), name="delete"),
    path("<int:pk>/uses/add/", views.UseCreateView.as_view(), name="use_add"),
    path("import/", views.AgreementImportView.as_view(), name="import"),
    path("import/template/", views.AgreementTemplateView.as_view(), name="import_template"),
    path(
        "export/",
        RecordExportView.as_view(spec=AGREEMENTS, filterset_class=AgreementFilter),
        name="export",
    ),
    path("uses/", views.UseListView.as_view(), name="uses"),
    path("uses/totals/", views.UseTotalsView.as_view(), name="use_totals"),
    path("uses/<int:pk>/edit/", views.UseEditView.as_view(), name="use_edit"),
    path("uses/<int:pk>/delete/", views.UseDeleteView.as_view(), name="use_delete"),
    path("uses/import/", views.UseImportView.as_view(), name="use_import"),
    path("uses/import/template/", views.UseTemplateView.as_view(), name="use_import_template"),
    path(
        "uses/export/",
        RecordExportView.as_view(spec=USES_SPEC, filterset_class=UseFilter),
        name="use_export",
    ),
]
