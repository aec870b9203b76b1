"""`{% attachments record %}`: the files attached to a record, with the upload form for those
who may manage its register (on every register's detail page)."""

from __future__ import annotations

from typing import Any

from django import template

from congdoan.activities import selectors, services
from congdoan.activities.forms import AttachmentForm
from congdoan.core.exceptions import RuleViolation
from congdoan.core.scoping import path_in_scope

register = template.Library()


@register.inclusion_tag("activities/partials/attachments.html", takes_context=True)
def attachments(context: Any, record: Any) -> dict[str, Any]:
    request = context["request"]
    try:
        action = services.manage_action(record)
        can_manage = path_in_scope(request.user, action, record.unit.path)
    except RuleViolation:
        can_manage = False
    return {
        "record": record,
        "label": f"{record._meta.app_label}.{record._meta.object_name}",
        "files": selectors.attachments_of(record),
        "can_manage": can_manage,
        "form": AttachmentForm(),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
