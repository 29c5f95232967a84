from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stepwise.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite VACUUM INTO, or pg_dump), the stored files (evidence, "
        "certificate PDFs) and the signing key files into one archive with a manifest of "
        "checksums. Safe while the service runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The archive to write (default: stepwise-backup-<date and time>.tar.gz here).",
        )

    def handle(self, *args, **options):
        output = Path(options["output"] or f"stepwise-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        if output.exists():
            raise CommandError(f"{output} already exists: name another file.")
        try:
            manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest['engine']} database and {len(manifest['files']) - 1} "
                f"files to {output}"
            )
        )
