"""Who sees what when a learner moves Trust: one class per rule, each rule tested where it is
implemented (queries/prior_record.py) and on the pages that use it.

A learner of Northshire (`trust`, "A") joins Riverside (`other_trust`, "B"); Hillside
(`third_trust`, "C") never had them."""

# The shared fixtures of moving_support are imported here, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.organisations.models import Membership
from stepwise.organisations.services import membership_end
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import ConfirmationRequest, Decision
from stepwise.progress.queries import prior_record as prior
from stepwise.progress.services import (
    decision_correct,
    enrolment_change_details,
    enrolment_sign_off,
    enrolment_withdraw,
    request_decide,
    sign_off_return,
)
from stepwise.progress.services.confirmation import ActionInput, ItemDecision

from .conftest import build_version
from .moving_support import (  # noqa: F401 - fixtures
    AWAY_LIST,
    away_url,
    joined,
    move,
    move_url,
    new_assessor,
    new_educator,
    new_offer,
    prior_url,
    third_educator,
    third_trust,
)
from .staff_helpers import (
    PIN,
    ask,
    confirm,
    enrol,
    in_days,
    read,
    ready_for_sign_off,
    records,
)


def main(html: str) -> str:
    """The page's own content, without the header (whose sign-out button is a form)."""
    return html[html.index("<main") : html.index("</main>")]


def staff_pages(enrolment) -> list[str]:
    """Every educator page that acts on an enrolment."""
    record = records(enrolment)[0]
    return [
        reverse("progress:enrolment_manage", args=[enrolment.pk]),
        reverse("progress:enrolment_move", args=[enrolment.pk]),
        reverse("progress:enrolment_withdraw", args=[enrolment.pk]),
        reverse("progress:sign_off", args=[enrolment.pk]),
        reverse("progress:staff_record", args=[enrolment.pk, record.pk]),
    ]


@pytest.fixture
def history_at_a(enrolment, assessor):
    """At A: the first proficiency confirmed by A's assessor, the second waiting for them."""
    first, second = records(enrolment)[:2]
    confirm(ask(enrolment, [first], assessor=assessor), assessor, [first])
    ask(enrolment, [second], assessor=assessor)
    return first, second


@pytest.fixture
def signed_off_at_a(learner, trust, educator, assessor):
    """A second framework the learner finished at A, with its certificate."""
    from stepwise.frameworks.models import TrustFramework

    version = build_version(slug="step-2", sections=1, per_section=2, minimum_optional=0)
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    finished = enrol(learner, version, trust, educator)
    ready_for_sign_off(finished, assessor)
    enrolment_sign_off(enrolment=finished, by=educator, declaration_agreed=True, **PIN)
    finished.refresh_from_db()
    return finished


class TestRuleA_TheNewTrustSeesThePriorRecord:
    def test_the_query_lists_enrolments_at_other_trusts_only(
        self, enrolment, signed_off_at_a, learner, other_trust, joined, new_educator, new_offer
    ):
        found = prior.prior_enrolments(other_trust, learner)
        assert {e.pk for e in found} == {enrolment.pk, signed_off_at_a.pk}
        assert found[0] == enrolment  # open ones first
        move(enrolment, other_trust, new_educator)
        assert [e.pk for e in prior.prior_enrolments(other_trust, learner)] == [signed_off_at_a.pk]

    def test_the_page_shows_who_decided_each_when_and_where(
        self,
        client_for,
        enrolment,
        history_at_a,
        signed_off_at_a,
        trust,
        assessor,
        joined,
        new_educator,
    ):
        first, _second = history_at_a
        decision = Decision.objects.get(record=first)
        html = read(client_for(new_educator).get(prior_url(joined)))
        assert f"{assessor.full_name} ({decision.registration_number})" in html
        assert trust.name in html
        assert f"{first.proficiency.code} {first.proficiency.statement}" in html
        assert "Waiting for confirmation" in html
        assert str(signed_off_at_a.certificate.serial) in html
        assert reverse("certificates:verify", args=[signed_off_at_a.certificate.serial]) in html
        assert f"Still a member of {trust.name}" in html

    def test_trusts_the_learner_has_left_are_included(
        self, client_for, enrolment, learner, trust, educator, joined, new_educator
    ):
        enrolment_withdraw(enrolment=enrolment, by=educator, note="Moving away")
        membership_end(membership=Membership.objects.get(person=learner, trust=trust), by=educator)
        html = read(client_for(new_educator).get(prior_url(joined)))
        assert f"{enrolment.version} at {trust.name}" in html
        assert f"Left {trust.name} on" in html
        assert move_url(joined, enrolment) not in html  # withdrawn: nothing to move

    def test_trust_administrators_see_it_too(self, client_for, enrolment, joined, other_trust):
        admin = MembershipFactory(trust=other_trust, is_trust_admin=True).person
        assert str(enrolment.version) in read(client_for(admin).get(prior_url(joined)))


class TestRuleB_TheOldTrustSeesItsPartAndNothingAfter:
    @pytest.fixture
    def moved_on(self, enrolment, history_at_a, other_trust, joined, new_educator, new_offer):
        """Moved to B, where the second proficiency is confirmed and the details changed."""
        _first, second = history_at_a
        move(enrolment, other_trust, new_educator)
        confirm(ask(enrolment, [second], assessor=new_educator), new_educator, [second])
        enrolment_change_details(
            enrolment=enrolment,
            by=new_educator,
            due_on=None,
            educator=new_educator,
            assessors=[],
        )
        enrolment.refresh_from_db()
        return enrolment

    def test_the_query_finds_only_enrolments_that_left(
        self, moved_on, trust, other_trust, third_trust, offered, learner, educator
    ):
        assert list(prior.moved_away(trust)) == [moved_on]
        assert list(prior.moved_away(other_trust)) == []
        assert list(prior.moved_away(third_trust)) == []
        left = prior.departure(trust.pk, prior.moved_away(trust).get())
        assert left.to_trust == other_trust

    def test_the_state_is_as_it_was_when_it_left(self, moved_on, trust, history_at_a):
        first, second = history_at_a
        left = prior.departure(trust.pk, prior.moved_away(trust).get())
        then = {r.pk: r.state_then for r in prior.records_when_left(moved_on, left.at)}
        assert then[first.pk] == "confirmed"
        # Waiting at A, withdrawn by the move; confirmed at B afterwards, which A never sees.
        assert then[second.pk] == "achieved"
        assert [d.record_id for d in prior.decisions_until(moved_on, left.at)] == [first.pk]
        assert all(e.trust_id == trust.pk for e in prior.part_at(trust, moved_on))

    def test_the_page_shows_what_happened_at_a_and_says_it_moved(
        self, client_for, moved_on, educator, assessor, other_trust, new_educator, history_at_a
    ):
        html = read(client_for(educator).get(away_url(moved_on)))
        assert f"Moved to {other_trust.name} on" in html
        assert "What happens after that is not shown." in html
        assert "Decided by" in html and assessor.full_name in html
        assert "Moved to another Trust" in html  # the last line of A's history
        # Nothing from B: not its decision, not its educator's change of details.
        assert "Due date or assessors changed" not in html
        assert f"{new_educator.full_name} (" not in html
        assert "Waiting for confirmation" not in html

    def test_a_cannot_act_on_it(self, client_for, moved_on, educator, assessor, history_at_a):
        client = client_for(educator)
        for url in staff_pages(moved_on):
            assert client.get(url).status_code == 404
            assert client.post(url, {"reason": "x"}).status_code == 404
        assert 'method="post"' not in main(read(client.get(away_url(moved_on))))
        first, _second = history_at_a
        decision = Decision.objects.get(record=first)
        with pytest.raises(ConflictError, match="cannot correct decisions at this Trust"):
            decision_correct(
                decision=decision,
                by=educator,
                outcome=Decision.Outcome.REJECTED,
                note="Wrong",
                actions=[ActionInput("Practise again", in_days(7))],
                **PIN,
            )

    def test_its_withdrawn_request_cannot_be_decided_after_the_move(
        self, moved_on, trust, assessor, history_at_a
    ):
        _first, second = history_at_a
        waiting_at_a = ConfirmationRequest.objects.get(
            trust=trust, waiting_records__isnull=True, state="withdrawn"
        )
        with pytest.raises(ConflictError):
            request_decide(
                request=waiting_at_a,
                by=assessor,
                items=[ItemDecision(second.pk, Decision.Outcome.CONFIRMED)],
                **PIN,
            )
        assert not Decision.objects.filter(request=waiting_at_a).exists()

    def test_it_appears_on_the_moved_away_list(self, client_for, moved_on, educator, other_trust):
        html = read(client_for(educator).get(reverse(AWAY_LIST)))
        assert away_url(moved_on) in html and other_trust.name in html

    def test_an_enrolment_that_never_moved_is_unaffected(self, client_for, enrolment, educator):
        client = client_for(educator)
        assert client.get(away_url(enrolment)).status_code == 404
        assert list(prior.moved_away(enrolment.trust)) == []
        for url in staff_pages(enrolment):
            assert client.get(url).status_code == 200


class TestRuleC_ALeaverWhoseEnrolmentStayed:
    @pytest.mark.parametrize("ending", ["withdrawn", "signed off"])
    def test_a_still_sees_it_as_before(
        self, ending, client_for, enrolment, learner, trust, educator, assessor
    ):
        if ending == "withdrawn":
            enrolment_withdraw(enrolment=enrolment, by=educator, note="Leaving the Trust")
        else:
            ready_for_sign_off(enrolment, assessor)
            enrolment_sign_off(enrolment=enrolment, by=educator, declaration_agreed=True, **PIN)
        membership_end(membership=Membership.objects.get(person=learner, trust=trust), by=educator)
        client = client_for(educator)
        manage = reverse("progress:enrolment_manage", args=[enrolment.pk])
        assert learner.full_name in read(client.get(manage))
        assert manage in read(client.get(reverse("progress:enrolments")))
        assert list(prior.moved_away(trust)) == []


class TestRuleD_AThirdTrustSeesNothing:
    def test_every_page_is_a_404(
        self,
        client_for,
        enrolment,
        learner,
        trust,
        other_trust,
        joined,
        new_educator,
        new_offer,
        third_educator,
    ):
        move(enrolment, other_trust, new_educator)
        client = client_for(third_educator)
        a_membership = Membership.objects.get(person=learner, trust=trust)
        for url in [
            prior_url(joined),
            prior_url(a_membership),
            move_url(joined, enrolment),
            away_url(enrolment),
            *staff_pages(enrolment),
        ]:
            assert client.get(url).status_code == 404, url
        assert away_url(enrolment) not in read(client.get(reverse(AWAY_LIST)))

    def test_the_queries_find_nothing(
        self, enrolment, learner, third_trust, other_trust, joined, new_educator, new_offer
    ):
        move(enrolment, other_trust, new_educator)
        assert not prior.current_member(third_trust).filter(person=learner).exists()
        assert list(prior.moved_away(third_trust)) == []


class TestRuleE_TheNewTrustCannotActOnThePriorRecord:
    def test_its_staff_pages_are_404(self, client_for, enrolment, joined, new_educator):
        client = client_for(new_educator)
        for url in staff_pages(enrolment):
            assert client.get(url).status_code == 404
            assert client.post(url, {"reason": "x"}).status_code == 404

    def test_it_cannot_sign_off_or_return_it(self, enrolment, assessor, joined, new_educator):
        waiting = ready_for_sign_off(enrolment, assessor)
        with pytest.raises(ConflictError, match="Only an educator of the learner's Trust"):
            sign_off_return(enrolment=enrolment, by=new_educator, comments="Not yet")
        with pytest.raises(ConflictError, match="Only an educator of the learner's Trust"):
            enrolment_sign_off(enrolment=enrolment, by=new_educator, declaration_agreed=True, **PIN)
        waiting.refresh_from_db()
        assert waiting.state == "waiting"

    def test_it_cannot_correct_a_decision(self, enrolment, assessor, joined, new_educator):
        first = records(enrolment)[0]
        confirm(ask(enrolment, [first], assessor=assessor), assessor, [first])
        with pytest.raises(ConflictError, match="cannot correct decisions at this Trust"):
            decision_correct(
                decision=Decision.objects.get(record=first),
                by=new_educator,
                outcome=Decision.Outcome.REJECTED,
                note="Wrong",
                actions=[ActionInput("Practise again", in_days(7))],
                **PIN,
            )
        assert Decision.objects.filter(record=first).count() == 1

    def test_a_waiting_request_at_a_is_not_theirs_to_decide(
        self, enrolment, assessor, joined, new_educator
    ):
        first = records(enrolment)[0]
        request = ask(enrolment, [first], assessor=assessor)
        with pytest.raises(ConflictError, match="You cannot decide this request"):
            request_decide(
                request=request,
                by=new_educator,
                items=[ItemDecision(first.pk, Decision.Outcome.CONFIRMED)],
                **PIN,
            )

    def test_the_prior_record_page_offers_no_action_but_moving(
        self, client_for, enrolment, joined, new_educator
    ):
        html = main(read(client_for(new_educator).get(prior_url(joined))))
        assert 'method="post"' not in html
        for url in staff_pages(enrolment):
            assert url not in html

    def test_only_current_members_prior_records(
        self, client_for, enrolment, learner, trust, other_trust, joined, new_educator
    ):
        client = client_for(new_educator)
        # A learner who was never at B: their membership of A is not B's to open.
        stranger = MembershipFactory(trust=trust, is_learner=True)
        assert client.get(prior_url(stranger)).status_code == 404
        # The learner left B: their record elsewhere is closed to B again.
        membership_end(membership=joined, by=new_educator)
        assert client.get(prior_url(joined)).status_code == 404
        assert client.get(move_url(joined, enrolment)).status_code == 404
        assert not prior.current_member(other_trust).filter(person=learner).exists()


class TestRuleF_TheLearnerSeesEverything:
    def test_my_proficiencies_after_a_move(
        self,
        client_for,
        enrolment,
        signed_off_at_a,
        learner,
        trust,
        other_trust,
        joined,
        new_educator,
        new_offer,
    ):
        move(enrolment, other_trust, new_educator)
        client = client_for(learner)
        html = read(client.get(reverse("progress:mine")))
        for mine in (enrolment, signed_off_at_a):
            assert reverse("progress:enrolment", args=[mine.pk]) in html
        assert other_trust.name in html and trust.name in html
        assert client.get(reverse("progress:enrolment", args=[enrolment.pk])).status_code == 200
        history = read(client.get(reverse("progress:enrolment_history", args=[enrolment.pk])))
        assert "Moved to another Trust" in history
