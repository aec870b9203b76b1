"""Pages of the awards app (namespace "awards")."""

from django.urls import path  # noqa: F401

app_name = "awards"

urlpatterns: list = []
