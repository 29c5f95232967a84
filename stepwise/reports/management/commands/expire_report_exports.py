from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from stepwise.reports.services import report_exports_expire


class Command(BaseCommand):
    help = (
        "Remove the files of background report downloads older than "
        "STEPWISE_REPORT_EXPORT_DAYS (run daily). The exports' rows and events stay."
    )

    def handle(self, *args, **options):
        days = settings.STEPWISE_REPORT_EXPORT_DAYS
        removed = report_exports_expire(before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Removed {removed} report download files older than {days} days")
