"""A proficiency's own page: what it asks, the learner's reflection and evidence, action
plans, decisions and history; and changing a confirmed answer after a warning."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Action, Evidence, RecordEvent, SignOffRequest
from stepwise.progress.services import (
    enrolment_create,
    enrolment_withdraw,
    evidence_add,
    sign_off_request,
)
from stepwise.progress.states import EnrolmentState, RecordEventKind, RecordState

from .learner_support import (
    achieve,
    confirm,
    confirm_everything_needed,
    read,
    records,
    reject,
    sign_in_redirect,
    upload,
)


def page(record) -> str:
    return reverse("progress:record", args=[record.enrolment_id, record.pk])


def reopen(record) -> str:
    return reverse("progress:record_reopen", args=[record.enrolment_id, record.pk])


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def first(enrolment):
    return records(enrolment)[0]


@pytest.fixture
def someone_else(trust):
    return MembershipFactory(trust=trust, is_learner=True).person


def test_anonymous_people_are_asked_to_sign_in(client, learner, assessor, enrolment, first):
    assert sign_in_redirect(client.get(page(first)))
    assert sign_in_redirect(client.get(reopen(first)))
    assert sign_in_redirect(client.post(page(first), {"file": upload()}))
    evidence = evidence_add(record=first, by=learner, upload=upload())
    second = records(enrolment)[1]
    reject(enrolment, second, assessor)
    action = Action.objects.get()
    assert sign_in_redirect(client.post(reverse("progress:evidence_remove", args=[evidence.pk])))
    assert sign_in_redirect(client.post(reverse("progress:action_done", args=[action.pk])))
    assert sign_in_redirect(client.post(reopen(second)))
    evidence.refresh_from_db()
    action.refresh_from_db()
    assert evidence.removed_at is None and action.done_at is None
    assert Evidence.objects.count() == 1


def test_another_learners_record_is_not_found(
    client_for, learner, someone_else, trust, educator, offered, first
):
    assert client_for(someone_else).get(page(first)).status_code == 404
    assert client_for(someone_else).get(reopen(first)).status_code == 404
    # Their own enrolment's id with someone else's record id is not found either.
    theirs = enrolment_create(
        learner=someone_else, version=offered, trust=trust, educator=educator, by=educator
    )
    forged = reverse("progress:record", args=[theirs.pk, first.pk])
    assert client_for(someone_else).get(forged).status_code == 404
    forged = reverse("progress:record", args=[first.enrolment_id, records(theirs)[0].pk])
    assert client_for(learner).get(forged).status_code == 404


def test_an_enrolment_id_no_integer_holds_is_not_found(client_for, learner, first):
    # A 500 on SQLite (OverflowError), found by tests/fuzz: now core/lookups.py.
    for huge in (2**63, int("9" * 30)):
        path = reverse("progress:record", args=[huge, first.pk])
        assert client_for(learner).get(path).status_code == 404


def test_it_shows_everything_about_the_proficiency(client_for, learner, assessor, enrolment):
    first, second = records(enrolment)[:2]
    type(first.proficiency).objects.filter(pk=first.proficiency_id).update(
        guidance="Check the alarms first", evidence_hints="A signed observation record"
    )
    reject(enrolment, first, assessor)
    confirm(enrolment, [first], assessor)

    html = read(client_for(learner).get(page(first)))

    assert "Statement 1.1" in html
    assert "Check the alarms first" in html
    assert "A signed observation record" in html
    assert "Managed it on shift" in html  # the reflection
    # Decisions: who, their registration number, when, where.
    decisions = main_of(html).split(">Decisions<", 1)[1].split(">History<", 1)[0]
    assert decisions.count(assessor.full_name) == 2
    assert "NMC 09B1234D" in decisions
    assert enrolment.trust.name in decisions
    assert re.search(r'nhsuk-tag--red"\s*>\s*Rejected', decisions)
    assert re.search(r'nhsuk-tag--green"\s*>\s*Confirmed', decisions)
    # The action plan from the rejection.
    assert "Action plan from" in html and "Practise under supervision" in html
    # The whole history, oldest first.
    history = main_of(html).split(">History<", 1)[1]
    kinds = re.findall(r"What happened </span>([^<]+?)\s*</td>", history)
    assert kinds == [
        "Self-assessed",
        "Asked for confirmation",
        "Rejected with an action plan",
        "Self-assessed",
        "Asked for confirmation",
        "Confirmed",
    ]
    assert "Waiting for confirmation to Rejected" in history


class TestActions:
    def test_the_learner_marks_an_action_done(
        self, client_for, learner, assessor, enrolment, first
    ):
        reject(enrolment, first, assessor)
        action = Action.objects.get()
        client = client_for(learner)
        done = reverse("progress:action_done", args=[action.pk])
        assert done in read(client.get(page(first)))

        response = client.post(done)

        assert response.url == page(first)
        action.refresh_from_db()
        assert action.done_by == learner
        html = read(client.get(page(first)))
        assert "Action marked as done" in html
        assert done not in html
        assert RecordEvent.objects.filter(kind=RecordEventKind.ACTION_DONE).count() == 1
        client.post(done)
        assert "already marked as done" in read(client.get(page(first)))
        assert RecordEvent.objects.filter(kind=RecordEventKind.ACTION_DONE).count() == 1

    def test_overdue_actions_are_marked(self, client_for, learner, assessor, enrolment, first):
        reject(enrolment, first, assessor)
        Action.objects.update(due_on=timezone.localdate() - timedelta(days=1))
        html = read(client_for(learner).get(page(first)))
        assert re.search(r'nhsuk-tag--red"\s*>\s*Overdue', html)

    def test_someone_elses_action_is_not_found(
        self, client_for, someone_else, assessor, enrolment, first
    ):
        reject(enrolment, first, assessor)
        action = Action.objects.get()
        response = client_for(someone_else).post(reverse("progress:action_done", args=[action.pk]))
        assert response.status_code == 404
        action.refresh_from_db()
        assert action.done_at is None

    def test_a_withdrawn_enrolment_refuses_with_a_message(
        self, client_for, learner, assessor, educator, enrolment, first
    ):
        reject(enrolment, first, assessor)
        enrolment_withdraw(enrolment=enrolment, by=educator)
        action = Action.objects.get()
        client = client_for(learner)
        html = read(client.get(page(first)))
        assert "This enrolment was withdrawn on" in html
        assert 'type="file"' not in html
        response = client.post(reverse("progress:action_done", args=[action.pk]))
        assert "This enrolment is withdrawn, so it cannot be changed." in read(
            client.get(response.url)
        )
        action.refresh_from_db()
        assert action.done_at is None
        response = client.post(page(first), {"file": upload()})
        assert "This enrolment is withdrawn, so it cannot be changed." in read(response)
        assert not Evidence.objects.exists()


class TestChangingAConfirmedAnswer:
    def test_a_warning_comes_first(self, client_for, learner, assessor, enrolment, first):
        confirm(enrolment, [first], assessor)
        html = read(client_for(learner).get(reopen(first)))
        assert "nhsuk-card--warning" in html
        assert "the earlier confirmation stays in its history" in html
        assert "Change my answer" in html
        first.refresh_from_db()
        assert first.state == RecordState.CONFIRMED

    def test_confirming_reopens_and_keeps_the_confirmation_in_the_history(
        self, client_for, learner, assessor, enrolment, first
    ):
        confirm(enrolment, [first], assessor)
        client = client_for(learner)

        response = client.post(reopen(first))

        section = first.proficiency.section_id
        assert response.url == (
            reverse("progress:section", args=[enrolment.pk, section]) + f"#record-{first.pk}"
        )
        first.refresh_from_db()
        assert first.state == RecordState.ACHIEVED
        assert RecordEvent.objects.filter(kind=RecordEventKind.REOPENED).count() == 1
        html = read(client.get(page(first)))
        assert "Confirmed answer changed" in html
        assert re.search(r'nhsuk-tag--green"\s*>\s*Confirmed', html)  # the decision stays

    def test_a_waiting_sign_off_is_withdrawn(self, client_for, learner, assessor, enrolment, first):
        confirm_everything_needed(enrolment, assessor)
        sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        client = client_for(learner)
        assert "your request for sign-off, which is waiting, will be withdrawn" in read(
            client.get(reopen(first))
        )

        client.post(reopen(first))

        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.ACTIVE
        assert SignOffRequest.objects.get().state == SignOffRequest.State.WITHDRAWN

    def test_an_answer_that_is_not_confirmed_cannot_be_reopened(
        self, client_for, learner, enrolment, first
    ):
        achieve(enrolment, [first])
        client = client_for(learner)
        response = client.get(reopen(first))
        assert response.url == page(first)
        assert "not confirmed, so there is no confirmed answer to change" in read(
            client.get(response.url)
        )
        response = client.post(reopen(first))
        assert "1.1 could not be changed: it is already achieved" in read(client.get(response.url))
        assert not RecordEvent.objects.filter(kind=RecordEventKind.REOPENED).exists()

    def test_a_withdrawn_enrolment_cannot_be_reopened(
        self, client_for, learner, assessor, educator, enrolment, first
    ):
        confirm(enrolment, [first], assessor)
        enrolment_withdraw(enrolment=enrolment, by=educator)
        client = client_for(learner)
        response = client.get(reopen(first))
        assert "This enrolment was withdrawn on" in read(client.get(response.url))
        response = client.post(reopen(first))
        assert "This enrolment is withdrawn, so it cannot be changed." in read(
            client.get(response.url)
        )
        first.refresh_from_db()
        assert first.state == RecordState.CONFIRMED
