"""Pages of the grading app (namespace "grading")."""

from django.urls import path

from congdoan.grading import views

app_name = "grading"

urlpatterns = [
    path("", views.GradingListView.as_view(), name="list"),
    path("new/", views.GradingStartView.as_view(), name="create"),
    path("grade/<int:unit_pk>/<int:year>/", views.GradingCreateView.as_view(), name="grade"),
    path("not-graded/", views.UngradedView.as_view(), name="ungraded"),
    path("export/", views.GradingExportView.as_view(), name="export"),
    path("import/", views.GradingImportView.as_view(), name="import"),
    path("import/template/", views.GradingTemplateView.as_view(), name="import_template"),
    path("unit/<int:pk>/", views.UnitHistoryView.as_view(), name="unit_history"),
    path("<int:pk>/", views.GradingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.GradingEditView.as_view(), name="edit"),
    path("<int:pk>/confirm/", views.GradingConfirmView.as_view(), name="confirm"),
    path("<int:pk>/delete/", views.GradingDeleteView.as_view(), name="delete"),
    path("schemes/", views.SchemeListView.as_view(), name="schemes"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
]
