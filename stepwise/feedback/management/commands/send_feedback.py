"""Run once a day, beside send_reminders: asks the people whose moment has come (a form's
date, 3 months after enrolment) and reminds those who have not answered (at most once a
week, three times). Safe to run twice."""

from django.core.management.base import BaseCommand

from stepwise.feedback.reminders import daily_run


class Command(BaseCommand):
    help = "Ask for feedback whose moment has come, and send this week's reminders."

    def handle(self, *args, **options):
        sent = daily_run()
        self.stdout.write(
            f"Asked {sent.asked} {'person' if sent.asked == 1 else 'people'} for feedback and "
            f"sent {sent.reminded} reminder{'' if sent.reminded == 1 else 's'}."
        )
