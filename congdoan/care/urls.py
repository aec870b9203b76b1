"""Pages of the care register (namespace "care")."""

from django.urls import path

from congdoan.care import views

app_name = "care"

urlpatterns = [
    path("", views.CareListView.as_view(), name="list"),
    path("totals/", views.CareTotalsView.as_view(), name="totals"),
    path("new/", views.CareCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CareDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal/", views.CareRevealView.as_view(), name="reveal"),
    path("<int:pk>/edit/", views.CareEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.CareDeleteView.as_view(), name="delete"),
    path("import/", views.CareImportView.as_view(), name="import"),
    path("import/template/", views.CareTemplateView.as_view(), name="import_template"),
    path("export/", views.CareExportView.as_view(), name="export"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", views.CampaignDeleteView.as_view(), name="campaign_delete"),
]
