"""Pages of the awards (namespace "awards")."""

from django.urls import path

from congdoan.awards import views

app_name = "awards"

urlpatterns = [
    path("", views.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/edit/", views.DecisionEditView.as_view(), name="decision_edit"),
    path("decisions/<int:pk>/delete/", views.DecisionDeleteView.as_view(), name="decision_delete"),
    path("decisions/<int:pk>/add/", views.AwardAddView.as_view(), name="award_add"),
    path("decisions/<int:pk>/docx/", views.DecisionDocxView.as_view(), name="decision_docx"),
    path(
        "decisions/<int:pk>/certificates/",
        views.DecisionCertificatesView.as_view(),
        name="decision_certificates",
    ),
    path("awards/<int:pk>/delete/", views.AwardDeleteView.as_view(), name="award_delete"),
    path(
        "awards/<int:pk>/certificate/",
        views.AwardCertificateView.as_view(),
        name="award_certificate",
    ),
    path("nominations/", views.NominationListView.as_view(), name="nomination_list"),
    path("nominations/new/", views.NominationCreateView.as_view(), name="nomination_create"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.NominationEditView.as_view(), name="nomination_edit"),
    path(
        "nominations/<int:pk>/submit/",
        views.NominationActionView.as_view(action="submit"),
        name="nomination_submit",
    ),
    path(
        "nominations/<int:pk>/withdraw/",
        views.NominationActionView.as_view(action="withdraw"),
        name="nomination_withdraw",
    ),
    path(
        "nominations/<int:pk>/delete/",
        views.NominationActionView.as_view(action="delete"),
        name="nomination_delete",
    ),
    path(
        "nominations/<int:pk>/dossier/",
        views.NominationDossierView.as_view(),
        name="nomination_dossier",
    ),
    path(
        "nominations/<int:pk>/review/",
        views.NominationReviewView.as_view(),
        name="nomination_review",
    ),
    path("council/<int:pk>/", views.CouncilView.as_view(), name="council"),
    path(
        "from-proposal/<int:pk>/",
        views.FromProposalView.as_view(),
        name="nominate_from_proposal",
    ),
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("tallies/", views.TallyView.as_view(), name="tallies"),
]
