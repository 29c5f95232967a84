"""Make the report summaries again from the records: once after upgrading to a release
that keeps them, after restoring a backup, or after loading data other than through the
services. Safe at any time: changes made meanwhile wait, then land on the new totals."""

import time

from django.core.management.base import BaseCommand

from stepwise.progress.summaries import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the reports' summaries (counts by stage, month, due date, waiting) from "
        "the records."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        written = rebuild()
        for name, rows in written.items():
            self.stdout.write(f"  {name:18} {rows:>10,} rows")
        self.stdout.write(
            self.style.SUCCESS(f"Summaries rebuilt in {time.perf_counter() - started:.1f} s.")
        )
