"""Reminders of a training certificate expiring go out 30 days before, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from stepwise.notifications.models import Notification
from stepwise.training.models import Completion, TrainingEvent
from stepwise.training.services import authoring
from stepwise.training.services.reminders import expiry_reminders_send
from stepwise.training.tests.conftest import complete, make_package, publish, read_all


@pytest.fixture
def expiring(framework_author, learner):
    package = make_package(framework_author, slug="yearly", title="Yearly", validity_months=12)
    version = package.versions.get()
    read_all(learner, version)
    completion = complete(learner, version, learner.memberships.current().get())
    Completion.objects.filter(pk=completion.pk).update(
        expires_at=timezone.now() + timedelta(days=20)
    )
    return completion


def run(at=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return expiry_reminders_send(at or timezone.now())


def test_a_reminder_goes_out_30_days_before_expiry_once(expiring, learner):
    mail.outbox.clear()
    assert run() == "Sent 1 reminder of training certificates expiring."
    assert run() == "Sent 0 reminders of training certificates expiring."
    assert run(timezone.now() + timedelta(days=7)).startswith("Sent 0")
    notice = Notification.objects.get(person=learner, text__contains="expires on")
    assert notice.text.startswith("Your training certificate for Yearly expires on")
    assert notice.url == "/training/yearly/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [learner.email]
    assert mail.outbox[0].subject == "Your training certificate expires soon: Yearly"
    assert TrainingEvent.objects.filter(kind="expiry_reminded").count() == 1


def test_not_before_30_days_nor_after_expiry(expiring):
    Completion.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() + timedelta(days=31))
    assert run().startswith("Sent 0")
    Completion.objects.filter(pk=expiring.pk).update(expires_at=timezone.now())
    assert run().startswith("Sent 0")


def test_nobody_is_reminded_who_has_completed_a_newer_version(expiring, framework_author, learner):
    package = expiring.version.package
    authoring.version_draft(package=package, by=framework_author)
    newer = publish(package, framework_author)
    read_all(learner, newer)
    complete(learner, newer, learner.memberships.current().get())
    assert run().startswith("Sent 0")


def test_the_daily_command_sends_them(expiring, capsys):
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders")
    assert "Sent 1 reminder of training certificates expiring." in capsys.readouterr().out
