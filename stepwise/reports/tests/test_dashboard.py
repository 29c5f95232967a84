"""The Trust and unit dashboards: counts by stage, due dates and assessors' waiting requests,
each count a link to the learners behind it, scoped to the person's Trust or unit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.services import enrolment_withdraw
from stepwise.progress.summaries import rebuild
from stepwise.progress.tests.staff_helpers import (
    another_learner,
    ask,
    confirm,
    enrol,
    read,
    ready_for_sign_off,
    records,
)

from .tables import page_tables

URL = reverse("reports:dashboard")
STAGES, DUE, WORKLOAD = "Learners by stage", "Sign-off and due dates", "Assessors' waiting requests"
LIST = reverse("reports:learners")


def cells(html: str, *texts) -> bool:
    return all(text in html for text in texts)


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response.url


def test_learners_and_assessors_may_not_see_it(client_for, learner, assessor):
    for person in (learner, assessor):
        assert client_for(person).get(URL).status_code == 403
        assert client_for(person).get(LIST, {"show": "overdue"}).status_code == 403


def test_the_navigation_offers_it_to_educators_and_trust_admins(
    client_for, educator, trust_admin, assessor
):
    for person in (educator, trust_admin):
        assert URL in read(client_for(person).get(reverse("core:home")))
    assert URL not in read(client_for(assessor).get(reverse("core:home")))


@pytest.fixture
def journeys(enrolment, educator, assessor, trust, offered):
    """One learner in each stage at the persona Trust."""
    started = enrol(another_learner(trust), offered, trust, educator)
    ask(started, records(started)[:1], assessor=assessor)
    progressing = enrol(another_learner(trust), offered, trust, educator)
    chosen = records(progressing)[:2]
    confirm(ask(progressing, chosen, assessor=assessor), assessor, chosen)
    waiting = enrol(another_learner(trust), offered, trust, educator)
    ready_for_sign_off(waiting, assessor)
    withdrawn = enrol(another_learner(trust), offered, trust, educator)
    enrolment_withdraw(enrolment=withdrawn, by=educator, note="Left the unit")
    return {
        "not_started": enrolment,
        "awaiting_confirmation": started,
        "in_progress": progressing,
        "awaiting_sign_off": waiting,
        "withdrawn": withdrawn,
    }


def table(response, caption: str) -> list[list[str]]:
    """The table's rows below its header, as text."""
    assert response.status_code == 200
    return page_tables(read(response))[0][caption][1:]


def links(response, caption: str) -> list[list[str]]:
    return page_tables(read(response))[1][caption][1:]


def stage_row(response) -> list:
    rows = table(response, STAGES)
    assert len(rows) == 1
    return rows[0]


def test_it_counts_learners_by_stage_with_the_share_confirmed(client_for, trust_admin, journeys):
    response = client_for(trust_admin).get(URL)
    assert response.status_code == 200
    row = stage_row(response)
    # not started, in progress, waiting for confirmation, waiting for sign-off, signed off,
    # withdrawn, all learners
    assert row[1:8] == ["1", "1", "1", "1", "0", "1", "5"]
    # 4 enrolments not withdrawn need 9 required + 1 optional each: 10 + 2 confirmed of 40.
    assert row[8] == "30%"
    html = read(response)
    assert "Learners by stage" in html
    assert '<svg class="reports-chart" role="img"' in html


def test_each_count_links_to_the_named_learners(client_for, educator, journeys, offered):
    client = client_for(educator)
    hrefs = links(client.get(URL), STAGES)[0]
    for stage, enrolment in journeys.items():
        href = next(h for h in hrefs if f"show={stage}" in h)
        html = read(client.get(href))
        assert enrolment.learner.full_name in html
        others = [e for s, e in journeys.items() if s != stage]
        assert not any(e.learner.full_name in html for e in others)
        assert reverse("progress:enrolment_manage", args=[enrolment.pk]) in html


def test_trust_admins_see_names_without_links_they_may_not_open(client_for, trust_admin, journeys):
    html = read(client_for(trust_admin).get(LIST, {"show": "withdrawn"}))
    assert journeys["withdrawn"].learner.full_name in html
    assert reverse("progress:enrolment_manage", args=[journeys["withdrawn"].pk]) not in html


def test_due_dates_overdue_and_due_soon(client_for, educator, enrolment, trust, offered):
    today = timezone.localdate()
    soon = enrol(another_learner(trust), offered, trust, educator)
    later = enrol(another_learner(trust), offered, trust, educator)
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=today - timedelta(days=1))
    Enrolment.objects.filter(pk=soon.pk).update(due_on=today + timedelta(days=30))
    Enrolment.objects.filter(pk=later.pk).update(due_on=today + timedelta(days=31))
    rebuild()  # the rows above were edited around the services
    client = client_for(educator)
    assert table(client.get(URL), DUE)[0][1:] == ["3", "0", "0", "1", "1"]
    overdue = read(client.get(LIST, {"show": "overdue"}))
    assert enrolment.learner.full_name in overdue and soon.learner.full_name not in overdue
    due_soon = read(client.get(LIST, {"show": "due_soon"}))
    assert soon.learner.full_name in due_soon and later.learner.full_name not in due_soon


def test_signed_off_within_twelve_months(client_for, educator, enrolment, assessor, trust):
    from stepwise.progress.services import enrolment_sign_off

    ready_for_sign_off(enrolment, assessor)
    enrolment_sign_off(
        enrolment=enrolment,
        by=educator,
        registration_body="NMC",
        registration_number="09B1234D",
        declaration_agreed=True,
    )
    client = client_for(educator)
    assert table(client.get(URL), DUE)[0][2:4] == ["1", "1"]
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=timezone.now() - timedelta(days=400)
    )
    rebuild()  # the rows above were edited around the services
    assert table(client.get(URL), DUE)[0][2:4] == ["1", "0"]


def test_assessor_workload_by_age(client_for, educator, assessor, enrolment, trust):
    chosen = records(enrolment)
    named = ask(enrolment, chosen[:1], assessor=assessor)
    pool = ask(enrolment, chosen[1:2], unit=trust.units[0])
    old = ask(enrolment, chosen[2:3], assessor=assessor)
    now = timezone.now()
    ConfirmationRequest.objects.filter(pk=pool.pk).update(requested_at=now - timedelta(days=10))
    ConfirmationRequest.objects.filter(pk=old.pk).update(requested_at=now - timedelta(days=20))
    rebuild()  # the rows above were edited around the services
    assert named.state == ConfirmationRequest.State.WAITING
    rows = table(client_for(educator).get(URL), WORKLOAD)
    assert {row[0]: row[1:] for row in rows} == {
        assessor.full_name: ["1", "0", "1", "2"],
        f"{trust.units[0].name} (unit pool)": ["0", "1", "0", "1"],
    }


def test_another_trusts_learners_are_never_counted_or_listed(
    client_for, other_trust_admin, journeys
):
    client = client_for(other_trust_admin)
    assert STAGES not in page_tables(read(client.get(URL)))[0]
    html = read(client.get(LIST, {"show": "withdrawn"}))
    assert journeys["withdrawn"].learner.full_name not in html


def test_an_educator_with_a_unit_sees_only_that_unit(client_for, trust, offered, educator):
    unit_educator = MembershipFactory(trust=trust, unit=trust.units[1], is_educator=True).person
    here = enrol(another_learner(trust, trust.units[1]), offered, trust, educator)
    elsewhere = enrol(another_learner(trust, trust.units[0]), offered, trust, educator)
    client = client_for(unit_educator)
    response = client.get(URL)
    assert trust.units[1].name in read(response)
    assert stage_row(response)[7] == "1"
    html = read(client.get(LIST, {"show": "not_started"}))
    assert here.learner.full_name in html and elsewhere.learner.full_name not in html
    # Another unit of the same Trust is not a choice: a clear message, not its learners.
    response = client.get(LIST, {"show": "not_started", "unit": trust.units[0].pk})
    assert response.status_code == 200
    assert "Choose a unit from the list" in read(response)
    assert elsewhere.learner.full_name not in read(response)
