"""Pages of the meetings app (namespace "meetings")."""

from django.urls import path

from congdoan.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.MeetingCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="delete"),
    path("<int:pk>/attendees/add/", views.AttendeeAddView.as_view(), name="attendee_add"),
    path("attendees/<int:pk>/remove/", views.AttendeeRemoveView.as_view(), name="attendee_remove"),
    path("<int:pk>/agenda/add/", views.AgendaAddView.as_view(), name="agenda_add"),
    path("agenda/<int:pk>/edit/", views.AgendaEditView.as_view(), name="agenda_edit"),
    path("agenda/<int:pk>/remove/", views.AgendaRemoveView.as_view(), name="agenda_remove"),
    path("agenda/<int:pk>/document/", views.AgendaDocumentView.as_view(), name="agenda_document"),
    path("<int:pk>/pledges/new/", views.PledgeCreateView.as_view(), name="pledge_create"),
    path("pledges/<int:pk>/document/", views.PledgeDocumentView.as_view(), name="pledge_document"),
]
