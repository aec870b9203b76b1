from django.urls import path

from congdoan.activities import views

app_name = "activities"

urlpatterns = [
    path("unit/<int:pk>/registers/", views.KeepingView.as_view(), name="keeping"),
    path(
        "attachments/<str:label>/<int:pk>/add/",
        views.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path(
        "attachments/<int:pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
]
