"""Indicator pages: entry (filled in by the entry work)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
