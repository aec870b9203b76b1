"""Indicator pages: dashboard (filled in by the dashboard work)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
