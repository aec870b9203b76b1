"""Pages of the inspections app (namespace "inspections")."""

from django.urls import path

from congdoan.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionListView.as_view(), name="list"),
    path("new/", views.InspectionCreateView.as_view(), name="create"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.InspectionEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.InspectionDeleteView.as_view(), name="delete"),
    path("<int:pk>/units/add/", views.TargetAddView.as_view(), name="target_add"),
    path("units/<int:pk>/remove/", views.TargetRemoveView.as_view(), name="target_remove"),
    path(
        "<int:pk>/recommendations/add/",
        views.RecommendationAddView.as_view(),
        name="recommendation_add",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/remove/",
        views.RecommendationRemoveView.as_view(),
        name="recommendation_remove",
    ),
    path(
        "recommendations/<int:pk>/follow-ups/add/",
        views.FollowUpAddView.as_view(),
        name="follow_up_add",
    ),
    path(
        "follow-ups/<int:pk>/remove/", views.FollowUpRemoveView.as_view(), name="follow_up_remove"
    ),
    path("import/", views.InspectionImportView.as_view(), name="import"),
    path("import/template/", views.InspectionTemplateView.as_view(), name="import_template"),
    path("export/", views.InspectionExportView.as_view(), name="export"),
    path("complaints/", views.ComplaintListView.as_view(), name="complaints"),
    path("complaints/import/", views.ComplaintImportView.as_view(), name="complaint_import"),
    path(
        "complaints/import/template/",
        views.ComplaintTemplateView.as_view(),
        name="complaint_import_template",
    ),
    path("complaints/export/", views.ComplaintExportView.as_view(), name="complaint_export"),
    path("complaints/new/", views.ComplaintCreateView.as_view(), name="complaint_create"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/edit/", views.ComplaintEditView.as_view(), name="complaint_edit"),
    path(
        "complaints/<int:pk>/delete/",
        views.ComplaintDeleteView.as_view(),
        name="complaint_delete",
    ),
]
