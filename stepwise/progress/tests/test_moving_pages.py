"""The Moving Trust pages: a learner's record at other Trusts, the page proposing a move,
and enrolments that moved away. Who may open each, what each shows, and every way a move can
go wrong. The learner's own page confirming a move is tested in test_moving_consent.py."""

# The shared fixtures of moving_support are imported here, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import EnrolmentEvent, MoveProposal
from stepwise.progress.services import enrolment_withdraw
from stepwise.progress.states import EnrolmentEventKind, EnrolmentState

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
    proposal_url,
    propose,
    third_educator,
    third_trust,
)
from .staff_helpers import ask, enrol, read
from .staff_helpers import records as records_of


@pytest.fixture
def new_admin(other_trust):
    return MembershipFactory(trust=other_trust, is_trust_admin=True).person


@pytest.fixture
def moved(enrolment, other_trust, joined, new_educator, new_offer):
    move(enrolment, other_trust, new_educator)
    enrolment.refresh_from_db()
    return enrolment


def move_post(educator, *, assessors=(), agree=True) -> dict:
    data = {"educator": educator.pk, "assessors": [a.pk for a in assessors]}
    if agree:
        data["agree"] = "on"
    return data


class TestAccess:
    """Anonymous: sign in. Wrong role: 403. Another Trust's learner or enrolment: 404."""

    def test_the_prior_record(
        self, client, client_for, enrolment, joined, learner, new_assessor, third_educator
    ):
        url = prior_url(joined)
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
        assert client_for(learner).get(url).status_code == 403
        assert client_for(new_assessor).get(url).status_code == 403
        assert client_for(third_educator).get(url).status_code == 404

    def test_the_move_page(
        self,
        client,
        client_for,
        enrolment,
        joined,
        learner,
        new_admin,
        new_educator,
        third_educator,
        new_offer,
    ):
        url = move_url(joined, enrolment)
        response = client.post(url, move_post(new_educator))
        assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
        assert client_for(learner).post(url, move_post(new_educator)).status_code == 403
        # A Trust administrator reads the record but moving is an educator's decision.
        assert client_for(new_admin).get(url).status_code == 403
        assert client_for(third_educator).get(url).status_code == 404
        assert client_for(third_educator).post(url, move_post(third_educator)).status_code == 404
        enrolment.refresh_from_db()
        assert enrolment.trust_id != joined.trust_id

    def test_the_moved_away_pages(
        self, client, client_for, moved, learner, assessor, educator, third_educator
    ):
        for url in (reverse(AWAY_LIST), away_url(moved)):
            client.logout()
            response = client.get(url)
            assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
            assert client_for(learner).get(url).status_code == 403
            assert client_for(assessor).get(url).status_code == 403
        assert client_for(third_educator).get(away_url(moved)).status_code == 404
        assert client_for(educator).get(away_url(moved)).status_code == 200

    def test_read_only_pages_refuse_posts(self, client_for, moved, educator, joined, new_educator):
        assert client_for(educator).post(away_url(moved)).status_code == 405
        assert client_for(new_educator).post(prior_url(joined)).status_code == 405


class TestPriorRecordPage:
    def test_an_educator_can_move_the_open_enrolments(
        self, client_for, enrolment, joined, new_educator, new_admin, trust
    ):
        html = read(client_for(new_educator).get(prior_url(joined)))
        assert f"{enrolment.version} at {trust.name}" in html
        assert move_url(joined, enrolment) in html
        admin_html = read(client_for(new_admin).get(prior_url(joined)))
        assert f"{enrolment.version} at {trust.name}" in admin_html
        assert move_url(joined, enrolment) not in admin_html

    def test_a_learner_with_nothing_elsewhere(
        self, client_for, other_learner, other_trust, new_educator
    ):
        member = Membership.objects.get(person=other_learner, trust=other_trust)
        html = read(client_for(new_educator).get(prior_url(member)))
        assert "has no enrolments at other Trusts" in html

    def test_it_is_linked_from_the_person_page(self, client_for, joined, new_educator):
        url = reverse("organisations:person_detail", args=[joined.pk])
        assert prior_url(joined) in read(client_for(new_educator).get(url))

    @pytest.mark.parametrize("size", [120, 500])
    def test_the_query_count_stays_the_same(
        self,
        size,
        client_for,
        learner,
        trust,
        educator,
        joined,
        new_educator,
        django_assert_max_num_queries,
    ):
        for n in range(2):
            version = build_version(slug=f"size-{size}-{n}", sections=10, per_section=size // 10)
            TrustFramework.objects.create(trust=trust, framework=version.framework)
            enrolment = enrol(learner, version, trust, educator, assessors=[educator])
            if n:
                enrolment_withdraw(enrolment=enrolment, by=educator, note="Changed course")
        client = client_for(new_educator)
        with django_assert_max_num_queries(12):
            response = client.get(prior_url(joined))
        assert response.status_code == 200
        assert read(response).count("Propose moving this enrolment to") == 1
        # A proposal waiting for the learner's answer costs no query of its own.
        for n in range(3):
            version = build_version(slug=f"more-{size}-{n}", sections=2, per_section=2)
            TrustFramework.objects.create(trust=trust, framework=version.framework)
            TrustFramework.objects.create(trust=joined.trust, framework=version.framework)
            propose(enrol(learner, version, trust, educator), joined.trust, new_educator)
        with django_assert_max_num_queries(12):
            response = client.get(prior_url(joined))
        assert read(response).count(f"waiting for {learner.full_name} to confirm") == 3


class TestMovePage:
    def test_the_educator_proposes_and_the_learner_confirms(
        self,
        client_for,
        enrolment,
        joined,
        learner,
        educator,
        trust,
        new_educator,
        new_assessor,
        new_offer,
        other_trust,
    ):
        client = client_for(new_educator)
        html = read(client.get(move_url(joined, enrolment)))
        assert "has agreed" not in html and 'name="agree"' not in html
        assert new_assessor.full_name in html
        # The educator's own tick that the learner agreed (the old form) is not consent.
        response = client.post(
            move_url(joined, enrolment), move_post(new_educator, assessors=[new_assessor])
        )
        assert response.status_code == 302 and response.url == prior_url(joined)
        page = read(client.get(response.url))
        assert f"We have asked {learner.full_name} to confirm moving" in page
        assert f"waiting for {learner.full_name} to confirm" in page
        enrolment.refresh_from_db()
        assert enrolment.trust == trust and enrolment.educator == educator
        assert not EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.MOVED_TRUST).exists()
        manage = reverse("progress:enrolment_manage", args=[enrolment.pk])
        assert client.get(manage).status_code == 404
        assert client_for(educator).get(manage).status_code == 200

        # The learner confirms, themselves, and only then it moves.
        proposal = MoveProposal.objects.get(enrolment=enrolment)
        learner_client = client_for(learner)
        response = learner_client.post(proposal_url(proposal, "confirm"))
        assert response.url == reverse("progress:enrolment", args=[enrolment.pk])
        enrolment.refresh_from_db()
        assert enrolment.trust == other_trust and enrolment.educator == new_educator
        event = EnrolmentEvent.objects.get(kind=EnrolmentEventKind.MOVED_TRUST)
        assert event.actor == learner
        page = read(client_for(new_educator).get(manage))
        assert "Moved to another Trust" in page

    def test_missing_answers_are_explained(
        self, client_for, enrolment, joined, new_educator, new_offer, learner
    ):
        client = client_for(new_educator)
        html = read(client.post(move_url(joined, enrolment), {"educator": "", "assessors": ["x"]}))
        assert "There is a problem" in html
        assert "Choose the educator who will sign off" in html
        assert "Choose assessors from the list" in html
        assert not MoveProposal.objects.exists()

    def test_the_learner_cannot_be_chosen_to_assess_themselves(
        self, client_for, enrolment, joined, learner, new_educator, new_offer
    ):
        Membership.objects.filter(pk=joined.pk).update(is_assessor=True)
        client = client_for(new_educator)
        html = read(
            client.post(move_url(joined, enrolment), move_post(new_educator, assessors=[learner]))
        )
        assert "Choose assessors from the list" in html

    def test_not_offered_here(self, client_for, enrolment, joined, new_educator, other_trust):
        html = read(
            client_for(new_educator).post(move_url(joined, enrolment), move_post(new_educator))
        )
        assert "There is a problem" in html
        assert f"{other_trust.name} does not offer" in html

    def test_not_a_learner_here(
        self, client_for, enrolment, joined, new_educator, new_offer, learner
    ):
        Membership.objects.filter(pk=joined.pk).update(is_learner=False, is_assessor=True)
        html = read(
            client_for(new_educator).post(move_url(joined, enrolment), move_post(new_educator))
        )
        assert "There is a problem" in html
        assert f"{learner.full_name} is not a learner at" in html

    def test_not_open_any_more(
        self, client_for, enrolment, joined, new_educator, new_offer, educator
    ):
        client = client_for(new_educator)
        client.get(move_url(joined, enrolment))
        enrolment_withdraw(enrolment=enrolment, by=educator, note="Left")
        html = read(client.post(move_url(joined, enrolment), move_post(new_educator)))
        assert "There is a problem" in html
        assert "This enrolment is withdrawn, so it cannot move" in html
        assert "Propose the move" not in html
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.WITHDRAWN

    def test_proposing_twice_shows_the_waiting_proposal(
        self, client_for, enrolment, joined, learner, new_educator, new_offer
    ):
        client = client_for(new_educator)
        client.post(move_url(joined, enrolment), move_post(new_educator))
        html = read(client.post(move_url(joined, enrolment), move_post(new_educator)))
        assert f"proposed by {new_educator.full_name} on" in html
        assert f"waiting for {learner.full_name} to confirm" in html
        assert "Withdraw the proposal" in html and "Propose the move" not in html
        assert MoveProposal.objects.filter(enrolment=enrolment).count() == 1

    def test_the_proposal_can_be_withdrawn(
        self, client_for, enrolment, joined, learner, new_educator, new_offer
    ):
        client = client_for(new_educator)
        client.post(move_url(joined, enrolment), move_post(new_educator))
        withdraw = reverse("progress:move_withdraw", args=[joined.pk, enrolment.pk])
        assert client.get(withdraw).status_code == 405
        response = client.post(withdraw, follow=True)
        assert "is withdrawn" in read(response)
        proposal = MoveProposal.objects.get(enrolment=enrolment)
        assert proposal.state == MoveProposal.State.WITHDRAWN
        assert "Propose the move" in read(client.get(move_url(joined, enrolment)))

    def test_already_moved(
        self, client_for, enrolment, joined, learner, new_educator, new_offer, other_trust
    ):
        move(enrolment, other_trust, new_educator)
        client = client_for(new_educator)
        html = read(client.get(move_url(joined, enrolment)))
        assert f"This enrolment is already at {other_trust.name}" in html
        assert "Propose the move" not in html

    def test_someone_elses_enrolment_is_not_found(
        self, client_for, joined, new_educator, new_offer, trust, educator, offered
    ):
        stranger = MembershipFactory(trust=trust, unit=trust.units[0], is_learner=True).person
        theirs = enrol(stranger, offered, trust, educator)
        response = client_for(new_educator).post(move_url(joined, theirs), move_post(new_educator))
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.trust == trust


class TestMovedAwayPages:
    def test_the_list_shows_where_each_went(
        self, client_for, moved, educator, other_trust, learner
    ):
        html = read(client_for(educator).get(reverse(AWAY_LIST)))
        assert learner.full_name in html and other_trust.name in html
        assert away_url(moved) in html

    def test_the_list_is_linked_from_learners(self, client_for, educator):
        assert reverse(AWAY_LIST) in read(client_for(educator).get(reverse("progress:enrolments")))

    def test_an_empty_list(self, client_for, educator, enrolment, trust):
        html = read(client_for(educator).get(reverse(AWAY_LIST)))
        assert f"No enrolments have moved from {trust.name}" in html
        assert away_url(enrolment) not in html

    @pytest.mark.parametrize("size", [120, 500])
    def test_the_query_counts_stay_the_same(
        self,
        size,
        client_for,
        trust,
        other_trust,
        educator,
        new_educator,
        django_assert_max_num_queries,
    ):
        version = build_version(slug=f"away-{size}", sections=10, per_section=size // 10)
        TrustFramework.objects.create(trust=trust, framework=version.framework)
        TrustFramework.objects.create(trust=other_trust, framework=version.framework)
        for _ in range(3):
            learner = MembershipFactory(trust=trust, unit=trust.units[0], is_learner=True).person
            MembershipFactory(person=learner, trust=other_trust, is_learner=True)
            enrolment = enrol(learner, version, trust, educator)
            first = records_of(enrolment)[0]
            ask(enrolment, [first], assessor=educator)
            move(enrolment, other_trust, new_educator)
        client = client_for(educator)
        with django_assert_max_num_queries(12):
            assert client.get(reverse(AWAY_LIST)).status_code == 200
        with django_assert_max_num_queries(13):  # one of them the access log's entry
            assert client.get(away_url(enrolment)).status_code == 200
