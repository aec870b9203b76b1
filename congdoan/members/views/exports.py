"""Exports of the member list: xlsx, csv and the printable list (PDF), with the list's filters.

Views only translate: the members come from `selectors.member_export` through the list's
filters (`MemberFilterSet`, which keeps only the members the user may see), the files from
`members.exports`. With personal data, the user states a purpose first, must be allowed to read
the personal data of every member of the list (`personal.can_view_personal_of_all`, 403
otherwise), and the export is logged (`personal.log_access`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.members import exports, personal, selectors
from congdoan.members.filters import MemberFilterSet
from congdoan.members.forms import ExportPurposeForm
from congdoan.members.models import AccessKind, Member
from congdoan.members.views.common import no_store
from congdoan.organisation.selectors import current_roots

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class ExportView(ScopedMixin, View):
    """The member list as filtered on the list page (same parameters), within scope.

    With `personal=1` the user is first asked for the purpose (a POST back to the same address);
    the export then includes the full citizen ID, ethnicity, religion and Party columns, and is
    logged — if the user may read the personal data of every member in it (403 otherwise)."""

    model = Member
    scope_action = Action.MEMBERS_VIEW
    kind = "xlsx"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        filterset = self._filterset()
        if not filterset.is_valid():
            return self._invalid(filterset)
        qs = filterset.qs
        if request.GET.get("personal") == "1" and self.kind != "pdf":
            self._check_personal(qs)
            return render(
                request,
                "members/exports/export_purpose.html",
                {"form": ExportPurposeForm(), "kind": self.kind, "count": qs.count()},
            )
        return self._export(qs, filterset, purpose="")

    def post(self, request: HttpRequest) -> HttpResponseBase:
        filterset = self._filterset()
        if not filterset.is_valid():
            return self._invalid(filterset)
        qs = filterset.qs
        if self.kind == "pdf" or request.GET.get("personal") != "1":
            return self._export(qs, filterset, purpose="")
        self._check_personal(qs)
        form = ExportPurposeForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "members/exports/export_purpose.html",
                {"form": form, "kind": self.kind, "count": qs.count()},
                status=400,
            )
        text = personal.purpose_text(form.cleaned_data["purpose"], form.cleaned_data["detail"])
        return self._export(qs, filterset, purpose=text)

    def _filterset(self) -> MemberFilterSet:
        request = self.request
        return MemberFilterSet(
            request.GET, queryset=selectors.member_export(request.user), request=request
        )

    def _invalid(self, filterset: MemberFilterSet) -> HttpResponse:
        problems = [
            f"{name}: {'; '.join(map(str, errs))}" for name, errs in filterset.errors.items()
        ]
        return _text("\n".join(problems) or _("Invalid filter."))

    def _check_personal(self, qs: QuerySet[Member]) -> None:
        if not personal.can_view_personal_of_all(self.request.user, qs):
            raise PermissionDenied(
                _(
                    "You may not read the personal data of every member of this list; narrow "
                    "it to units where you hold that right, or export without personal data."
                )
            )

    def _unit(self, filterset: MemberFilterSet) -> Any:
        """The unit the list is of: the filter's, or else the user's one topmost unit."""
        unit = filterset.form.cleaned_data.get("unit")
        if unit is not None:
            return unit
        roots = current_roots(self.request.user)
        return roots[0] if len(roots) == 1 else None

    def _export(
        self, qs: QuerySet[Member], filterset: MemberFilterSet, *, purpose: str
    ) -> HttpResponseBase:
        unit = self._unit(filterset)
        filename = exports.export_filename(self.kind, unit.code if unit is not None else "")
        full = bool(purpose)
        if full:
            self._log(qs, purpose)
        if self.kind == "csv":
            response: HttpResponseBase = StreamingHttpResponse(
                exports.csv_stream(qs, personal=full), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        elif self.kind == "xlsx":
            response = FileResponse(
                exports.xlsx_tempfile(qs, personal=full, title="Danh sách đoàn viên"),
                as_attachment=True,
                filename=filename,
                content_type=XLSX,
            )
        else:
            response = self._pdf(qs, unit, filename)
        return no_store(response)

    def _log(self, qs: QuerySet[Member], purpose: str) -> None:
        request = self.request
        personal.log_access(
            user=request.user,
            kind=AccessKind.EXPORT,
            purpose=purpose,
            members=selectors.member_ids(qs),
            where=f"{request.path} ({self.kind}) {request.GET.urlencode()}"[:300],
        )

    def _pdf(self, qs: QuerySet[Member], unit: Any, filename: str) -> HttpResponse:
        """The printable list of one unit, up to `exports.PDF_MAX_ROWS` members."""
        if unit is None:
            return _text(_("Choose a unit to print its member list."))
        count = qs.count()
        if count > exports.PDF_MAX_ROWS:
            return _text(
                _(
                    "The printable list is limited to %(max)s members (this one has %(n)s): "
                    "choose a smaller unit, or export to Excel."
                )
                % {"max": exports.PDF_MAX_ROWS, "n": count}
            )
        data = exports.printed_list(qs, unit=unit)
        show_unit = len({r["unit"] for r in data.rows}) > 1
        from congdoan.core.pdf import pdf_response

        return pdf_response(exports.render_pdf(data, show_unit=show_unit), filename)


urlpatterns = [
    path("export.xlsx", ExportView.as_view(kind="xlsx"), name="export_xlsx"),
    path("export.csv", ExportView.as_view(kind="csv"), name="export_csv"),
    path("export.pdf", ExportView.as_view(kind="pdf"), name="export_pdf"),
]
