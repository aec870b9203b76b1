"""The member list and the member page, with personal data: revealed with a purpose, and the
data-subject export.

Views only translate: reads go through `members.selectors`, what a user may see of personal
data is decided in `members.personal`. Members are fetched through the door (`OneMemberMixin`:
404 for "missing" and "not yours" alike, 403 without the personal-data right where needed).
"""

from __future__ import annotations

import json
from importlib.util import find_spec
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from congdoan.core.permissions import Action
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.members import personal, search, selectors
from congdoan.members.filters import MemberFilterSet
from congdoan.members.forms import PurposeForm, SubjectExportForm
from congdoan.members.models import Member
from congdoan.members.tables import MemberTable
from congdoan.members.views.common import PER_PAGE, OneMemberMixin, no_store

EXPORTS = (("export_xlsx", "Excel"), ("export_csv", "CSV"), ("export_pdf", "PDF"))


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _query_without(query: QueryDict, *names: str) -> str:
    q = query.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


def _page_number(request: Any) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _pdf_available() -> bool:
    return find_spec("congdoan.core.pdf") is not None


# ---------------------------------------------------------------------------------------------
# The member list


class MemberListView(ScopedMixin, TemplateView):
    """Search and filters (MemberFilterSet), Vietnamese official order, lazy pagination."""

    model = Member
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/registry/member_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return ["members/registry/partials/member_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        request = self.request
        filterset = MemberFilterSet(
            request.GET, queryset=selectors.member_list(request.user), request=request
        )
        table = self._table(filterset)
        ctx.update(
            filter=filterset,
            table=table,
            found=self._found(filterset, table),
            exact_first=search.parse(request.GET.get("q", "")).exact,
            exports=self._exports(),
            can_admit=self.has_scope(Action.MEMBERS_CHANGE),
            can_audit=self.has_scope(Action.AUDIT_VIEW),
            filters_open=bool(set(request.GET) - {"q", "page", "sort"}),
        )
        return ctx

    def _table(self, filterset: MemberFilterSet) -> MemberTable:
        """The page's rows: only those the page needs when the list keeps the official order."""
        request = self.request
        valid = filterset.is_valid()
        qs = filterset.qs if valid else filterset.queryset.none()
        if valid and not request.GET.get("sort"):
            qs = filterset.page_queryset(_page_number(request), PER_PAGE)
        table = MemberTable(qs)
        RequestConfig(
            request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        return table

    def _found(self, filterset: MemberFilterSet, table: MemberTable) -> dict[str, Any]:
        """How many members the list holds: known when this page is the last; otherwise the
        count is asked for apart (`MemberCountView`), so that the page stays fast."""
        found: dict[str, Any] = {"limit": selectors.COUNT_LIMIT}
        if filterset.errors:
            return {**found, "count": 0}
        page = getattr(table, "page", None)
        if page is not None and not page.has_next():
            found["count"] = (page.number - 1) * PER_PAGE + len(page.object_list)
        else:
            query = _query_without(self.request.GET, "page", "sort")
            found["url"] = f"{reverse('members:member_count')}?{query}"
        return found

    def _exports(self) -> list[tuple[str, str]]:
        """The export links, with the list's filters."""
        query = _query_without(self.request.GET, "page", "sort")
        exports = []
        for name, label in EXPORTS:
            url = _url(f"members:{name}")
            if url:
                exports.append((label, f"{url}?{query}" if query else url))
        return exports


class MemberCountView(ScopedMixin, TemplateView):
    """The count of the member list (same parameters), up to `selectors.COUNT_LIMIT`: an htmx
    fragment that the list asks for when its page is not the last."""

    model = Member
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/registry/partials/member_count.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        request = self.request
        filterset = MemberFilterSet(
            request.GET, queryset=selectors.member_list(request.user), request=request
        )
        limit = selectors.COUNT_LIMIT
        count = filterset.found_count(limit) if filterset.is_valid() else 0
        ctx["found"] = {"count": count, "limit": limit}
        return ctx


# ---------------------------------------------------------------------------------------------
# The member page and personal data


def render_member_page(
    request: HttpRequest,
    member: Member,
    *,
    revealed: bool,
    purpose_form: PurposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.member_page(request.user, member, revealed=revealed)
    if purpose_form is None and page.can["personal"] and not revealed:
        purpose_form = PurposeForm()
    response = render(
        request,
        "members/registry/member_detail.html",
        {
            "member": member,
            "page": page,
            "p": page.profile,
            "purpose_form": purpose_form,
            "pdf_available": _pdf_available(),
        },
        status=status,
    )
    if revealed:
        no_store(response)
    return response


class MemberDetailView(OneMemberMixin, View):
    scope_action = Action.MEMBERS_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_member_page(request, self.get_member(), revealed=False)


class MemberRevealView(OneMemberMixin, View):
    """POST a purpose: the member page with full personal data, for this response only; the read
    is logged (PersonalDataAccess, kind "view")."""

    http_method_names = ["post"]
    scope_action = Action.MEMBERS_VIEW
    needs_personal = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_member()
        form = PurposeForm(request.POST)
        if not form.is_valid():
            return render_member_page(
                request, member, revealed=False, purpose_form=form, status=400
            )
        personal.reveal(
            user=request.user, member=member, purpose=form.purpose_text, where=request.path
        )
        return render_member_page(request, member, revealed=True)


class SubjectExportView(OneMemberMixin, View):
    """Everything held about one member (JSON or PDF), for the personal-data role; logged as a
    data-subject export."""

    scope_action = Action.MEMBERS_VIEW
    needs_personal = True
    member_first = True
    template_name = "members/registry/subject_export.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SubjectExportForm(pdf=_pdf_available())
        return render(request, self.template_name, {"member": self.member, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        form = SubjectExportForm(request.POST, pdf=_pdf_available())
        if not form.is_valid():
            return render(
                request, self.template_name, {"member": self.member, "form": form}, status=400
            )
        data = personal.subject_export_data(
            user=request.user,
            member=self.member,
            purpose=form.purpose_text,
            where=f"{request.path} ({form.cleaned_data['format']})",
        )
        stem = f"doan-vien-{self.member.pk}-{timezone.localdate():%Y%m%d}"
        if form.cleaned_data["format"] == "pdf":
            return no_store(self._pdf(data, stem))
        body = json.dumps(data.as_dict(), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
        return no_store(response)

    def _pdf(self, data: Any, stem: str) -> HttpResponse:
        from congdoan.core import pdf

        content = pdf.render_pdf(
            "members/registry/subject_export_pdf.html",
            {"member": self.member, "data": data, "today": timezone.localdate()},
            request=self.request,
        )
        return pdf.pdf_response(content, f"{stem}.pdf")


urlpatterns = [
    path("", MemberListView.as_view(), name="member_list"),
    path("count/", MemberCountView.as_view(), name="member_count"),
    path("<int:pk>/", MemberDetailView.as_view(), name="member_detail"),
    path("<int:pk>/reveal/", MemberRevealView.as_view(), name="member_reveal"),
    path("<int:pk>/subject-export/", SubjectExportView.as_view(), name="member_subject_export"),
]
