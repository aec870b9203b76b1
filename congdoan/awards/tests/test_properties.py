"""Property tests of the eligibility rules and the tallies, over random data on the standard
world (each example runs in a savepoint that is rolled back)."""

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.awards import rules, selectors, services
from congdoan.awards.models import COLLECTIVE_KINDS, Award, Kind
from congdoan.awards.tests.helpers import decision, form
from congdoan.core.exceptions import RuleViolation
from congdoan.members.models import Member

pytestmark = pytest.mark.django_db
FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Rollback(Exception):
    pass


def rolled_back(function):
    try:
        with transaction.atomic():
            function()
            raise Rollback
    except Rollback:
        pass


@FAST
@given(
    admitted=st.dates(dt.date(1975, 1, 1), dt.date(2025, 12, 31)),
    signed=st.dates(dt.date(2024, 7, 1), dt.date(2030, 12, 31)),
)
def test_medal_allowed_iff_enough_years(world, admitted, signed):
    def run():
        Member.objects.filter(pk=world.member_a.pk).update(admitted_on=admitted)
        d = decision(world.root, day=signed)
        years = form("kyniemchuong").rules["min_union_years"]
        enough = rules.union_years(admitted, signed) >= years
        # The independent statement of "N full years": the Nth anniversary has passed.
        try:
            anniversary = admitted.replace(year=admitted.year + years)
        except ValueError:  # 29 February
            anniversary = dt.date(admitted.year + years, 3, 1)
        assert enough == (signed >= anniversary)
        try:
            services.award_add(
                actor=None, decision=d, form=form("kyniemchuong"), member=world.member_a
            )
            allowed = True
        except RuleViolation:
            allowed = False
        assert allowed == enough
        assert Award.objects.filter(member=world.member_a).exists() == enough

    rolled_back(run)


SCOPED = ["tinh_co", "tinh_co_chuyen_de", "tinh_bang_khen", "tinh_bang_khen_chuyen_de"]


@FAST
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(SCOPED),
            st.sampled_from(["grass_a1", "grass_b1"]),
            st.sampled_from([2024, 2025]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_never_overall_and_thematic_from_one_issuer_in_a_year(world, steps):
    def run():
        d = decision(world.province)
        for code, unit_name, year in steps:
            with contextlib.suppress(RuleViolation):
                services.award_add(
                    actor=None, decision=d, form=form(code), unit=getattr(world, unit_name),
                    year=year, theme="Chuyên đề",
                )  # fmt: skip
        for unit_name in ("grass_a1", "grass_b1"):
            for year in (2024, 2025):
                scopes = set(
                    Award.objects.filter(unit=getattr(world, unit_name), year=year).values_list(
                        "form__scope", flat=True
                    )
                )
                assert scopes != {"overall", "thematic"}

    rolled_back(run)


RECIPIENTS = ["grass_a1", "grass_a2", "grass_b1", "member_a", "member_b", "body", "person"]


@FAST
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from(["tinh_co", "tinh_bang_khen", "ubnd_bang_khen"]),
            st.sampled_from(RECIPIENTS),
            st.sampled_from([2024, 2025]),
        ),
        max_size=12,
    )
)
def test_tallies_equal_direct_counts(world, picks):
    def run():
        union = decision(world.province)
        outside = services.decision_create(
            actor=None, issuer_name="UBND tỉnh Lai Châu", recorded_by_unit=world.province,
            number="5/QĐ-UBND", signed_on=union.signed_on,
        )  # fmt: skip
        for i, (code, who, year) in enumerate(picks):
            recipient = (
                {"outside_name": f"Đối tác {i}", "outside_kind": who}
                if who in ("body", "person")
                else {("member" if who.startswith("member") else "unit"): getattr(world, who)}
            )
            with contextlib.suppress(RuleViolation):
                services.award_add(
                    actor=None, decision=outside if code.startswith("ubnd") else union,
                    form=form(code), year=year, **recipient,
                )  # fmt: skip
        for issuer in (None, world.province, "UBND tỉnh Lai Châu"):
            for year in (None, 2024, 2025):
                got = {
                    t.form_id: t
                    for t in selectors.tallies(world.national, issuer=issuer, year=year)
                }
                awards = list(Award.objects.all())
                if issuer is not None:
                    awards = [
                        a
                        for a in awards
                        if (a.decision.issuer_unit or a.decision.issuer_name) == issuer
                    ]
                if year is not None:
                    awards = [a for a in awards if a.year == year]
                want: dict[int, tuple[int, int, list[str]]] = {}
                for a in awards:
                    c, n, names = want.get(a.form_id, (0, 0, []))
                    collective = a.recipient_kind in COLLECTIVE_KINDS
                    if a.form.kind == Kind.FLAG:
                        names = [*names, a.recipient_label]
                    want[a.form_id] = (c + collective, n + (not collective), names)
                assert {
                    k: (t.collective, t.individual, sorted(t.recipients)) for k, t in got.items()
                } == {k: (c, n, sorted(names)) for k, (c, n, names) in want.items()}

    rolled_back(run)
