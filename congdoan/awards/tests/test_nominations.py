"""Nominations: made by a unit for its own people, checked against the rules when made,
reviewed by the issuer's council, awarded by the decision made from the approved ones."""

import datetime as dt

import pytest

from congdoan.awards import services
from congdoan.awards.models import Award, Decision, Nomination, NominationStatus
from congdoan.awards.tests.helpers import form
from congdoan.core.exceptions import RuleViolation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 1)


def nominate(w, actor=None, **kw):
    args = {
        "actor": actor or w.officer_a,
        "proposing_unit": w.grass_a1,
        "issuer_unit": w.unit_a,
        "form": form("tren_cs_giay_khen"),
        "year": 2025,
        "member": w.member_a,
        "achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2025",
        "today": TODAY,
    }
    args.update(kw)
    return services.nomination_create(**args)


def approve(w, n, actor=None):
    n = services.nomination_submit(actor=actor or w.officer_a, nomination=n, today=TODAY)
    return services.nomination_review(
        actor=actor or w.officer_a, nomination=n, approve=True, council_on=TODAY
    )


def test_full_cycle_from_nomination_to_decision(world):
    n1 = approve(world, nominate(world))
    n2 = approve(
        world, nominate(world, proposing_unit=world.unit_a, member=None, unit=world.grass_a2)
    )
    decision = services.decision_from_nominations(
        actor=world.officer_a,
        issuer_unit=world.unit_a,
        nominations=[n1, n2],
        number="15/QĐ-LĐLĐ",
        signed_on=TODAY,
        signer="Nguyễn Văn Chủ",
    )
    assert decision.awards.count() == 2
    n1.refresh_from_db()
    assert n1.status == NominationStatus.DECIDED and n1.award.member == world.member_a
    assert n1.history.first().history_change_reason == "award_nomination_decide"


def test_rules_run_when_the_nomination_is_made(world):
    # The commemorative medal needs 10 years of membership; the member joined in 2020.
    with pytest.raises(RuleViolation, match="10 năm"):
        nominate(world, issuer_unit=world.root, form=form("kyniemchuong"))
    # A form of another level than the issuer's.
    with pytest.raises(RuleViolation, match="không thuộc cấp này"):
        nominate(world, issuer_unit=world.unit_a, form=form("tinh_bang_khen"))
    assert not Nomination.objects.exists()


def test_a_unit_nominates_its_own_people_to_itself_or_above(world):
    with pytest.raises(RuleViolation, match="chỉ đề nghị khen thưởng cho đơn vị"):
        nominate(world, member=None, unit=world.grass_a2)
    with pytest.raises(RuleViolation, match="cấp trên"):
        nominate(world, proposing_unit=world.unit_a, issuer_unit=world.grass_a1,
                 form=form("cs_giay_khen"))  # fmt: skip
    assert not Nomination.objects.exists()


def test_other_province_cannot_nominate_or_review(world):
    with pytest.raises(RuleViolation):
        nominate(world, actor=world.officer_b)
    n = services.nomination_submit(actor=world.officer_a, nomination=nominate(world), today=TODAY)
    with pytest.raises(RuleViolation):
        services.nomination_review(
            actor=world.officer_b, nomination=n, approve=True, council_on=TODAY
        )
    n.refresh_from_db()
    assert n.status == NominationStatus.SUBMITTED


def test_state_machine(world):
    n = nominate(world)
    with pytest.raises(RuleViolation, match="hồ sơ đề nghị đã gửi"):
        services.nomination_review(
            actor=world.officer_a, nomination=n, approve=True, council_on=TODAY
        )
    n = services.nomination_submit(actor=world.officer_a, nomination=n, today=TODAY)
    with pytest.raises(RuleViolation, match="dạng dự thảo"):
        services.nomination_update(actor=world.officer_a, nomination=n, theme="X")
    n = services.nomination_withdraw(actor=world.officer_a, nomination=n)
    assert n.status == NominationStatus.DRAFT and n.submitted_on is None
    n = services.nomination_update(
        actor=world.officer_a, nomination=n, achievement="Mới", today=TODAY
    )
    assert n.achievement == "Mới"
    services.nomination_delete(actor=world.officer_a, nomination=n)
    assert not Nomination.objects.exists()


def test_decision_is_all_or_nothing(world):
    good = approve(world, nominate(world))
    pending = services.nomination_submit(
        actor=world.officer_a,
        nomination=nominate(world, member=None, unit=world.grass_a1),
        today=TODAY,
    )
    with pytest.raises(RuleViolation, match=f"{pending.pk}"):
        services.decision_from_nominations(
            actor=world.officer_a,
            issuer_unit=world.unit_a,
            nominations=[good, pending],
            number="16/QĐ",
            signed_on=TODAY,
        )
    assert not Decision.objects.exists() and not Award.objects.exists()
    good.refresh_from_db()
    assert good.status == NominationStatus.APPROVED


def test_council_cannot_meet_before_submission(world):
    n = services.nomination_submit(actor=world.officer_a, nomination=nominate(world), today=TODAY)
    with pytest.raises(RuleViolation, match="trước khi"):
        services.nomination_review(
            actor=world.officer_a,
            nomination=n,
            approve=False,
            council_on=TODAY - dt.timedelta(days=3),
        )


def test_a_cluster_proposal_becomes_nominations_once(world):
    from congdoan.awards.tests.url_cases import proposal_a

    proposal = proposal_a(world)
    made = services.nominations_from_proposal(
        actor=world.officer_a, proposal=proposal, issuer_unit=world.unit_a,
        form=form("tren_cs_giay_khen"),
    )  # fmt: skip
    assert [n.unit for n in made] == [world.grass_a1, world.grass_a2]
    assert all(n.proposing_unit == world.unit_a and n.year == 2025 for n in made)
    assert "Bằng khen ALPHA" in made[0].achievement
    again = services.nominations_from_proposal(
        actor=world.officer_a, proposal=proposal, issuer_unit=world.unit_a,
        form=form("tren_cs_giay_khen"),
    )  # fmt: skip
    assert again == [] and Nomination.objects.count() == 2
    with pytest.raises(RuleViolation):
        services.nominations_from_proposal(
            actor=world.officer_b, proposal=proposal, issuer_unit=world.unit_a,
            form=form("tren_cs_giay_khen"),
        )  # fmt: skip


def test_the_nominations_page_offers_the_cluster_proposals(world, client_of):
    from django.urls import reverse

    from congdoan.awards.tests.url_cases import proposal_a

    proposal = proposal_a(world)
    a = client_of("officer_a")
    page = a.get(reverse("awards:nomination_list")).content.decode()
    url = reverse("awards:nominate_from_proposal", args=[proposal.pk])
    assert url in page
    response = a.post(
        url,
        {"issuer_unit": world.unit_a.pk, "form": form("tren_cs_giay_khen").pk,
         "units": [world.grass_a2.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Nomination.objects.values_list("unit__code", flat=True)) == ["A2"]
    assert client_of("officer_b").get(url).status_code == 404
