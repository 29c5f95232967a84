"""Every certificate, one line each, serial first: for the service team's checks and for
finding a certificate someone asks about."""

from django.core.management.base import BaseCommand

from stepwise.certificates.queries import certificates_listed
from stepwise.core.formatting import date


def certificate_line(certificate) -> str:
    status = f"revoked on {date(certificate.revoked_at)}" if certificate.is_revoked else "valid"
    return "\t".join(
        [
            str(certificate.serial),
            certificate.learner_name,
            f"{certificate.title} {certificate.version_label}".strip(),
            certificate.trust_name,
            f"signed off {date(certificate.signed_off_at)}",
            status,
        ]
    )


class Command(BaseCommand):
    help = (
        "List every certificate, one tab-separated line each: serial, learner, what it certifies "
        "and its version, Trust, sign-off date, and whether it is valid or revoked."
    )

    def handle(self, *args, **options):
        count = 0
        for certificate in certificates_listed().iterator(chunk_size=2000):
            self.stdout.write(certificate_line(certificate))
            count += 1
        if not count:
            self.stderr.write("No certificates have been issued yet.")
