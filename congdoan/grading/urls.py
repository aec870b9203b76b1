"""Pages of the grading app (namespace "grading")."""

from django.urls import path  # noqa: F401

app_name = "grading"

urlpatterns: list = []
