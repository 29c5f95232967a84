from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from stepwise.core.models import AccessRecord


class Command(BaseCommand):
    help = "Remove access log records older than STEPWISE_ACCESS_LOG_DAYS (run daily)."

    def handle(self, *args, **options):
        days = settings.STEPWISE_ACCESS_LOG_DAYS
        removed = AccessRecord.objects.expire(before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Removed {removed} access log records older than {days} days")
