"""To review: the waiting requests an assessor or educator may decide, oldest first."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import ConfirmationRequest, ProficiencyRecord
from stepwise.progress.services import enrolment_create

from .conftest import build_version
from .staff_helpers import another_learner, ask, enrol, read, ready_for_sign_off, records

URL = reverse("progress:to_review")


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return read(response)


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response.url


def test_learners_and_trust_admins_may_not_see_it(client_for, learner, trust_admin):
    assert client_for(learner).get(URL).status_code == 403
    assert client_for(trust_admin).get(URL).status_code == 403


def test_an_assessor_sees_requests_named_to_them_and_their_units_pool(
    client_for, enrolment, assessor, trust, educator, offered
):
    named = ask(enrolment, records(enrolment)[:2], assessor=assessor)
    second = enrol(another_learner(trust), offered, trust, educator)
    pooled = ask(second, records(second)[:1], unit=trust.units[0])
    elsewhere = enrol(another_learner(trust, trust.units[1]), offered, trust, educator)
    other_unit = ask(elsewhere, records(elsewhere)[:1], unit=trust.units[1])
    colleague = MembershipFactory(trust=trust, unit=trust.units[0], is_assessor=True).person
    third = enrol(another_learner(trust), offered, trust, educator)
    to_colleague = ask(third, records(third)[:1], assessor=colleague)

    html = page(client_for(assessor))
    assert reverse("progress:review", args=[named.pk]) in html
    assert reverse("progress:review", args=[pooled.pk]) in html
    assert reverse("progress:review", args=[other_unit.pk]) not in html
    assert reverse("progress:review", args=[to_colleague.pk]) not in html
    assert enrolment.learner.full_name in html
    assert "2 proficiencies" in html
    assert f"Any assessor in {trust.units[0].name}" in html
    assert "You" in html
    assert "2 requests waiting." in html


def test_an_educator_sees_every_waiting_request_in_the_trust(
    client_for, enrolment, assessor, educator, trust, offered
):
    named = ask(enrolment, records(enrolment)[:1], assessor=assessor)
    elsewhere = enrol(another_learner(trust, trust.units[1]), offered, trust, educator)
    other_unit = ask(elsewhere, records(elsewhere)[:1], unit=trust.units[1])
    html = page(client_for(educator))
    assert reverse("progress:review", args=[named.pk]) in html
    assert reverse("progress:review", args=[other_unit.pk]) in html
    assert assessor.full_name in html


def test_decided_withdrawn_and_other_trusts_requests_are_not_listed(
    client_for, enrolment, educator, other_trust, other_learner, assessor
):
    waiting = ask(enrolment, records(enrolment)[:1])
    ConfirmationRequest.objects.filter(pk=waiting.pk).update(
        state=ConfirmationRequest.State.WITHDRAWN
    )
    other_version = build_version(slug="elsewhere")
    from stepwise.frameworks.models import TrustFramework

    TrustFramework.objects.create(trust=other_trust, framework=other_version.framework)
    other_educator = MembershipFactory(trust=other_trust, is_educator=True).person
    theirs = enrolment_create(
        learner=other_learner,
        version=other_version,
        trust=other_trust,
        educator=other_educator,
        by=other_educator,
    )
    outside = ask(theirs, records(theirs)[:1], unit=other_trust.units[0])
    html = page(client_for(educator))
    assert reverse("progress:review", args=[waiting.pk]) not in html
    assert reverse("progress:review", args=[outside.pk]) not in html
    assert "Nothing is waiting for you to review." in html


def test_a_learner_who_is_also_an_assessor_never_sees_their_own_request(
    client_for, trust, educator, offered
):
    both = MembershipFactory(
        trust=trust, unit=trust.units[0], is_learner=True, is_assessor=True
    ).person
    own = enrol(both, offered, trust, educator)
    request = ask(own, records(own)[:1], unit=trust.units[0])
    html = page(client_for(both))
    assert reverse("progress:review", args=[request.pk]) not in html


def test_the_oldest_comes_first_and_old_ones_are_counted_and_flagged(
    client_for, enrolment, assessor, trust, educator, offered
):
    recent = ask(enrolment, records(enrolment)[:1], assessor=assessor)
    second = enrol(another_learner(trust), offered, trust, educator)
    old = ask(second, records(second)[:1], assessor=assessor)
    ConfirmationRequest.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - timedelta(days=9)
    )
    html = page(client_for(assessor))
    old_at = html.index(reverse("progress:review", args=[old.pk]))
    assert old_at < html.index(reverse("progress:review", args=[recent.pk]))
    assert "2 requests waiting, 1 of them for more than 7 days." in html
    assert "9 days" in html
    assert "Over 7 days" in html


def test_educators_see_who_waits_for_sign_off(client_for, enrolment, assessor, educator):
    ready_for_sign_off(enrolment, assessor)
    html = page(client_for(educator))
    assert "Waiting for final sign-off" in html
    assert reverse("progress:sign_off", args=[enrolment.pk]) in html
    assert "No one is waiting for sign-off." not in html


def test_assessors_do_not_see_the_sign_off_list(client_for, enrolment, assessor):
    ready_for_sign_off(enrolment, assessor)
    assert "Waiting for final sign-off" not in page(client_for(assessor))


def test_the_query_count_stays_the_same_with_200_waiting_requests(
    client_for, trust, educator, assessor, offered, django_assert_max_num_queries
):
    learners = [another_learner(trust) for _ in range(200)]
    from stepwise.progress.services import enrolments_create

    enrolled = enrolments_create(
        learners=learners, version=offered, trust=trust, educator=educator, by=educator
    )
    first_records = {
        r.enrolment_id: r
        for r in ProficiencyRecord.objects.filter(enrolment__in=enrolled).order_by("-pk")
    }
    for enrolment in enrolled:
        ask(enrolment, [first_records[enrolment.pk]], assessor=assessor)
    client = client_for(assessor)
    with django_assert_max_num_queries(5):
        html = page(client)
    assert "200 requests waiting." in html
    client = client_for(educator)
    with django_assert_max_num_queries(6):
        page(client)


def test_the_page_reads_only_its_own_rows_beside_who_is_signed_in(
    client_for, enrolment, assessor, django_assert_max_num_queries
):
    """The session, the person (with their unread count), their memberships; then the count
    of waiting requests and the page of them. Nothing for the header alone."""
    ask(enrolment, records(enrolment)[:2], assessor=assessor)
    client = client_for(assessor)
    page(client)
    with django_assert_max_num_queries(5):
        html = page(client)
    assert "Notifications (1)" in html  # asked to confirm
