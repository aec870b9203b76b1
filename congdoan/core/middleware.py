"""Project-wide middleware: the language, and numbers out of range.

Vietnamese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, and many officers' browsers ask
for English (an English Windows or Chrome). Pages therefore follow only the language the user
picked in the navbar (the language cookie) and are Vietnamese otherwise; API clients, which set
Accept-Language on purpose, keep Django's negotiation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger("congdoan.requests")


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        code = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class NumberOutOfRangeMiddleware:
    """A number too large for any database column answers 400, never 500.

    Filters and forms bound their numbers (`congdoan.core.filters`); this is the net under a
    parameter that escaped them: SQLite raises OverflowError, PostgreSQL a DataError
    ("out of range"). Logged as a warning, so that the parameter gets its own check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _out_of_range(exception):
            return None
        log.warning("number out of range in %s %s", request.method, request.path)
        message = _("A number in the request is too large.")
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "400.html", {"message": message}, status=400)


def _out_of_range(exception: Exception) -> bool:
    from django.db import DataError

    if isinstance(exception, OverflowError):
        return True
    return isinstance(exception, DataError) and "out of range" in str(exception)


class NullCharacterMiddleware:
    """A page request with a NUL character in a query or form field answers 400, naming the field.

    PostgreSQL cannot receive a NUL: a field that looks something up by the text typed (a unit's
    code, a catalogue entry) would answer 500. Django's text fields refuse it themselves; this is
    the net under every other field. The API has the same net in its parsers
    (`core.api.base.NulFreeParser`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            sources = [request.GET]
            if request.method == "POST" and request.content_type in _FORM_TYPES:
                sources.append(request.POST)
            for source in sources:
                for key, values in source.lists():
                    if "\x00" in key or any("\x00" in v for v in values):
                        message = _("%(field)s: null characters are not allowed.") % {
                            "field": key.replace("\x00", "")
                        }
                        return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
