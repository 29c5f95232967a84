"""kill -9 of a real worker (`manage.py db_worker` in its own process) in the middle of a
people upload and of making a certificate's PDF leaves no partial state: the work is one
transaction, which dies with the process. The upload's page then says nothing was imported;
the PDF is made when its task runs again."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stepwise.accounts.models import User
from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.certificates.tasks import make_certificate_pdf
from stepwise.certificates.tests.conftest import key_config, sign_off
from stepwise.organisations.models import Membership, PeopleUpload
from stepwise.organisations.tests.upload_files import person_row
from stepwise.organisations.upload.services import STALLED, people_upload_fail_if_stalled
from stepwise.organisations.upload.tasks import register_uploaded_people

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("paused_worker.py")
PEOPLE = 200

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_world(settings, tmp_path):
    """Tasks queued in the database, files on disk, the same keys: what a worker process
    shares with the app."""
    keys = key_config("worker-2026")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.STEPWISE_SIGNING_KEYS = keys
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{params['NAME']}"
    else:
        url = (
            f"postgres://{params['USER']}:{params.get('PASSWORD') or ''}@{params['HOST']}:"
            f"{params['PORT']}/{params['NAME']}"
        )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": url,
        "STEPWISE_DATA_DIR": str(tmp_path),
        "STEPWISE_SIGNING_KEYS": keys,
        "STEPWISE_TEST_PAUSED_FILE": str(tmp_path / "paused"),
    }


def start_worker(environment, pause_at: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER)],
        cwd=ROOT,
        env={**environment, "STEPWISE_TEST_PAUSE_AT": pause_at},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_when_paused(worker: subprocess.Popen, environment) -> None:
    paused = Path(environment["STEPWISE_TEST_PAUSED_FILE"])
    deadline = time.monotonic() + 180
    while not paused.exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"The worker never reached its pause: {worker.stderr.read().decode()}")
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    assert worker.wait(timeout=30) == -signal.SIGKILL
    paused.unlink()


def run_worker_once(environment) -> None:
    finished = subprocess.run(
        [sys.executable, str(WORKER), "--batch"],
        cwd=ROOT,
        env={**environment, "STEPWISE_TEST_PAUSE_AT": ""},
        capture_output=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr.decode()


def test_a_killed_people_upload_registers_nobody_and_says_so(
    worker_world, trust, trust_admin, client_for
):
    people_before = User.objects.count()
    upload = PeopleUpload.objects.create(
        trust=trust,
        uploaded_by=trust_admin,
        file_name="ward staff.csv",
        people=PEOPLE,
        rows=[{"number": n + 1, "values": person_row(n)} for n in range(1, PEOPLE + 1)],
    )
    register_uploaded_people.enqueue(upload_id=str(upload.pk))
    worker = start_worker(worker_world, "people")
    kill_when_paused(worker, worker_world)

    # The worker had registered everyone in its transaction; none of it was committed.
    assert User.objects.count() == people_before
    assert not Membership.objects.filter(person__email__startswith="person.").exists()
    upload.refresh_from_db()
    assert upload.state == PeopleUpload.State.RUNNING
    assert DBTaskResult.objects.get().status == "RUNNING"  # the dead worker's claim

    # Ten minutes on, its page gives it up and asks for the file again.
    later = timezone.now() + timedelta(minutes=11)
    assert people_upload_fail_if_stalled(upload=upload, now=later).state == "failed"
    html = (
        client_for(trust_admin)
        .get(reverse("organisations:bulk_upload_progress", kwargs={"upload_id": upload.pk}))
        .content.decode()
    )
    assert STALLED in html
    assert User.objects.count() == people_before


def test_a_killed_pdf_task_leaves_the_certificate_without_a_pdf_until_it_runs_again(
    worker_world, enrolment, learner, assessor, educator
):
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)
    pdf_task = DBTaskResult.objects.get(task_path=make_certificate_pdf.module_path)
    assert pdf_task.status == "READY"
    worker = start_worker(worker_world, "certificate")
    kill_when_paused(worker, worker_world)

    # The PDF's row, its time and its event went with the transaction: the certificate is as
    # it was at issue, so its pages say it is being made.
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.pdf_made_at) == ("", None)
    assert not CertificateEvent.objects.filter(kind=CertificateEvent.Kind.PDF_MADE).exists()
    pdf_task.refresh_from_db()
    assert pdf_task.status == "RUNNING"  # the dead worker's claim

    # Run again (a retry, or a worker restarted on a re-queued task), it is made once.
    make_certificate_pdf.enqueue(certificate_id=certificate.pk)
    run_worker_once(worker_world)
    certificate.refresh_from_db()
    assert certificate.pdf.name.startswith(f"certificates/{certificate.serial}")
    with certificate.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert CertificateEvent.objects.filter(kind=CertificateEvent.Kind.PDF_MADE).count() == 1
    assert Certificate.objects.get(pk=certificate.pk).serial == certificate.serial
