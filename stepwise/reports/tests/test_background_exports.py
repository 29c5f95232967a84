"""A named list longer than exports.BACKGROUND_OVER is made by the worker: a progress page
(with "Check again", no timed refresh), then the file, only for the person who asked."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from stepwise.organisations.models import Membership
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.tests.staff_helpers import another_learner, enrol, read
from stepwise.reports import exports, services
from stepwise.reports.models import ReportExport, ReportExportEvent

from .tables import body, page_tables

LIST = reverse("reports:learners")
PARAMS = {"show": "not_started"}


@pytest.fixture
def long_lists(monkeypatch):
    monkeypatch.setattr(exports, "BACKGROUND_OVER", 1)


@pytest.fixture
def two_learners(enrolment, trust, offered, educator):
    return [enrolment, enrol(another_learner(trust), offered, trust, educator)]


def stored_files() -> set[str]:
    try:
        return set(default_storage.listdir(services.FOLDER)[1])
    except FileNotFoundError:
        return set()


def ask_for(client, file_format: str, capture):
    url = reverse("reports:learners_export", args=[file_format])
    with capture(execute=False) as queued:
        response = client.get(url, PARAMS)
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert response.url == reverse("reports:export_progress", args=[export.pk])
    return export, queued


def test_a_long_list_is_made_in_the_background_and_equals_the_page(
    client_for, educator, two_learners, long_lists, django_capture_on_commit_callbacks
):
    client = client_for(educator)
    export, queued = ask_for(client, "csv", django_capture_on_commit_callbacks)
    progress = reverse("reports:export_progress", args=[export.pk])

    # Waiting: the page says so, with a link to check again and no timed refresh.
    html = read(client.get(progress))
    assert "Your download is being made" in html and "Check again" in html
    assert 'http-equiv="refresh"' not in html
    assert reverse("reports:export_download", args=[export.pk]) not in html
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404

    for callback in queued:
        callback()
    export.refresh_from_db()
    assert export.state == ReportExport.State.DONE and export.rows == 2
    html = read(client.get(progress))
    assert "Your download is ready" in html
    downloaded = body(client.get(reverse("reports:export_download", args=[export.pk])))
    screen = page_tables(read(client.get(LIST, PARAMS)))[0]["2 learners"]
    assert list(csv.reader(io.StringIO(downloaded.decode("utf-8-sig")))) == screen
    assert list(export.events.values_list("kind", flat=True)) == [
        "requested",
        "started",
        "made",
        "downloaded",
    ]


def test_a_workbook_too(
    client_for, educator, two_learners, long_lists, django_capture_on_commit_callbacks
):
    client = client_for(educator)
    export, queued = ask_for(client, "xlsx", django_capture_on_commit_callbacks)
    for callback in queued:
        callback()
    content = body(client.get(reverse("reports:export_download", args=[export.pk])))
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["Not started"]
    rows = [list(row) for row in book["Not started"].iter_rows(values_only=True)]
    screen = page_tables(read(client.get(LIST, PARAMS)))[0]["2 learners"]
    assert rows == screen


def test_only_the_person_who_asked_sees_it(
    client_for, educator, trust, two_learners, long_lists, django_capture_on_commit_callbacks
):
    export, queued = ask_for(client_for(educator), "csv", django_capture_on_commit_callbacks)
    for callback in queued:
        callback()
    colleague = MembershipFactory(trust=trust, is_educator=True).person
    for name in ("reports:export_progress", "reports:export_download"):
        assert client_for(colleague).get(reverse(name, args=[export.pk])).status_code == 404


def test_someone_who_lost_access_meanwhile_gets_no_file(
    client_for, educator, two_learners, long_lists, django_capture_on_commit_callbacks
):
    client = client_for(educator)
    export, queued = ask_for(client, "csv", django_capture_on_commit_callbacks)
    Membership.objects.filter(pk=export.membership_id).update(is_educator=False)
    for callback in queued:
        callback()
    export.refresh_from_db()
    assert export.state == ReportExport.State.FAILED and not export.file
    html = read(client.get(reverse("reports:export_progress", args=[export.pk])))
    assert services.NO_LONGER_ALLOWED in html


def test_a_stalled_export_is_given_up_and_says_so(
    client_for, educator, two_learners, long_lists, django_capture_on_commit_callbacks
):
    client = client_for(educator)
    export, _ = ask_for(client, "csv", django_capture_on_commit_callbacks)
    ReportExport.objects.filter(pk=export.pk).update(
        state=ReportExport.State.RUNNING, started_at=timezone.now() - timedelta(minutes=11)
    )
    html = read(client.get(reverse("reports:export_progress", args=[export.pk])))
    assert "Your download was not made" in html and services.STALLED in html
    # A worker finishing later finds it given up: the export stays failed.
    assert services.report_export_make(export_id=export.pk).state == ReportExport.State.FAILED
    assert ReportExportEvent.objects.filter(export=export, kind="failed").count() == 1


def test_a_file_finished_after_the_page_gave_up_is_not_kept(
    client_for, educator, two_learners, long_lists, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(educator)
    export, queued = ask_for(client, "csv", django_capture_on_commit_callbacks)
    writing = exports.csv_chunks

    def slow_writer(rows):
        # The progress page gives the run up while the worker is still writing.
        running = ReportExport.objects.get(pk=export.pk)
        services.report_export_fail_if_stalled(
            export=running, now=timezone.now() + timedelta(minutes=11)
        )
        yield from writing(rows)

    monkeypatch.setattr(exports, "csv_chunks", slow_writer)
    before = stored_files()
    for callback in queued:
        callback()
    export.refresh_from_db()
    assert export.state == ReportExport.State.FAILED and not export.file
    assert stored_files() == before


def test_a_short_list_streams_straight_away(client_for, educator, two_learners):
    response = client_for(educator).get(reverse("reports:learners_export", args=["csv"]), PARAMS)
    assert response.streaming
    assert not ReportExport.objects.exists()


def test_sheet_names_are_ones_excel_accepts():
    named = exports.sheet_name("Sign-offs: due / overdue [2026]?")
    assert named == "Sign-offs  due   overdue  2026"
    assert len(exports.sheet_name("x" * 40)) == 31
