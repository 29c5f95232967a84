from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stepwise.demo.two_step import current_code


class Command(BaseCommand):
    help = "Print the security code the demo's staff accounts accept now (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code is for the demo's accounts: it runs only with DEBUG on.")
        self.stdout.write(current_code())
