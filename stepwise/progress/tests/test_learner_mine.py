"""My proficiencies: every enrolment of the signed-in learner, and starting a framework
themselves where their Trust allows it."""

import re

import pytest
from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Enrolment
from stepwise.progress.services import enrolment_create, enrolment_sign_off, enrolment_withdraw
from stepwise.progress.services import sign_off_request as ask_for_sign_off
from stepwise.progress.states import EnrolmentState

from .conftest import build_version
from .learner_support import (
    PIN,
    confirm,
    confirm_everything_needed,
    read,
    records,
    sign_in_redirect,
)

MINE = reverse("progress:mine")


def offer(trust, version, *, themselves=True):
    return TrustFramework.objects.create(
        trust=trust, framework=version.framework, learners_may_enrol_themselves=themselves
    )


def enrol(learner, version, trust, educator):
    offer(trust, version, themselves=False)
    return enrolment_create(
        learner=learner, version=version, trust=trust, educator=educator, by=educator
    )


def test_anonymous_people_are_asked_to_sign_in(client, trust, version):
    offered = offer(trust, version)
    assert sign_in_redirect(client.get(MINE))
    assert sign_in_redirect(client.get(reverse("progress:enrol_self", args=[offered.pk])))


def test_it_lists_open_enrolments_first_with_progress(
    client_for, learner, assessor, educator, trust, enrolment
):
    signed = enrol(learner, build_version(slug="step-2"), trust, educator)
    confirm_everything_needed(signed, assessor)
    ask_for_sign_off(enrolment=signed, by=learner, declaration_agreed=True)
    enrolment_sign_off(
        enrolment=signed,
        by=educator,
        declaration_agreed=True,
        registration_body=PIN[0],
        registration_number=PIN[1],
    )
    withdrawn = enrol(learner, build_version(slug="step-3"), trust, educator)
    enrolment_withdraw(enrolment=withdrawn, by=educator)
    confirm(enrolment, records(enrolment)[:3], assessor)

    html = read(client_for(learner).get(MINE))

    titles = re.findall(r'class="nhsuk-card__link" href="/enrolments/(\d+)/"', html)
    assert titles == [str(enrolment.pk), str(signed.pk), str(withdrawn.pk)]
    assert "3 of 12 confirmed (25%)" in html
    assert "10 of 12 confirmed (83%)" in html
    assert re.search(
        r'<progress class="stepwise-progress__bar" id="progress-\d+" max="12" value="3"', html
    )
    assert "Signed off" in html and "Withdrawn" in html and "In progress" in html
    assert trust.name in html
    assert "style=" not in html


def test_it_shows_only_the_learners_own_enrolments(
    client_for, learner, trust, educator, offered, enrolment
):
    someone = MembershipFactory(trust=trust, is_learner=True).person
    enrolment_create(learner=someone, version=offered, trust=trust, educator=educator, by=educator)
    html = read(client_for(learner).get(MINE))
    assert html.count('class="nhsuk-card__link"') == 1


def test_a_learner_with_no_enrolment_is_told_so(client_for, learner):
    assert "You are not enrolled on any framework yet" in read(client_for(learner).get(MINE))


class TestEnrollingThemselves:
    def test_it_offers_only_frameworks_their_trust_lets_them_start(
        self, client_for, learner, trust, other_trust
    ):
        mine = offer(trust, build_version(slug="iv-passport"))
        offer(trust, build_version(slug="step-2"), themselves=False)
        offer(other_trust, build_version(slug="step-3"))
        html = read(client_for(learner).get(MINE))
        assert "Sample iv-passport" in html
        assert reverse("progress:enrol_self", args=[mine.pk]) in html
        assert "Sample step-2" not in html
        assert "Sample step-3" not in html

    def test_it_enrols_them_with_the_educator_they_choose(
        self, client_for, learner, trust, educator
    ):
        version = build_version(slug="iv-passport")
        offered = offer(trust, version)
        client = client_for(learner)
        url = reverse("progress:enrol_self", args=[offered.pk])
        page = read(client.get(url))
        assert educator.full_name in page and 'type="radio"' in page

        response = client.post(url, {"educator": educator.pk})

        enrolment = Enrolment.objects.get(learner=learner)
        assert response.url == reverse("progress:enrolment", args=[enrolment.pk])
        assert (enrolment.educator, enrolment.version, enrolment.trust) == (
            educator,
            version,
            trust,
        )
        assert enrolment.enrolled_by == learner
        assert enrolment.records.count() == 12
        assert "You are enrolled on" in read(client.get(response.url))

    def test_a_second_open_enrolment_is_refused_with_a_clear_message(
        self, client_for, learner, trust, educator, enrolment
    ):
        offered = TrustFramework.objects.get(trust=trust, framework=enrolment.framework)
        TrustFramework.objects.filter(pk=offered.pk).update(learners_may_enrol_themselves=True)
        client = client_for(learner)
        assert "You are already enrolled" in read(client.get(MINE))

        response = client.post(
            reverse("progress:enrol_self", args=[offered.pk]), {"educator": educator.pk}
        )

        html = read(response)
        assert response.status_code == 200
        assert "There is a problem" in html
        assert f"Already enrolled on {enrolment.framework.title}" in html
        assert Enrolment.objects.filter(learner=learner).count() == 1

    @pytest.mark.parametrize("chosen", ["", "someone elsewhere", "not-a-number"])
    def test_an_educator_must_be_chosen_from_the_list(
        self, client_for, learner, educator, trust, chosen, other_trust
    ):
        offered = offer(trust, build_version(slug="iv-passport"))
        if chosen == "someone elsewhere":
            chosen = MembershipFactory(trust=other_trust, is_educator=True).person.pk
        response = client_for(learner).post(
            reverse("progress:enrol_self", args=[offered.pk]), {"educator": chosen}
        )
        html = read(response)
        assert "<title>Error: " in html
        assert "Choose your educator" in html
        assert not Enrolment.objects.exists()

    def test_another_trusts_offer_or_one_not_open_to_learners_is_not_found(
        self, client_for, learner, trust, other_trust
    ):
        elsewhere = offer(other_trust, build_version(slug="step-2"))
        closed = offer(trust, build_version(slug="step-3"), themselves=False)
        client = client_for(learner)
        for offered in (elsewhere, closed):
            assert client.get(reverse("progress:enrol_self", args=[offered.pk])).status_code == 404
            response = client.post(reverse("progress:enrol_self", args=[offered.pk]), {})
            assert response.status_code == 404
        assert not Enrolment.objects.exists()

    def test_without_any_educator_the_learner_is_told_who_to_ask(self, client_for, learner, trust):
        offered = offer(trust, build_version(slug="iv-passport"))
        html = read(client_for(learner).get(reverse("progress:enrol_self", args=[offered.pk])))
        assert "has no educators on Stepwise yet" in html
        assert '<form method="post"' not in html.split("<main")[1].split("</main>")[0]

    def test_staff_who_are_not_learners_there_get_no_offers(self, client_for, assessor, trust):
        offered = offer(trust, build_version(slug="iv-passport"))
        client = client_for(assessor)
        assert "Start a framework yourself" not in read(client.get(MINE))
        assert client.get(reverse("progress:enrol_self", args=[offered.pk])).status_code == 404


def test_the_state_tags_follow_the_enrolment(client_for, learner, educator, enrolment):
    enrolment_withdraw(enrolment=enrolment, by=educator)
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.WITHDRAWN
    html = read(client_for(learner).get(MINE))
    assert re.search(r'nhsuk-tag--grey"\s*>\s*Withdrawn', html)
