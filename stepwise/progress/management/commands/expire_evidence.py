from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from stepwise.progress.services.retention import evidence_expire


class Command(BaseCommand):
    help = (
        "Delete the evidence files of enrolments withdrawn more than "
        "STEPWISE_EVIDENCE_RETENTION_DAYS ago, keeping each file's name, size and checksum "
        "(run daily). Decisions, sign-offs and certificates are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        done = evidence_expire(dry_run=dry_run)
        for evidence in done.evidence:
            self.stdout.write(
                f"{'Would delete' if dry_run else 'Deleted'} evidence {evidence.pk}: "
                f"{evidence.original_name} ({filesizeformat(evidence.size)})"
            )
        days = settings.STEPWISE_EVIDENCE_RETENTION_DAYS
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {len(done.evidence)} evidence files ({filesizeformat(done.bytes)}) of "
            f"enrolments withdrawn more than {days} days ago"
        )
