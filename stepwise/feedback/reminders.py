"""The daily run: ask the people whose moment has come (the team's date, 3 months after
enrolment), and remind those who have not answered, at most once a week and three times.
Answering stops the reminders: a Respondent row ends them."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from stepwise.feedback.models import Form, FormEvent, FormVersion, Invitation, Respondent
from stepwise.feedback.queries import targeted_people
from stepwise.feedback.services import ask, ask_targeted, tell
from stepwise.notifications.queries import remind_again_after
from stepwise.progress.models import Enrolment
from stepwise.progress.states import EnrolmentState

MOST_REMINDERS = 3
AFTER_ENROLMENT_MONTHS = 3


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def _published(trigger: str):
    published = FormVersion.objects.filter(form=OuterRef("pk"), state=FormVersion.State.PUBLISHED)
    return Form.objects.filter(trigger=trigger).filter(Exists(published))


def ask_dated(today: date) -> int:
    asked = 0
    for form in _published(Form.Trigger.ON_DATE).filter(send_on__lte=today):
        asked += ask_targeted(form)
    return asked


def ask_after_enrolment(today: date) -> int:
    """Learners enrolled 3 months ago or more, still enrolled, asked once per form."""
    cutoff = months_before(today, AFTER_ENROLMENT_MONTHS)
    enrolled = Enrolment.objects.filter(
        enrolled_at__lt=timezone.make_aware(datetime.combine(cutoff, time.max)),
    ).exclude(state=EnrolmentState.WITHDRAWN)
    asked = 0
    for form in _published(Form.Trigger.ENROLMENT_3_MONTHS):
        invited = Invitation.objects.filter(form=form).values("person_id")
        people = (
            targeted_people(form)
            .filter(pk__in=enrolled.values("learner_id"))
            .exclude(pk__in=invited)
        )
        for person in people.order_by("pk"):
            if ask(person, form, moment=Form.Trigger.ENROLMENT_3_MONTHS):
                asked += 1
    return asked


def due_reminders(now: datetime):
    since = remind_again_after(now)
    answered = Respondent.objects.filter(form=OuterRef("form"), person=OuterRef("person"))
    published = FormVersion.objects.filter(form=OuterRef("form"), state=FormVersion.State.PUBLISHED)
    return (
        Invitation.objects.filter(reminders_sent__lt=MOST_REMINDERS)
        .filter(
            Q(last_reminded_at__lt=since) | Q(last_reminded_at__isnull=True, asked_at__lt=since)
        )
        .filter(Exists(published))
        .exclude(Exists(answered))
        .select_related("form", "person")
        .order_by("pk")
    )


def remind(now: datetime) -> int:
    sent = 0
    for invitation in due_reminders(now):
        with transaction.atomic():
            # Claimed by its count: a second run at the same moment finds it changed.
            claimed = Invitation.objects.filter(
                pk=invitation.pk, reminders_sent=invitation.reminders_sent
            ).update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=now)
            answered = Respondent.objects.filter(
                form=invitation.form, person=invitation.person
            ).exists()
            if not claimed or answered:
                continue
            tell(invitation, reminder=True)
            FormEvent.write(
                kind=FormEvent.Kind.REMINDED,
                actor=None,
                form=invitation.form,
                note=f"Reminder {invitation.reminders_sent + 1} of {MOST_REMINDERS}",
            )
            sent += 1
    return sent


@dataclass(frozen=True)
class Sent:
    asked: int
    reminded: int


def daily_run(now: datetime | None = None) -> Sent:
    now = now or timezone.now()
    today = timezone.localdate(now)
    asked = ask_dated(today) + ask_after_enrolment(today)
    return Sent(asked=asked, reminded=remind(now))
