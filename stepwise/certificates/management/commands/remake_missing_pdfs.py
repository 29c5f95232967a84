from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from stepwise.certificates.models import Certificate
from stepwise.certificates.tasks import make_certificate_pdf

# Making a PDF takes about a second; a certificate without one this long after issue lost its
# worker (killed, restarted) with the transaction, so its task never finished.
STALLED_AFTER = timedelta(minutes=10)


class Command(BaseCommand):
    help = (
        "Queue the PDF again for every certificate issued more than 10 minutes ago that has "
        "none (its worker died). Safe to run often: a PDF already made is never made again."
    )

    def handle(self, *args, **options):
        waiting = Certificate.objects.filter(
            pdf="", issued_at__lt=timezone.now() - STALLED_AFTER
        ).values_list("pk", "serial")
        for pk, serial in waiting:
            make_certificate_pdf.enqueue(certificate_id=pk)
            self.stdout.write(f"Queued the PDF of certificate {serial}")
        self.stdout.write(f"Queued {len(waiting)} certificate PDFs")
