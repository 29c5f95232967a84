from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from stepwise.accounts import signed_in


class Command(BaseCommand):
    help = (
        "Remove the 'Where you are signed in' rows of sessions last seen more than "
        "STEPWISE_SIGNED_IN_DAYS ago (run daily)."
    )

    def handle(self, *args, **options):
        days = settings.STEPWISE_SIGNED_IN_DAYS
        removed = signed_in.forget_before(timezone.now() - timedelta(days=days))
        self.stdout.write(f"Removed {removed} signed-in sessions last seen over {days} days ago")
