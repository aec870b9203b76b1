"""The project's URLs plus the pages of the test register (`import_spec.SPEC`), for the page
tests of the import engine (`pytest.mark.urls`)."""

from __future__ import annotations

import django_filters
from django.urls import include, path

from congdoan.activities.import_views import (
    RecordExportView,
    RecordImportView,
    RecordTemplateView,
)
from congdoan.activities.models import Keeping
from congdoan.activities.tests.import_spec import SPEC
from congdoan.urls import urlpatterns as project


class KeepingFilter(django_filters.FilterSet):
    class Meta:
        model = Keeping
        fields = ["register"]


class KeepingImport(RecordImportView):
    spec = SPEC
    done_url = "test_import:export"
    template_url = "test_import:template"


patterns = [
    path("import/", KeepingImport.as_view(), name="import"),
    path("import/template/", RecordTemplateView.as_view(spec=SPEC), name="template"),
    path(
        "export/",
        RecordExportView.as_view(spec=SPEC, filterset_class=KeepingFilter),
        name="export",
    ),
]

urlpatterns = [*project, path("test-import/", include((patterns, "test_import")))]
