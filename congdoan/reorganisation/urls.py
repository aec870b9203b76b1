"""Pages of the reorganisation app: the wizard, the event register and plans."""

from django.urls import path

from congdoan.reorganisation.views import events, plans, wizard

app_name = "reorganisation"

urlpatterns = [
    # Wizard: one page per operation (?unit=<pk> preselects the unit, ?parent=<pk> for create).
    path("", wizard.StartView.as_view(), name="start"),
    path("create/", wizard.CreateView.as_view(), name="create"),
    path("update/", wizard.UpdateView.as_view(), name="update"),
    path("move/", wizard.MoveView.as_view(), name="move"),
    path("merge/", wizard.MergeView.as_view(), name="merge"),
    path("split/", wizard.SplitView.as_view(), name="split"),
    path("dissolve/", wizard.DissolveView.as_view(), name="dissolve"),
    # Recorded reorganisations.
    path("events/", events.EventListView.as_view(), name="event_list"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event_detail"),
]

# Plans: many operations with one effective date, from a file.
urlpatterns += [
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/upload/", plans.PlanUploadView.as_view(), name="plan_upload"),
    path("plans/template.xlsx", plans.PlanTemplateView.as_view(), name="plan_template"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/apply/", plans.PlanApplyView.as_view(), name="plan_apply"),
]
