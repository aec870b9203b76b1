from collections import defaultdict
from typing import Any

from congdoan.accounts.models import RoleGrant


def grant_paths_by_action(user: Any) -> dict[str, set[str]]:
    """For each action, the current paths of the units where the user's active grants give it."""
    result: dict[str, set[str]] = defaultdict(set)
    grants = (
        RoleGrant.objects.active()
        .filter(user=user, unit__dissolved_on__isnull=True)
        .values_list("role__permissions", "unit__path")
    )
    for permissions, path in grants:
        for action in permissions or []:
            result[action].add(path)
    return result


def user_requires_otp(user: Any) -> bool:
    return RoleGrant.objects.active().filter(user=user, role__requires_otp=True).exists()


def active_grants(user: Any) -> list[RoleGrant]:
    return list(
        RoleGrant.objects.active()
        .filter(user=user)
        .select_related("role", "unit", "unit__unit_type")
        .order_by("unit__path")
    )
