from typing import Any

from django.http import HttpRequest


def ui(request: HttpRequest) -> dict[str, Any]:
    """Values every page template needs."""
    from django.conf import settings

    return {"congdoan_env": settings.ENVIRONMENT}
