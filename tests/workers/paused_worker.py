"""A real `manage.py db_worker` with one pause, for the test that kills it with SIGKILL: the
pause is put in here, in the worker process only, never in the service's code.

STEPWISE_TEST_PAUSE_AT names where: "people" (a people upload, after everyone has been
registered inside its transaction, before it commits) or "certificate" (a certificate's PDF,
stored and recorded inside its transaction, before it commits). The worker writes its pid to
STEPWISE_TEST_PAUSED_FILE when it gets there, then sleeps until killed."""

import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

from django.core.management import call_command  # noqa: E402

from stepwise.certificates.models import CertificateEvent  # noqa: E402
from stepwise.organisations.upload import services as upload_services  # noqa: E402


def pause() -> None:
    Path(os.environ["STEPWISE_TEST_PAUSED_FILE"]).write_text(str(os.getpid()))
    time.sleep(600)


def pause_after_registering():
    register = upload_services.people_bulk_register

    def registered_then_paused(**kwargs):
        result = register(**kwargs)
        pause()
        return result

    upload_services.people_bulk_register = registered_then_paused


def pause_after_storing_a_pdf():
    write = CertificateEvent.write

    def written_then_paused(**kwargs):
        event = write(**kwargs)
        if kwargs["kind"] == CertificateEvent.Kind.PDF_MADE:
            pause()
        return event

    CertificateEvent.write = staticmethod(written_then_paused)


PAUSES = {"people": pause_after_registering, "certificate": pause_after_storing_a_pdf}

if __name__ == "__main__":
    where = os.environ.get("STEPWISE_TEST_PAUSE_AT", "")
    if where:
        PAUSES[where]()
    call_command(
        "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", *sys.argv[1:]
    )
