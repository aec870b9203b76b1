"""The personal-data access log, for auditors ("audit.view"): reads of full personal data and
look-ups by identity number (who, when, which members, why), of the members and users in the
auditor's scope (`selectors.access_log`)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.members import selectors
from congdoan.members.models import AccessKind, Member, PersonalDataAccess
from congdoan.members.tables import AccessLogTable
from congdoan.members.views.common import PER_PAGE


class AccessLogView(ScopedMixin, TemplateView):
    """Reads of full personal data (who, when, which members, why) for auditors: rows that
    concern at least one member in the auditor's scope ("audit.view"); `?kind=`, `?member=`."""

    model = PersonalDataAccess
    scope_action = Action.AUDIT_VIEW
    template_name = "members/registry/access_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        member = self._member()
        rows = selectors.access_log(
            self.request.user, kind=kind if kind in AccessKind.values else "", member=member
        )
        table = AccessLogTable(rows)
        RequestConfig(
            self.request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        selectors.access_members(self.request.user, [row.record for row in table.page.object_list])
        ctx.update(table=table, kind=kind, member=member, allowed=self.has_scope())
        return ctx

    def _member(self) -> Member | None:
        """The member of `?member=` (404 when not one the user may see), or None."""
        member_id = parse_id(self.request.GET.get("member"))
        if member_id is None:
            return None
        member: Member = self.get_visible(Member, Action.MEMBERS_VIEW, pk=member_id)
        return member


urlpatterns = [path("access-log/", AccessLogView.as_view(), name="access_log")]
