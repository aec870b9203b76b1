"""Pages of the organisation app. Two sections: tree/units/clusters/terms, then reorganisation."""

from django.urls import path  # noqa: F401

app_name = "organisation"

# Tree, units, clusters, terms and committees.
urlpatterns: list = []

# Reorganisation wizard and plans.
urlpatterns += []
