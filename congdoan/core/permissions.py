"""The catalogue of actions a role can grant.

A role is a set of these action codes; a grant gives a role on one unit and its whole subtree.
Adding an action here is all it takes for the role admin to offer it.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, str | Promise] = {
    "organisation.view": _("View units, the tree, history and lineage"),
    "organisation.change": _("Edit unit details"),
    "organisation.reorganise": _("Reorganise units: create, move, merge, split, dissolve, plans"),
    "organisation.manage_terms": _("Manage terms, committees and their members"),
    "organisation.manage_clusters": _("Manage emulation clusters and blocks"),
    "accounts.view": _("View user accounts and their roles"),
    "accounts.grant": _("Create accounts and grant roles inside one's subtree"),
    "members.view": _("View members (masked personal data)"),
    "members.change": _("Admit, transfer and update members"),
    "members.view_personal": _("View full personal data (ID numbers, ethnicity, religion, Party)"),
    "indicators.view": _("View targets, figures and dashboards"),
    "indicators.enter": _("Enter figures"),
    "indicators.approve": _("Approve, lock and reopen figures of units below"),
    "inspection.manage": _("Record inspections and supervisions"),
    "audit.view": _("View change history of records"),
}

VIEW = "organisation.view"


def action_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {label}") for code, label in ACTIONS.items()]
