"""Files of background downloads hold learners' names: `expire_report_exports`, run daily,
removes those older than STEPWISE_REPORT_EXPORT_DAYS, keeping each export's row and events."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stepwise.progress.tests.staff_helpers import another_learner, enrol, read
from stepwise.reports import exports, services
from stepwise.reports.models import ReportExport

PARAMS = {"show": "not_started"}


@pytest.fixture
def made(
    monkeypatch, client_for, educator, enrolment, trust, offered, django_capture_on_commit_callbacks
):
    """Two downloads made by the worker for the educator, the first 8 days ago."""
    monkeypatch.setattr(exports, "BACKGROUND_OVER", 1)
    enrol(another_learner(trust), offered, trust, educator)
    client = client_for(educator)
    url = reverse("reports:learners_export", args=["csv"])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(url, PARAMS).status_code == 302
    old, new = ReportExport.objects.order_by("created_at", "pk")
    ReportExport.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    old.refresh_from_db()
    return client, old, new


def expire() -> str:
    out = io.StringIO()
    call_command("expire_report_exports", stdout=out)
    return out.getvalue()


def test_files_older_than_the_period_are_removed_and_the_rows_stay(made):
    client, old, new = made
    old_file, new_file = old.file.name, new.file.name
    assert default_storage.exists(old_file) and default_storage.exists(new_file)

    assert expire() == "Removed 1 report download files older than 7 days\n"

    old.refresh_from_db()
    assert old.state == ReportExport.State.REMOVED and not old.file
    assert not default_storage.exists(old_file)
    assert list(old.events.values_list("kind", flat=True)) == [
        "requested",
        "started",
        "made",
        "removed",
    ]
    html = read(client.get(reverse("reports:export_progress", args=[old.pk])))
    assert "Your download has been removed" in html and "kept for 7 days" in html
    assert client.get(reverse("reports:export_download", args=[old.pk])).status_code == 404
    # The newer one is still there, and a second run finds nothing more to remove.
    assert default_storage.exists(new_file)
    assert client.get(reverse("reports:export_download", args=[new.pk])).status_code == 200
    assert expire() == "Removed 0 report download files older than 7 days\n"


def test_the_period_is_the_setting(made, settings):
    _, old, new = made
    settings.STEPWISE_REPORT_EXPORT_DAYS = 9
    assert expire() == "Removed 0 report download files older than 9 days\n"
    old.refresh_from_db()
    assert old.state == ReportExport.State.DONE


def test_a_stray_file_no_download_holds_is_removed_once_old(db):
    name = default_storage.save(f"{services.FOLDER}/stray.csv", ContentFile(b"name\nA learner\n"))
    now = timezone.now()
    services.report_exports_expire(before=now - timedelta(days=1))
    assert default_storage.exists(name)
    # (The test storage may hold other tests' files too: they are strays as well.)
    assert services.report_exports_expire(before=now + timedelta(minutes=1)) >= 1
    assert not default_storage.exists(name)


def test_nothing_to_remove_when_the_folder_was_never_made(db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert services.report_exports_expire(before=timezone.now()) == 0
