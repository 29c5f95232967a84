"""Two `send_reminders` runs at once (a cron job overlapping a manual run), with real
threads on whichever database the suite runs on: each thing is reminded about once."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from stepwise.notifications.models import Notification, Reminder
from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.services import confirmation_request, records_self_assess
from stepwise.progress.services.reminders import reminders_send
from stepwise.progress.states import RecordState

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_runs_at_once_remind_once(enrolment, learner, assessor, educator):
    now = timezone.now()
    records = list(enrolment.records.order_by("pk")[:1])
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[(r.pk, RecordState.ACHIEVED, "Done") for r in records],
    )
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in records], assessor=assessor
    )
    ConfirmationRequest.objects.filter(pk=request.pk).update(requested_at=now - timedelta(days=9))
    Enrolment.objects.filter(pk=enrolment.pk).update(
        due_on=timezone.localdate(now) + timedelta(days=10)
    )

    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(reminders_send(at=now))
        except Exception as error:  # noqa: BLE001 - the test reports what each run met
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(r.requests for r in results) == 1
    assert sum(r.enrolments for r in results) == 1
    assert Reminder.objects.count() == 2
    reminders = Notification.objects.filter(text__startswith="Reminder:")
    assert reminders.filter(person=assessor).count() == 1
    assert reminders.filter(person=learner).count() == 1
    assert reminders.filter(person=educator).count() == 1
