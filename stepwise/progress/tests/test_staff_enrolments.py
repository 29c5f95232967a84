"""Learners: the Trust's enrolments, with progress, due dates and filters, a page at a time."""

from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.progress.models import Enrolment
from stepwise.progress.services import enrolment_withdraw

from .conftest import build_version
from .staff_helpers import another_learner, ask, confirm, enrol, in_days, read, records

URL = reverse("progress:enrolments")


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return read(response)


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response.url


def test_only_educators_see_it(client_for, learner, assessor, trust_admin):
    for person in (learner, assessor, trust_admin):
        assert client_for(person).get(URL).status_code == 403


def test_the_navigation_offers_it_to_educators_only(client_for, educator, assessor):
    assert URL in read(client_for(educator).get(reverse("core:home")))
    assert URL not in read(client_for(assessor).get(reverse("core:home")))


def test_it_lists_the_trusts_enrolments_with_progress_and_due_dates(
    client_for, enrolment, educator, assessor, other_trust, other_learner
):
    chosen = records(enrolment)[:2]
    confirm(ask(enrolment, chosen, assessor=assessor), assessor, chosen)
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=in_days(-3))
    html = page(client_for(educator))
    assert enrolment.learner.full_name in html
    assert reverse("progress:enrolment_manage", args=[enrolment.pk]) in html
    assert str(enrolment.version) in html
    assert "2 of 12 confirmed" in html
    assert "Overdue" in html
    assert "In progress" in html
    assert other_learner.full_name not in html


def test_filters_by_unit_framework_state_name_and_overdue(
    client_for, enrolment, educator, trust, offered
):
    second_unit = enrol(another_learner(trust, trust.units[1]), offered, trust, educator)
    other_framework = build_version(slug="step-2")
    TrustFramework.objects.create(trust=trust, framework=other_framework.framework)
    on_step_two = enrol(another_learner(trust), other_framework, trust, educator)
    withdrawn = enrol(another_learner(trust), offered, trust, educator)
    enrolment_withdraw(enrolment=withdrawn, by=educator)
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=in_days(-1))
    client = client_for(educator)

    def names(**filters):
        html = page(client, **filters)
        return {
            e.learner.full_name
            for e in (enrolment, second_unit, on_step_two, withdrawn)
            if reverse("progress:enrolment_manage", args=[e.pk]) in html
        }

    everyone = {e.learner.full_name for e in (enrolment, second_unit, on_step_two, withdrawn)}
    assert names() == everyone
    assert names(unit=trust.units[1].pk) == {second_unit.learner.full_name}
    assert names(framework=other_framework.framework_id) == {on_step_two.learner.full_name}
    assert names(state="withdrawn") == {withdrawn.learner.full_name}
    assert names(q=enrolment.learner.email) == {enrolment.learner.full_name}
    assert names(overdue="on") == {enrolment.learner.full_name}


def test_a_bad_filter_is_explained(client_for, educator, enrolment):
    html = page(client_for(educator), state="lost", framework="x")
    assert "Choose a status from the list" in html
    assert "Choose a framework from the list" in html
    assert enrolment.learner.full_name in html


def test_nothing_found_says_so(client_for, educator, enrolment):
    html = page(client_for(educator), q="nobody-by-this-name")
    assert "No enrolments match" in html


def test_pages_of_25_with_constant_queries(
    client_for, educator, trust, offered, django_assert_max_num_queries
):
    from stepwise.progress.services import enrolments_create

    enrolments_create(
        learners=[another_learner(trust) for _ in range(60)],
        version=offered,
        trust=trust,
        educator=educator,
        by=educator,
    )
    client = client_for(educator)
    with django_assert_max_num_queries(12):
        html = page(client)
    assert "Showing 1 to 25 of 60 enrolments" in html
    with django_assert_max_num_queries(12):
        html = page(client, page=3)
    assert "Showing 51 to 60 of 60 enrolments" in html
