from django.db import IntegrityError, transaction
from django.utils import timezone

from stepwise.core.email import send_templated_email
from stepwise.notifications.models import Notification, Reminder
from stepwise.notifications.queries import week_of


def notify(*, person, text: str, url: str = "", email_template: str | None = None, context=None):
    """Tell someone something: an in-app notice now, an email after the transaction commits."""
    notification = Notification.objects.create(person=person, text=text, url=url)
    if email_template:
        send_templated_email(
            to=person.email,
            template=email_template,
            context={"person": person, "url": url, "text": text, **(context or {})},
        )
    return notification


def notify_many(*, people, text: str, url: str = "", email_template=None, context=None):
    """The same notice to several people (a unit's pool of assessors), in one insert."""
    people = list(people)
    Notification.objects.bulk_create(
        [Notification(person=person, text=text, url=url) for person in people]
    )
    if email_template:
        # One email each: colleagues need not see each other's addresses.
        for person in people:
            send_templated_email(
                to=person.email,
                template=email_template,
                context={"person": person, "url": url, "text": text, **(context or {})},
            )


def notifications_mark_read(*, person) -> int:
    with transaction.atomic():
        return Notification.objects.filter(person=person, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def reminder_record(*, kind, object_id: int, at, people: int) -> bool:
    """Claim this week's reminder about one thing: its history row, which may exist only
    once a week. False when another run already sent it this week."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                kind=kind, object_id=object_id, week=week_of(at), sent_at=at, people=people
            )
    except IntegrityError:
        return False
    return True
