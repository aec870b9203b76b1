"""Pages of the register of movements and models (namespace "movements")."""

from django.urls import path

from congdoan.movements import views

app_name = "movements"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("new/", views.ActivityCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ActivityEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="delete"),
    path("import/", views.ActivityImportView.as_view(), name="import"),
    path("import/template/", views.ActivityTemplateView.as_view(), name="import_template"),
    path("export/", views.ActivityExportView.as_view(), name="export"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/import/", views.AgreementImportView.as_view(), name="agreement_import"),
    path(
        "agreements/import/template/",
        views.AgreementTemplateView.as_view(),
        name="agreement_import_template",
    ),
    path("agreements/export/", views.AgreementExportView.as_view(), name="agreement_export"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path(
        "agreements/<int:pk>/delete/",
        views.AgreementDeleteView.as_view(),
        name="agreement_delete",
    ),
]
