"""Pages of the emulation app (namespace "emulation")."""

from django.urls import path

from congdoan.emulation import views

app_name = "emulation"

urlpatterns = [
    path("", views.MovementListView.as_view(), name="movement_list"),
    path("movements/new/", views.MovementCreateView.as_view(), name="movement_create"),
    path("movements/<int:pk>/", views.MovementDetailView.as_view(), name="movement_detail"),
    path("movements/<int:pk>/edit/", views.MovementEditView.as_view(), name="movement_edit"),
    path("movements/<int:pk>/phases/add/", views.PhaseAddView.as_view(), name="phase_add"),
    path(
        "movements/<int:pk>/register/",
        views.RegistrationCreateView.as_view(),
        name="registration_create",
    ),
    path(
        "registrations/<int:pk>/withdraw/",
        views.RegistrationWithdrawView.as_view(),
        name="registration_withdraw",
    ),
    path("pledges/", views.PledgeListView.as_view(), name="pledge_list"),
    path("pledges/new/", views.PledgeCreateView.as_view(), name="pledge_create"),
    path("pledges/<int:pk>/", views.PledgeDetailView.as_view(), name="pledge_detail"),
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/new/", views.SchemeCreateView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("rankings/", views.RankingIndexView.as_view(), name="ranking_index"),
    path("clusters/<int:pk>/ranking/", views.RankingView.as_view(), name="ranking"),
    path(
        "clusters/<int:pk>/scorecards/open/",
        views.ScorecardOpenView.as_view(),
        name="scorecard_open",
    ),
    path("clusters/<int:pk>/proposal/", views.ProposalEditView.as_view(), name="proposal_edit"),
    path("scorecards/<int:pk>/", views.ScorecardDetailView.as_view(), name="scorecard_detail"),
    path(
        "scorecards/<int:pk>/<str:stage>/",
        views.ScorecardScoreView.as_view(),
        name="scorecard_score",
    ),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/submit/", views.ProposalSubmitView.as_view(), name="proposal_submit"),
]
