from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stepwise.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: checks every checksum first, and refuses "
        "a database that holds data unless --force. Stop the service and its worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive `manage.py backup` wrote.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data.",
        )

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            restored = backup_restore(archive=archive, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {restored.engine} database backed up at {restored.created_at}, "
                f"{restored.files} stored files and {restored.keys} signing keys. Run "
                "`manage.py migrate` if this version of Stepwise is newer than the backup."
            )
        )
