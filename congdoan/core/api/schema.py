"""The OpenAPI schema view: generated once per process, version and language.

Generating the schema walks every endpoint and serializer (about 4 s here). It is public
(`SERVE_PUBLIC`: the same for every signed-in caller, who may only read it), and it changes
only with the code, so each process keeps what it generated; a deployment restarts its
processes with new code.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    _generated: ClassVar[dict[tuple[str | None, str | None, bool], Any]] = {}

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version, bool(self.serve_public))
        if key not in self._generated:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self._generated[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=self._generated[key],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
