"""The catalogue of actions a role can grant: one enum, used everywhere an action is named.

A role is a set of these action codes (stored as their string values); a grant gives a role on
one unit and its whole subtree. Code names an action only as `Action.<NAME>`, so a misspelt one
fails when its module is imported (and under mypy), never quietly at run time; the scoping
functions refuse anything else. Adding an action here is all it takes for the role admin to
offer it.
"""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Action(StrEnum):
    ORGANISATION_VIEW = "organisation.view"
    ORGANISATION_CHANGE = "organisation.change"
    ORGANISATION_REORGANISE = "organisation.reorganise"
    ORGANISATION_MANAGE_TERMS = "organisation.manage_terms"
    ORGANISATION_MANAGE_CLUSTERS = "organisation.manage_clusters"
    ACCOUNTS_VIEW = "accounts.view"
    ACCOUNTS_GRANT = "accounts.grant"
    MEMBERS_VIEW = "members.view"
    MEMBERS_CHANGE = "members.change"
    MEMBERS_VIEW_PERSONAL = "members.view_personal"
    INDICATORS_VIEW = "indicators.view"
    INDICATORS_ENTER = "indicators.enter"
    INDICATORS_APPROVE = "indicators.approve"
    REPORTS_VIEW = "reports.view"
    REPORTS_WRITE = "reports.write"
    REPORTS_ISSUE = "reports.issue"
    INSPECTION_MANAGE = "inspection.manage"
    ACTIVITIES_MANAGE = "activities.manage"
    MEETINGS_MANAGE = "meetings.manage"
    AUDIT_VIEW = "audit.view"


ACTIONS: dict[Action, str | Promise] = {
    Action.ORGANISATION_VIEW: _("View units, the tree, history and lineage"),
    Action.ORGANISATION_CHANGE: _("Edit unit details"),
    Action.ORGANISATION_REORGANISE: _(
        "Reorganise units: create, move, merge, split, dissolve, plans"
    ),
    Action.ORGANISATION_MANAGE_TERMS: _("Manage terms, committees and their members"),
    Action.ORGANISATION_MANAGE_CLUSTERS: _("Manage emulation clusters and blocks"),
    Action.ACCOUNTS_VIEW: _("View user accounts and their roles"),
    Action.ACCOUNTS_GRANT: _("Create accounts and grant roles inside one's subtree"),
    Action.MEMBERS_VIEW: _("View members (masked personal data)"),
    Action.MEMBERS_CHANGE: _("Admit, transfer and update members"),
    Action.MEMBERS_VIEW_PERSONAL: _(
        "View full personal data (ID numbers, ethnicity, religion, Party)"
    ),
    Action.INDICATORS_VIEW: _("View targets, figures and dashboards"),
    Action.INDICATORS_ENTER: _("Enter figures"),
    Action.INDICATORS_APPROVE: _("Approve, lock and reopen figures of units below"),
    Action.REPORTS_VIEW: _("View reports of one's unit and the units below"),
    Action.REPORTS_WRITE: _("Draft reports, their templates and tasks, and generate them"),
    Action.REPORTS_ISSUE: _("Approve and issue reports (gives the document number)"),
    Action.INSPECTION_MANAGE: _("Record inspections and supervisions"),
    Action.ACTIVITIES_MANAGE: _(
        "Record care, welfare agreements, initiatives, contests, movements and models"
    ),
    Action.MEETINGS_MANAGE: _("Record meetings, their attendees, agenda and pledges"),
    Action.AUDIT_VIEW: _("View change history of records"),
}
assert set(ACTIONS) == set(Action), "every action needs its label"


def action_choices() -> list[tuple[str, str]]:
    return [(code.value, f"{code.value} — {label}") for code, label in ACTIONS.items()]
