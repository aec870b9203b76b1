from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope

# What the menu of base.html shows: each entry appears only to users who hold its action on
# some unit (the pages themselves still check; this only hides what would answer 403).
MENU = {
    "organisation": Action.ORGANISATION_VIEW,
    "reorganise": Action.ORGANISATION_REORGANISE,
    "members": Action.MEMBERS_VIEW,
    "members_change": Action.MEMBERS_CHANGE,
    "audit": Action.AUDIT_VIEW,
    "indicators": Action.INDICATORS_VIEW,
    "meetings": Action.ORGANISATION_VIEW,
    "activities": Action.INDICATORS_VIEW,
    "reports": Action.REPORTS_VIEW,
    "reports_write": Action.REPORTS_WRITE,
    "accounts": Action.ACCOUNTS_VIEW,
}


def ui(request: HttpRequest) -> dict[str, Any]:
    """Values every page template needs: the environment and, for the menu, which actions the
    signed-in user holds somewhere (`menu.members`…; read once, on the first page that asks)."""
    from django.conf import settings

    user = getattr(request, "user", None)
    return {
        "congdoan_env": settings.ENVIRONMENT,
        "menu": SimpleLazyObject(lambda: {key: has_any_scope(user, a) for key, a in MENU.items()}),
    }
