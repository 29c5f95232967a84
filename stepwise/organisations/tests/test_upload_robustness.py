"""People uploads that go wrong in ways the administrator did not cause: a workbook that
misreports its size, and an import whose worker died."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.core.tests.workbook_files import with_dimension
from stepwise.organisations.models import Membership, PeopleUpload
from stepwise.organisations.tests.upload_files import person_row, xlsx_bytes
from stepwise.organisations.upload import services
from stepwise.organisations.upload.services import (
    STALLED,
    STALLED_AFTER,
    people_upload_fail_if_stalled,
    people_upload_run,
)


def progress(upload) -> str:
    return reverse("organisations:bulk_upload_progress", kwargs={"upload_id": upload.pk})


def test_a_workbook_saying_it_is_smaller_than_it_is_registers_everyone(
    client_for, trust_admin, trust, django_capture_on_commit_callbacks
):
    # The sheet says A1:D2: only the first person was registered, and the page said done.
    people = [person_row(n) for n in (1, 2, 3)]
    data = with_dimension(xlsx_bytes(people), "A1:D2")
    client = client_for(trust_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:bulk_upload"),
            {"file": SimpleUploadedFile("people.xlsx", data)},
        )
    assert response.status_code == 302
    upload = PeopleUpload.objects.get()
    assert (upload.state, upload.people, upload.registered) == ("done", 3, 3)
    registered = Membership.objects.filter(trust=trust, person__email__startswith="person.")
    assert registered.count() == 3
    # The columns past D were read too.
    assert set(
        User.objects.filter(email__startswith="person.").values_list("job_title", flat=True)
    ) == {"Staff Nurse"}


def running(trust, trust_admin, *, started: timedelta) -> PeopleUpload:
    return PeopleUpload.objects.create(
        trust=trust,
        uploaded_by=trust_admin,
        file_name="ward staff.csv",
        people=1,
        rows=[{"number": 2, "values": person_row(1)}],
        state=PeopleUpload.State.RUNNING,
        started_at=timezone.now() - started,
    )


def test_an_upload_whose_worker_died_says_nothing_was_imported(client_for, trust, trust_admin):
    upload = running(trust, trust_admin, started=STALLED_AFTER + timedelta(minutes=1))
    html = client_for(trust_admin).get(progress(upload)).content.decode()
    assert "<title>Nothing was imported" in html
    assert "Nobody in ward staff.csv has been registered." in html
    assert STALLED in html
    assert f'href="{reverse("organisations:bulk_upload")}"' in html
    upload.refresh_from_db()
    assert (upload.state, upload.rows, upload.problems) == ("failed", [], [{"message": STALLED}])
    assert upload.finished_at is not None


def test_an_upload_still_within_its_time_is_still_registering(
    client_for, trust, trust_admin, django_assert_num_queries
):
    upload = running(trust, trust_admin, started=STALLED_AFTER - timedelta(minutes=1))
    html = client_for(trust_admin).get(progress(upload)).content.decode()
    assert "Status: Registering people." in html
    upload.refresh_from_db()
    assert upload.state == PeopleUpload.State.RUNNING
    with django_assert_num_queries(0):
        assert people_upload_fail_if_stalled(upload=upload) is upload


@pytest.mark.parametrize("state", ["queued", "done", "failed"])
def test_only_a_running_upload_is_given_up(trust, trust_admin, state):
    upload = running(trust, trust_admin, started=timedelta(days=1))
    PeopleUpload.objects.filter(pk=upload.pk).update(state=state, problems=[])
    upload.refresh_from_db()
    assert people_upload_fail_if_stalled(upload=upload).state == state
    upload.refresh_from_db()
    assert (upload.state, upload.problems) == (state, [])


@pytest.mark.django_db(transaction=True)
def test_a_worker_still_going_when_its_upload_was_given_up_registers_nobody(
    trust, trust_admin, monkeypatch
):
    # The page gives the upload up (on its own connection) after the worker claimed it but
    # before it registered (SQLite lets one transaction write at a time, so not during); the
    # worker then registers everyone, but must roll back.
    upload = PeopleUpload.objects.create(
        trust=trust,
        uploaded_by=trust_admin,
        file_name="ward staff.csv",
        people=1,
        rows=[{"number": 2, "values": person_row(1)}],
    )
    claimed, given_up = threading.Event(), threading.Event()
    stored_sheet = services._stored_sheet

    def slow_start(upload):
        claimed.set()
        assert given_up.wait(timeout=30)
        return stored_sheet(upload)

    monkeypatch.setattr(services, "_stored_sheet", slow_start)
    outcome = {}

    def work():
        try:
            outcome["upload"] = people_upload_run(upload_id=upload.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    assert claimed.wait(timeout=30)
    upload.refresh_from_db()
    later = timezone.now() + STALLED_AFTER + timedelta(minutes=1)
    assert people_upload_fail_if_stalled(upload=upload, now=later).state == "failed"
    given_up.set()
    worker.join(timeout=60)

    assert outcome["upload"].state == PeopleUpload.State.FAILED
    assert outcome["upload"].problems == [{"message": STALLED}]
    assert not User.objects.filter(email="person.1@nhs.net").exists()
    assert mail.outbox == []
