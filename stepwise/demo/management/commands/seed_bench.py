from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stepwise.demo.bench_data import PASSWORD, BenchDataExists, seed_bench, staff_email


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return number


class Command(BaseCommand):
    help = (
        "Create a national-size benchmark dataset: Bench Trusts, staff, a 'Bench framework' "
        "and learners at every stage of the journey with their histories. Runs once per "
        "database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=_positive, default=25_000)
        parser.add_argument("--proficiencies", type=_positive, default=150)
        parser.add_argument("--trusts", type=_positive, default=50)
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off (the accounts it creates share a known password).",
        )

    def handle(self, *args, learners, proficiencies, trusts, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_bench creates accounts with a known password: it runs only with DEBUG "
                "on, or with --force on a database made for benchmarks."
            )
        try:
            summary = seed_bench(
                learners=learners,
                proficiencies=proficiencies,
                trusts=trusts,
                seed=seed,
                report=self.stdout.write,
            )
        except BenchDataExists as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Learners by stage:")
        for stage, count in summary.stages.items():
            self.stdout.write(f"  {stage:28} {count:>10,}")
        self.stdout.write("Rows written:")
        for label, count in summary.rows.items():
            self.stdout.write(f"  {label:32} {count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(f"Bench data is ready in {summary.seconds:.0f} s.")
            + f" Every account's password is {PASSWORD}; Trust 1's busiest assessor is "
            f"{staff_email(1, 'assessor', 1)}."
        )
