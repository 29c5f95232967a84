from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from stepwise.notifications.models import Notification
from stepwise.progress.models import Enrolment


def test_send_reminders_says_what_it_sent(enrolment, learner):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        due_on=timezone.localdate() + timedelta(days=14)
    )
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "Sent reminders about 0 confirmation requests and 1 enrolment due soon.",
        # Then each daily job apps above register (notifications.daily), such as training's.
        "Sent 0 reminders of training certificates expiring.",
    ]
    assert Notification.objects.filter(person=learner, text__contains="is due in 14 days").exists()

    out = StringIO()
    call_command("send_reminders", stdout=out)  # the same day again: nothing
    assert "0 confirmation requests and 0 enrolments" in out.getvalue()
