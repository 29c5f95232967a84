"""Check a digital credential file as the public check page does, from the command line:
exit status 0 when it is valid, 1 (with what is wrong) when it is not."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stepwise.certificates.keys import SigningKeyError
from stepwise.certificates.presenters import check_result
from stepwise.certificates.verification import NotACredential, check_credential


class Command(BaseCommand):
    help = (
        "Check an Open Badges 3.0 credential (a .jwt file, or - for standard input): its "
        "signature against Stepwise's published keys, its shape, its dates and whether it was "
        "revoked. Exit status 1 if it is not valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The credential file, or - to read standard input.")

    def _read(self, name: str) -> str:
        limit = settings.STEPWISE_CREDENTIAL_MAX_BYTES
        try:
            if name == "-":
                content = sys.stdin.buffer.read(limit + 1)
            else:
                path = Path(name)
                if path.stat().st_size > limit:
                    raise CommandError(f"{name} is larger than {limit} bytes: not a credential.")
                content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{name} cannot be read: {error.strerror}.") from error
        if len(content) > limit:
            raise CommandError(f"The input is larger than {limit} bytes: not a credential.")
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{name} is not a text file: not a credential.") from error

    def handle(self, *args, **options):
        text = self._read(options["file"])
        try:
            check = check_credential(text)
        except NotACredential as error:
            raise CommandError(str(error)) from error
        except SigningKeyError as error:
            raise CommandError(f"Stepwise's signing keys are misconfigured: {error}") from error
        result = check_result(check)
        for row in result.rows:
            self.stdout.write(f"{row['key']['text']}: {row['value']['text']}")
        if not check.is_valid:
            raise CommandError(" ".join([f"{result.heading}.", *result.problems]))
        self.stdout.write(self.style.SUCCESS(f"{result.heading}."))
