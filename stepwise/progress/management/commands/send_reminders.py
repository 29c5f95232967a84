"""Run once a day (for example from cron at 07:00): reminds assessors of confirmation
requests waiting more than a week, and learners and educators of enrolments due within 30
days. Safe to run twice: nobody is reminded about the same thing twice in a week."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from stepwise.notifications import daily
from stepwise.progress.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Send today's reminders: confirmation requests waiting more than 7 days, and open "
        "enrolments due within 30 days. Run once a day."
    )

    def handle(self, *args, **options):
        at = timezone.now()
        sent = reminders_send(at=at)
        self.stdout.write(
            f"Sent reminders about {sent.requests} confirmation "
            f"request{'' if sent.requests == 1 else 's'} and {sent.enrolments} "
            f"enrolment{'' if sent.enrolments == 1 else 's'} due soon."
        )
        for line in daily.run_all(at):
            self.stdout.write(line)
