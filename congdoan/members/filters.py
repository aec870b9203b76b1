"""Filters of the member list, shared by the page, the exports and the API.

Interface (kept stable; the exports and the REST API reuse it):

    fs = MemberFilterSet(request.GET, queryset=Member.objects.all(), request=request)
    if fs.is_valid():
        members = fs.qs          # scoped, filtered, in Vietnamese official order
    else:
        fs.errors                # {parameter: [message]}

Whatever queryset is given, `qs` keeps only the members the requesting user may see
("members.view"); without a request it is empty. Parameters (all optional):

| parameter    | values                                                   | meaning                      |
|--------------|----------------------------------------------------------|------------------------------|
| q            | text                                                     | words of the name (whole words, the last may be a beginning; case, diacritics, NFC/NFD and tone placement ignored, names written as typed first), card number, phone or citizen ID |
| unit         | a unit code (or id) within the user's scope              | that unit and its subtree    |
| sex          | M, F                                                     |                              |
| status       | current (default), active, suspended, exited, all        | current = active + suspended |
| age_band     | lt30, 30_39, 40_49, 50plus                               | age today                    |
| hardship     | true                                                     | in hardship only             |
| disability   | true                                                     | with a disability only       |
| ethnicity    | an ethnicity code ("01" Kinh … "54")                     | personal-data users only*    |
| party_member | true, false                                              | personal-data users only*    |

*These two filters on sensitive data exist only for users holding "members.view_personal"; when
used, the result is further limited to the units where the user holds it (so that nobody learns
the ethnicity or Party membership of members whose personal data they may not read). For other
users they are ignored. `fs.uses_personal_data` says whether one was applied.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope, path_range_q
from congdoan.members import lookups, personal
from congdoan.members.forms import style, unit_choices
from congdoan.members.models import AccessKind, Ethnicity, Member, MemberStatus, Sex
from congdoan.members.search import in_search_order, search_q
from congdoan.members.selectors import age_band_dates
from congdoan.organisation.forms import UnitChoiceField

STATUS_CHOICES = [
    ("current", _("Current members")),
    (MemberStatus.ACTIVE, MemberStatus.ACTIVE.label),
    (MemberStatus.SUSPENDED, _("Suspended")),
    (MemberStatus.EXITED, _("Former members")),
    ("all", _("All records")),
]
AGE_BANDS = [
    ("lt30", _("Under 30")),
    ("30_39", _("30–39")),
    ("40_49", _("40–49")),
    ("50plus", _("50 and over")),
]
PERSONAL_FILTERS = ("ethnicity", "party_member")


class UnitSubtreeFilter(django_filters.Filter):
    """A unit within the user's scope (by code or id): the members of its subtree."""

    field_class = UnitChoiceField

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(path_range_q("unit__path", value.path))


class MemberFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, card number, phone or ID number"), "type": "search"}
        ),
    )
    unit = UnitSubtreeFilter(label=_("Unit (with the units below it)"))
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age"), choices=AGE_BANDS, method="filter_age_band", empty_label=_("All")
    )
    hardship = django_filters.BooleanFilter(
        label=_("In hardship"), method="filter_flag", widget=forms.CheckboxInput
    )
    disability = django_filters.BooleanFilter(
        label=_("With a disability"), method="filter_flag", widget=forms.CheckboxInput
    )
    ethnicity = django_filters.ModelChoiceFilter(
        label=_("Ethnicity"),
        queryset=Ethnicity.objects.all(),
        to_field_name="code",
        method="filter_personal",
        empty_label=_("All"),
    )
    party_member = django_filters.BooleanFilter(label=_("Party member"), method="filter_personal")

    class Meta:
        model = Member
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Member] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ):
        # Always bound, so that the defaults (current members) apply without a query string.
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "current"
        if queryset is None:
            queryset = Member.objects.all()
        super().__init__(data, queryset=queryset, request=request, prefix=prefix)
        self.user = getattr(request, "user", None)
        self.filters["unit"].extra.update(
            user=self.user, action=Action.MEMBERS_VIEW, active_only=False, required=False
        )
        self.unit_choices = unit_choices(self.user, Action.MEMBERS_VIEW)
        if self.unit_choices is not None:
            self.filters["unit"].extra["widget"] = forms.Select()
        self.personal_allowed = has_any_scope(self.user, Action.MEMBERS_VIEW_PERSONAL)
        if not self.personal_allowed:
            for name in PERSONAL_FILTERS:
                self.filters.pop(name, None)
        self.uses_personal_data = False

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            form = style(super().form)
            if self.unit_choices is not None:
                # The unit field would otherwise list its whole queryset again.
                form.fields["unit"].widget.choices = self.unit_choices
        return super().form

    def is_valid(self) -> bool:
        return super().is_valid() and self._lookup_allowed()

    def _where(self) -> str:
        return getattr(self.request, "path", "") or ""

    def _lookup_allowed(self) -> bool:
        """A search by a full identity number is a limited look-up (`members.lookups`); over
        the limit, `q` becomes an error and the list answers nothing. Checked once."""
        if not hasattr(self, "_lookup_ok"):
            self._lookup_ok = True
            sought = lookups.identity_number(self.form.cleaned_data.get("q"))
            if sought and self.user is not None and self.user.is_authenticated:
                try:
                    lookups.require_lookups(
                        self.user, kind=AccessKind.LOOKUP, where=self._where(), sought=sought
                    )
                except lookups.LookupLimitReached as exc:
                    self.form.add_error("q", str(exc))
                    self._lookup_ok = False
        return self._lookup_ok

    def filter_queryset(self, queryset: QuerySet[Member]) -> QuerySet[Member]:
        """Always limited to the user's scope, whatever queryset the caller passed."""
        queryset = queryset.visible_to(self.user, Action.MEMBERS_VIEW)  # type: ignore[attr-defined]
        if not self._lookup_allowed():
            return queryset.none()
        return super().filter_queryset(queryset)

    def page_queryset(self, page: int, per_page: int) -> QuerySet[Member]:
        """`qs` narrowed to what the list's pages 1…`page` need, in the official order
        (`selectors.member_page_rows`: the ordered walk when the user searched a name)."""
        from congdoan.members.selectors import covers_country, member_page_rows

        data = self.form.cleaned_data
        wide = not data.get("unit") and covers_country(self.user)
        return member_page_rows(self.qs, data.get("q") or "", page, per_page, wide=wide)

    def found_count(self, limit: int) -> int:
        """How many members `qs` holds, counted up to `limit + 1` (`selectors.member_count`)."""
        from congdoan.members.selectors import covers_country, member_count

        data = self.form.cleaned_data
        wide = not data.get("unit") and covers_country(self.user)
        return member_count(self.qs, data.get("q") or "", limit, wide=wide)

    def filter_q(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        # The filter and the list's order (names written as typed first); each list finds its
        # page through `selectors.member_page_rows`.
        if not value.strip():
            return queryset
        found = in_search_order(queryset.filter(search_q(value)), value)
        sought = lookups.identity_number(value)
        if sought and self.user is not None and self.user.is_authenticated:
            ids = list(found.order_by().values_list("pk", flat=True)[:100])
            lookups.record_search(self.user, sought=sought, found=ids, where=self._where())
        return found

    def filter_status(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        if value == "all":
            return queryset
        if value in ("current", "", None):
            return queryset.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.SUSPENDED])
        return queryset.filter(status=value)

    def filter_age_band(
        self, queryset: QuerySet[Member], name: str, value: str
    ) -> QuerySet[Member]:
        if not value:
            return queryset
        born_after, born_on_or_before = age_band_dates(value)
        q = Q(date_of_birth__isnull=False)
        if born_after is not None:
            q &= Q(date_of_birth__gt=born_after)
        if born_on_or_before is not None:
            q &= Q(date_of_birth__lte=born_on_or_before)
        return queryset.filter(q)

    def filter_flag(self, queryset: QuerySet[Member], name: str, value: Any) -> QuerySet[Member]:
        return queryset.filter(**{name: True}) if value else queryset

    def filter_personal(
        self, queryset: QuerySet[Member], name: str, value: Any
    ) -> QuerySet[Member]:
        if value is None or value == "":
            return queryset
        self.uses_personal_data = True
        q = personal.personal_q(self.user)
        if q is not None:
            queryset = queryset.filter(q)
        return queryset.filter(**{name: value})
