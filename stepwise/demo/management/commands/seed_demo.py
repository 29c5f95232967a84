from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stepwise.accounts.models import User
from stepwise.demo.feedback import seed_feedback
from stepwise.demo.history import NETWORK_LEAD, seed_history
from stepwise.demo.journey import LEARNERS, seed_journey
from stepwise.demo.organisations import DEMO_PASSWORD, PEOPLE, seed_organisations, seed_people
from stepwise.demo.two_step import DEMO_TOTP_SECRET, current_code, seed_two_step
from stepwise.frameworks.samples import load_samples
from stepwise.progress.summaries import rebuild
from stepwise.training.samples import load_sample_packages


class Command(BaseCommand):
    help = "Create demo organisations and one account per role. Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if anyone is registered already."
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a known password: it runs only with DEBUG on."
            )
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has people in it: demo data not loaded.")
            return
        trusts = seed_organisations()
        people = seed_people(trusts)
        for version in load_samples(by=people["author@example.org"]):
            self.stdout.write(f"Published the sample framework {version}.")
        for version in load_sample_packages(by=people["author@example.org"]):
            self.stdout.write(f"Published the sample training package {version}.")
        seed_journey(trusts=trusts, people=people, password=DEMO_PASSWORD)
        if added := seed_history(trusts=trusts, password=DEMO_PASSWORD):
            self.stdout.write(f"Added {added} learners with two years of history for the reports.")
        # The demo's history is dated in the past by editing rows, around the services that
        # keep the reports' summaries: count them afresh from the records.
        rebuild()
        seed_feedback(trusts=trusts, people=people)
        seed_two_step()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Every account's password is:"))
        self.stdout.write(f"  {DEMO_PASSWORD}")
        for email, name, *_rest in [*PEOPLE, NETWORK_LEAD]:
            self.stdout.write(f"  {email:32} {name}")
        self.stdout.write("Learners at each stage of Step 1 (Northshire, General ICU):")
        for email, name, _pin, stage in LEARNERS:
            self.stdout.write(f"  {email:32} {name:16} {stage.replace('_', ' ')}")
        self.stdout.write(
            "Staff accounts (all but the learners) then ask for a security code from an "
            "authenticator app set up with this key (README, Demo accounts):"
        )
        self.stdout.write(f"  {DEMO_TOTP_SECRET}")
        self.stdout.write(
            f"  The code now is {current_code()}; `python manage.py demo_code` or "
            f"`oathtool --totp -b {DEMO_TOTP_SECRET}` gives the current one."
        )
