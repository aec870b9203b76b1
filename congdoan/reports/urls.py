"""Report pages (namespace "reports")."""

from django.urls import path

from congdoan.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("new/", views.ReportCreateView.as_view(), name="report_create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("<int:pk>/generate/", views.GenerateView.as_view(), name="report_generate"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="report_approve"),
    path("<int:pk>/issue/", views.IssueView.as_view(), name="report_issue"),
    path("<int:pk>/delete/", views.DeleteView.as_view(), name="report_delete"),
    path(
        "versions/<int:pk>/status/",
        views.GenerationStatusView.as_view(),
        name="generation_status",
    ),
    path(
        "versions/<int:pk>/<str:kind>/",
        views.GenerationFileView.as_view(),
        name="generation_file",
    ),
    path("units/<int:pk>/template/", views.TemplateEditView.as_view(), name="template"),
    path("units/<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path(
        "units/<int:pk>/template/<str:what>.docx",
        views.WordTemplateView.as_view(),
        name="word_template",
    ),
]
