"""Write a certificate's digital credential (a signed VC-JWT), to a file or standard output."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stepwise.certificates.credentials import signed_credential
from stepwise.certificates.keys import SigningKeyError
from stepwise.certificates.queries import certificate_by_serial
from stepwise.core.formatting import date


class Command(BaseCommand):
    help = "Write the Open Badges 3.0 credential of the certificate with this serial."

    def add_arguments(self, parser):
        parser.add_argument("serial", help="The certificate serial (a UUID).")
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")

    def handle(self, *args, **options):
        serial = options["serial"]
        certificate = certificate_by_serial(serial)
        if certificate is None:
            raise CommandError(f"There is no certificate with serial {serial}.")
        if certificate.is_revoked:
            raise CommandError(
                f"Certificate {certificate.serial} was revoked on "
                f"{date(certificate.revoked_at)}: its credential is no longer issued."
            )
        try:
            token = signed_credential(certificate)
        except SigningKeyError as error:
            raise CommandError(f"The credential cannot be signed: {error}") from error
        output = options.get("output")
        if not output:
            self.stdout.write(token)
            return
        try:
            Path(output).write_text(token + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output} cannot be written: {error.strerror}.") from error
        self.stderr.write(f"Wrote the credential of certificate {certificate.serial} to {output}.")
