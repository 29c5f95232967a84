"""A Trust administrator chooses which published frameworks the Trust offers, and whether its
learners may enrol themselves."""

import pytest
from django.urls import reverse

from stepwise.frameworks.models import FrameworkEvent, TrustFramework
from stepwise.frameworks.services import trust_framework_offer
from stepwise.frameworks.tests.conftest import read
from stepwise.frameworks.tests.factories import FrameworkFactory, draft_version, published_version
from stepwise.progress.models import Enrolment
from stepwise.progress.services import enrolment_create

OFFERS = reverse("frameworks:offers")


def offer_url(name, framework):
    return reverse(f"frameworks:{name}", args=[framework.slug])


@pytest.fixture
def offered(trust, trust_admin, published):
    return trust_framework_offer(trust=trust, framework=published.framework, by=trust_admin)


def test_the_page_lists_published_frameworks_and_the_trusts_offers(
    client_for, trust_admin, trust, offered, framework_author, django_assert_max_num_queries
):
    unpublished = FrameworkFactory(title="Unpublished passport", slug="unpublished")
    draft_version(framework=unpublished, by=framework_author)
    frameworks = [FrameworkFactory(slug=f"framework-{n}") for n in range(5)]
    other = published_version(framework=frameworks[0], by=framework_author)
    for framework in frameworks[1:]:
        published_version(framework=framework, by=framework_author)
    client = client_for(trust_admin)

    with django_assert_max_num_queries(12):
        page = read(client.get(OFFERS))

    assert trust.name in page
    assert "Step 1" in page and "Offered since" in page
    assert "Educators enrol learners" in page
    assert other.framework.title in page and "Not offered" in page
    assert "Unpublished passport" not in page


def test_a_trust_admin_offers_a_framework_with_self_enrolment(
    client_for, trust_admin, trust, published
):
    client = client_for(trust_admin)
    assert "Can learners enrol themselves?" in read(
        client.get(offer_url("offer", published.framework))
    )

    response = client.post(offer_url("offer", published.framework), {"self_enrolment": "yes"})

    offer = TrustFramework.objects.get(trust=trust)
    assert response.url == OFFERS
    assert offer.learners_may_enrol_themselves is True
    assert offer.offered_by == trust_admin
    event = FrameworkEvent.objects.get(kind=FrameworkEvent.Kind.OFFERED)
    assert (event.trust, event.actor) == (trust, trust_admin)


def test_offering_needs_an_answer_about_self_enrolment(client_for, trust_admin, published):
    response = client_for(trust_admin).post(offer_url("offer", published.framework), {})

    assert response.status_code == 200
    assert "Choose whether learners can enrol themselves" in read(response)
    assert not TrustFramework.objects.exists()


def test_offering_twice_is_explained(client_for, trust_admin, offered):
    response = client_for(trust_admin).post(
        offer_url("offer", offered.framework), {"self_enrolment": "no"}, follow=True
    )

    assert "has offered Step 1 since" in read(response)
    assert TrustFramework.objects.count() == 1


def test_a_framework_with_nothing_published_cannot_be_offered(client_for, trust_admin, draft):
    client = client_for(trust_admin)

    assert client.get(offer_url("offer", draft.framework)).status_code == 404
    assert (
        client.post(offer_url("offer", draft.framework), {"self_enrolment": "no"}).status_code
        == 404
    )
    assert not TrustFramework.objects.exists()


def test_self_enrolment_is_switched_on_and_off(client_for, trust_admin, offered):
    client = client_for(trust_admin)
    toggle = offer_url("offer_self_enrolment", offered.framework)

    response = client.post(toggle, {"allowed": "yes"}, follow=True)
    offered.refresh_from_db()
    assert offered.learners_may_enrol_themselves is True
    assert "Learners can now enrol themselves on Step 1" in read(response)
    assert "Stop self-enrolment" in read(response)

    client.post(toggle, {"allowed": "no"})
    client.post(toggle, {"allowed": "no"})  # a second click changes nothing

    offered.refresh_from_db()
    assert offered.learners_may_enrol_themselves is False
    assert (
        FrameworkEvent.objects.filter(kind=FrameworkEvent.Kind.SELF_ENROLMENT_CHANGED).count() == 2
    )


def test_a_bad_self_enrolment_answer_is_a_bad_request(client_for, trust_admin, offered):
    response = client_for(trust_admin).post(
        offer_url("offer_self_enrolment", offered.framework), {"allowed": "maybe"}
    )

    assert response.status_code == 400


def test_stopping_an_offer_keeps_existing_enrolments(
    client_for, trust, trust_admin, offered, published, learner, educator
):
    enrolment = enrolment_create(
        learner=learner, version=published, trust=trust, educator=educator, by=educator
    )
    client = client_for(trust_admin)
    page = read(client.get(offer_url("offer_stop", offered.framework)))
    assert "Learners already enrolled carry on" in page
    assert TrustFramework.objects.exists()

    response = client.post(
        offer_url("offer_stop", offered.framework), {"note": "Moving to Step 2"}, follow=True
    )

    assert "no longer offers Step 1. Learners already enrolled carry on" in read(response)
    assert not TrustFramework.objects.exists()
    enrolment.refresh_from_db()
    assert Enrolment.objects.filter(pk=enrolment.pk, state=enrolment.state).exists()
    event = FrameworkEvent.objects.get(kind=FrameworkEvent.Kind.OFFER_STOPPED)
    assert (event.trust, event.actor, event.note) == (trust, trust_admin, "Moving to Step 2")


def test_stopping_an_offer_twice_says_who_stopped_it(client_for, trust_admin, offered):
    client = client_for(trust_admin)
    client.post(offer_url("offer_stop", offered.framework), {"note": ""})

    response = client.post(offer_url("offer_stop", offered.framework), {}, follow=True)

    assert "does not offer Step 1" in read(response)


def test_another_trusts_offers_are_out_of_reach(
    client_for, other_trust_admin, offered, other_trust
):
    client = client_for(other_trust_admin)

    page = read(client.get(OFFERS))
    assert "Not offered" in page  # Step 1 is offered by the other Trust, not this one
    client.post(offer_url("offer_self_enrolment", offered.framework), {"allowed": "yes"})
    client.post(offer_url("offer_stop", offered.framework), {})

    offered.refresh_from_db()
    assert offered.learners_may_enrol_themselves is False
    assert TrustFramework.objects.filter(trust=other_trust).count() == 0
