"""Training certificates about to expire: each holder is reminded once, 30 days before.

Each reminder is claimed by a conditional UPDATE of its completion before it is sent, so two
runs at once, or a run repeated, remind nobody twice."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from stepwise.core.formatting import date
from stepwise.notifications.services import notify
from stepwise.training.models import Completion, TrainingEvent

BEFORE_EXPIRY = timedelta(days=30)


def due_for_reminder(at: datetime):
    """Completions expiring within 30 days, not reminded yet, not revoked, and not followed by
    a completion of the same package (a newer version completed since counts instead)."""
    later = Completion.objects.filter(
        person=OuterRef("person"),
        version__package=OuterRef("version__package"),
        completed_at__gt=OuterRef("completed_at"),
    )
    return (
        Completion.objects.filter(
            expiry_reminded_at__isnull=True,
            expires_at__gt=at,
            expires_at__lte=at + BEFORE_EXPIRY,
            certificate__revoked_at__isnull=True,
        )
        .exclude(Exists(later))
        .select_related("person", "version__package")
        .order_by("expires_at", "pk")
    )


def expiry_remind(*, completion, at: datetime) -> bool:
    with transaction.atomic():
        claimed = Completion.objects.filter(
            pk=completion.pk, expiry_reminded_at__isnull=True
        ).update(expiry_reminded_at=at)
        if not claimed:
            return False
        package = completion.version.package
        TrainingEvent.write(
            kind=TrainingEvent.Kind.EXPIRY_REMINDED,
            actor=None,
            package=package,
            version=completion.version,
            completion=completion,
            at=at,
        )
        notify(
            person=completion.person,
            text=(
                f"Your training certificate for {package.title} expires on "
                f"{date(completion.expires_at)}. Complete the training again to renew it."
            ),
            url=reverse("training:package", args=[package.slug]),
            email_template="training/emails/expiring",
            context={"package": package, "completion": completion},
        )
    return True


def expiry_reminders_send(at: datetime) -> str:
    sent = sum(expiry_remind(completion=c, at=at) for c in due_for_reminder(at))
    return f"Sent {sent} reminder{'' if sent == 1 else 's'} of training certificates expiring."
