"""Indicator API (under /api/v1/, names prefixed with "api:")."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
