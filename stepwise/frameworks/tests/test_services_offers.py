"""Offers and collaborators change through services that keep their history in FrameworkEvent."""

import pytest
from django.core.exceptions import ValidationError

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.errors import ConflictError
from stepwise.frameworks.models import FrameworkCollaborator, FrameworkEvent, TrustFramework
from stepwise.frameworks.services import (
    collaborator_add,
    collaborator_remove,
    framework_create,
    trust_framework_offer,
    trust_framework_set_self_enrolment,
    trust_framework_withdraw,
)

Kind = FrameworkEvent.Kind


@pytest.fixture
def offered(trust, trust_admin, published):
    return trust_framework_offer(trust=trust, framework=published.framework, by=trust_admin)


def test_an_offer_is_recorded(offered, trust, trust_admin):
    event = FrameworkEvent.objects.get()
    assert (event.kind, event.trust, event.actor) == (Kind.OFFERED, trust, trust_admin)
    assert event.note == "Educators enrol learners"


def test_withdrawing_an_offer_removes_it_and_records_who_did_it(offered, trust, trust_admin):
    trust_framework_withdraw(
        trust=trust, framework=offered.framework, by=trust_admin, note="Replaced by Step 2"
    )

    assert not TrustFramework.objects.exists()
    event = FrameworkEvent.objects.get(kind=Kind.OFFER_STOPPED)
    assert (event.trust, event.actor, event.note) == (trust, trust_admin, "Replaced by Step 2")


def test_withdrawing_twice_says_who_got_there_first(offered, trust, trust_admin):
    trust_framework_withdraw(trust=trust, framework=offered.framework, by=trust_admin)

    with pytest.raises(ConflictError, match=f"{trust_admin} stopped offering it on"):
        trust_framework_withdraw(trust=trust, framework=offered.framework, by=PersonFactory())
    assert FrameworkEvent.objects.filter(kind=Kind.OFFER_STOPPED).count() == 1


def test_withdrawing_what_was_never_offered_is_refused(trust, trust_admin, published):
    with pytest.raises(ConflictError, match="does not offer Step 1"):
        trust_framework_withdraw(trust=trust, framework=published.framework, by=trust_admin)


def test_an_offer_can_be_made_again_after_withdrawing(offered, trust, trust_admin):
    trust_framework_withdraw(trust=trust, framework=offered.framework, by=trust_admin)

    again = trust_framework_offer(
        trust=trust, framework=offered.framework, by=trust_admin, learners_may_enrol_themselves=True
    )

    assert again.learners_may_enrol_themselves is True
    assert [e.kind for e in FrameworkEvent.objects.order_by("pk")] == [
        Kind.OFFERED,
        Kind.OFFER_STOPPED,
        Kind.OFFERED,
    ]


def test_self_enrolment_changes_once_per_change(offered, trust, trust_admin):
    framework = offered.framework

    offer = trust_framework_set_self_enrolment(
        trust=trust, framework=framework, by=trust_admin, allowed=True
    )
    trust_framework_set_self_enrolment(
        trust=trust, framework=framework, by=trust_admin, allowed=True
    )

    assert offer.learners_may_enrol_themselves is True
    changes = FrameworkEvent.objects.filter(kind=Kind.SELF_ENROLMENT_CHANGED)
    assert [e.note for e in changes] == ["Learners may enrol themselves"]


def test_self_enrolment_needs_an_offer(trust, trust_admin, published):
    with pytest.raises(ConflictError, match="does not offer"):
        trust_framework_set_self_enrolment(
            trust=trust, framework=published.framework, by=trust_admin, allowed=True
        )


def test_collaborators_coming_and_going_are_recorded(framework, framework_author):
    person = PersonFactory(email="sam.lee@nhs.net")

    collaborator = collaborator_add(
        framework=framework, person=person, role="reviewer", by=framework_author
    )
    collaborator_remove(collaborator=collaborator, by=framework_author)
    collaborator_remove(collaborator=collaborator, by=framework_author)  # a no-op

    assert not FrameworkCollaborator.objects.exists()
    events = list(framework.events.order_by("pk"))
    assert [e.kind for e in events] == [Kind.COLLABORATOR_ADDED, Kind.COLLABORATOR_REMOVED]
    assert all(e.note.endswith("(sam.lee@nhs.net) as reviewer") for e in events)


def test_creating_a_framework_is_recorded(framework_author):
    framework = framework_create(slug="step-4", title="Step 4", by=framework_author)

    assert framework.events.get().kind == Kind.CREATED


@pytest.mark.parametrize("slug", ["new", "template"])
def test_the_pages_own_addresses_cannot_be_slugs(framework_author, slug):
    with pytest.raises(ValidationError, match="in its own web addresses"):
        framework_create(slug=slug, title="Clash", by=framework_author)
