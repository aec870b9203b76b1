"""Pages of the emulation app (namespace "emulation")."""

from django.urls import path  # noqa: F401

app_name = "emulation"

urlpatterns: list = []
