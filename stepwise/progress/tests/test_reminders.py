"""The daily reminders: who is reminded of what, and never twice in a week."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from stepwise.notifications.models import Notification, Reminder
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.queries.reminders import enrolments_to_remind, requests_to_remind
from stepwise.progress.services import (
    confirmation_request,
    confirmation_withdraw,
    enrolment_withdraw,
    enrolments_create,
    records_self_assess,
)
from stepwise.progress.services.reminders import (
    confirmation_request_remind,
    enrolment_remind_due,
    reminders_send,
)
from stepwise.progress.states import RecordState

NOW = timezone.make_aware(timezone.datetime(2026, 3, 9, 7, 0))  # a Monday, 7am


def reminders_to(person) -> list[Notification]:
    return list(Notification.objects.filter(person=person, text__startswith="Reminder:"))


def send(at=NOW):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders_send(at=at)


def ask(enrolment, learner, *, days_ago, assessor=None, unit=None, count=2):
    records = list(enrolment.records.order_by("pk")[:count])
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[(r.pk, RecordState.ACHIEVED, "Done on shift") for r in records],
    )
    request = confirmation_request(
        enrolment=enrolment,
        by=learner,
        record_ids=[r.pk for r in records],
        assessor=assessor,
        unit=unit,
    )
    ConfirmationRequest.objects.filter(pk=request.pk).update(
        requested_at=NOW - timedelta(days=days_ago)
    )
    request.refresh_from_db()
    return request


def due_in(enrolment, days):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        due_on=timezone.localdate(NOW) + timedelta(days=days)
    )


class TestConfirmationRequests:
    def test_a_request_waiting_more_than_a_week_reminds_its_assessor(
        self, enrolment, learner, assessor
    ):
        request = ask(enrolment, learner, days_ago=8, assessor=assessor)
        mail.outbox.clear()

        sent = send()

        assert sent.requests == 1
        [notice] = reminders_to(assessor)
        assert f"{learner.full_name} has been waiting 8 days for 2 proficiencies" in notice.text
        assert notice.url == f"/to-review/{request.pk}/"
        [email] = mail.outbox
        assert email.to == [assessor.email]
        assert email.subject == (
            f"Reminder: {learner.full_name} is waiting for you to confirm proficiencies"
        )
        assert f"http://testserver/to-review/{request.pk}/" in email.body
        request.refresh_from_db()
        assert request.reminded_at == NOW
        reminder = Reminder.objects.get()
        assert (reminder.kind, reminder.object_id, reminder.people) == (
            Reminder.Kind.CONFIRMATION_REQUEST,
            request.pk,
            1,
        )
        assert reminder.week == date(2026, 3, 9)

    def test_a_request_waiting_a_week_or_less_is_left_alone(self, enrolment, learner, assessor):
        ask(enrolment, learner, days_ago=7, assessor=assessor)
        assert send().requests == 0
        assert reminders_to(assessor) == []

    def test_a_pool_request_reminds_the_units_assessors(self, enrolment, learner, assessor, trust):
        colleague = MembershipFactory(trust=trust, unit=trust.units[0], is_assessor=True).person
        elsewhere = MembershipFactory(trust=trust, unit=trust.units[1], is_assessor=True).person
        ask(enrolment, learner, days_ago=10, unit=trust.units[0])
        mail.outbox.clear()

        assert send().requests == 1

        assert len(reminders_to(assessor)) == len(reminders_to(colleague)) == 1
        assert reminders_to(elsewhere) == []
        assert reminders_to(learner) == []
        assert sorted(email.to[0] for email in mail.outbox) == sorted(
            [assessor.email, colleague.email]
        )
        assert all("every assessor in General Intensive Care Unit" in e.body for e in mail.outbox)

    def test_a_pool_with_nobody_in_it_reminds_the_educator(
        self, enrolment, learner, educator, trust
    ):
        ask(enrolment, learner, days_ago=10, unit=trust.units[1])
        assert send().requests == 1
        assert len(reminders_to(educator)) == 1

    def test_nobody_is_reminded_twice_in_a_week(self, enrolment, learner, assessor):
        ask(enrolment, learner, days_ago=8, assessor=assessor)
        assert send().requests == 1
        assert send().requests == 0  # run again the same day
        assert send(NOW + timedelta(days=6, hours=12)).requests == 0
        # A week on, even if that day's run starts a little earlier, it is reminded again.
        assert send(NOW + timedelta(days=7, minutes=-5)).requests == 1
        assert len(reminders_to(assessor)) == 2
        assert Reminder.objects.count() == 2

    def test_decided_or_withdrawn_requests_are_not_reminded(self, enrolment, learner, assessor):
        request = ask(enrolment, learner, days_ago=8, assessor=assessor)
        confirmation_withdraw(request=request, by=learner)
        assert send().requests == 0
        assert reminders_to(assessor) == []

    def test_another_run_that_got_there_first_wins(self, enrolment, learner, assessor):
        ask(enrolment, learner, days_ago=8, assessor=assessor)
        [request] = requests_to_remind(NOW)
        # Meanwhile another run reminds about it.
        ConfirmationRequest.objects.filter(pk=request.pk).update(reminded_at=NOW)
        assert confirmation_request_remind(request=request, at=NOW) is False
        assert reminders_to(assessor) == []
        assert Reminder.objects.count() == 0


class TestEnrolmentsDue:
    def test_an_enrolment_due_within_30_days_reminds_the_learner_and_educator(
        self, enrolment, learner, educator
    ):
        due_in(enrolment, 20)
        mail.outbox.clear()

        assert send().enrolments == 1

        [to_learner] = reminders_to(learner)
        assert to_learner.text == (
            f"Reminder: your {enrolment.version.framework.title} is due in 20 days, on "
            "29 March 2026. 0 of 9 required proficiencies are confirmed."
        )
        assert to_learner.url == f"/enrolments/{enrolment.pk}/"
        [to_educator] = reminders_to(educator)
        assert to_educator.text.startswith(f"Reminder: {learner.full_name}'s ")
        assert to_educator.url == f"/enrolments/{enrolment.pk}/manage/"
        emails = {email.to[0]: email for email in mail.outbox}
        assert set(emails) == {learner.email, educator.email}
        assert emails[learner.email].subject == (
            f"Reminder: your {enrolment.version.framework.title} is due in 20 days"
        )
        assert f"http://testserver/enrolments/{enrolment.pk}/" in emails[learner.email].body
        assert "0 of 9 required proficiencies are confirmed" in emails[educator.email].body
        reminder = Reminder.objects.get()
        assert (reminder.kind, reminder.object_id) == (Reminder.Kind.ENROLMENT_DUE, enrolment.pk)

    def test_an_overdue_enrolment_is_reminded_too(self, enrolment, learner):
        due_in(enrolment, -3)
        assert send().enrolments == 1
        assert " was due 3 days ago, on 6 March 2026." in reminders_to(learner)[0].text

    @pytest.mark.parametrize("days", [31, 60])
    def test_an_enrolment_due_later_is_left_alone(self, enrolment, learner, days):
        due_in(enrolment, days)
        assert send().enrolments == 0
        assert reminders_to(learner) == []

    def test_an_enrolment_with_no_due_date_is_left_alone(self, enrolment, learner):
        assert send().enrolments == 0

    def test_a_closed_enrolment_is_left_alone(self, enrolment, learner, educator):
        due_in(enrolment, 5)
        enrolment_withdraw(enrolment=enrolment, by=educator, note="Left the unit")
        assert send().enrolments == 0
        assert reminders_to(learner) == []

    def test_nobody_is_reminded_twice_in_a_week(self, enrolment, learner, educator):
        due_in(enrolment, 20)
        assert send().enrolments == 1
        assert send().enrolments == 0
        assert send(NOW + timedelta(days=6)).enrolments == 0
        assert send(NOW + timedelta(days=7, minutes=-5)).enrolments == 1
        assert len(reminders_to(learner)) == len(reminders_to(educator)) == 2

    def test_another_run_that_got_there_first_wins(self, enrolment, learner):
        due_in(enrolment, 20)
        [found] = enrolments_to_remind(NOW)
        Reminder.objects.create(
            kind=Reminder.Kind.ENROLMENT_DUE,
            object_id=enrolment.pk,
            week=date(2026, 3, 9),
            sent_at=NOW,
            people=2,
        )
        assert enrolment_remind_due(enrolment=found, at=NOW) is False
        assert reminders_to(learner) == []

    def test_it_works_out_progress_when_not_given_it(self, enrolment, learner):
        due_in(enrolment, 10)
        enrolment.refresh_from_db()
        assert enrolment_remind_due(enrolment=enrolment, at=NOW) is True
        assert "0 of 9 required proficiencies" in reminders_to(learner)[0].text

    def test_finding_them_costs_the_same_whatever_the_number(
        self, enrolment, offered, trust, educator, django_assert_num_queries
    ):
        learners = [MembershipFactory(trust=trust, is_learner=True).person for _ in range(5)]
        enrolments_create(
            learners=learners, version=offered, trust=trust, educator=educator, by=educator
        )
        Enrolment.objects.update(due_on=timezone.localdate(NOW) + timedelta(days=3))
        with django_assert_num_queries(1):
            found = list(enrolments_to_remind(NOW))
            assert [e.required for e in found] == [9] * 6
            assert {e.learner.full_name for e in found}
