"""Retention (manage.py expire_evidence): the evidence files of an enrolment withdrawn longer
ago than STEPWISE_EVIDENCE_RETENTION_DAYS are deleted; the record that they existed, every
decision and the history stay."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stepwise.progress.models import (
    Decision,
    Enrolment,
    Evidence,
    EvidenceEvent,
    RecordEvent,
)
from stepwise.progress.services import enrolment_withdraw, evidence_add

from .learner_support import PDF, achieve, confirm, records, upload


@pytest.fixture
def withdrawn_evidence(enrolment, learner, assessor, educator):
    """Evidence on two records, one of them confirmed, then the enrolment withdrawn."""
    first, second = records(enrolment)[:2]
    kept = evidence_add(record=second, by=learner, upload=upload("ward-log.pdf"))
    achieve(enrolment, [second])
    confirm(enrolment, [second], assessor)
    expiring = evidence_add(record=first, by=learner, upload=upload("../../etc/passwd.pdf"))
    enrolment_withdraw(enrolment=enrolment, by=educator, note="Left the unit")
    return [kept, expiring]


def withdrawn_days_ago(enrolment, days: int) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(
        withdrawn_at=timezone.now() - timedelta(days=days)
    )


def expire(*args) -> str:
    out = StringIO()
    call_command("expire_evidence", *args, stdout=out)
    return out.getvalue()


def test_files_are_deleted_after_the_period_and_what_they_were_is_kept(
    enrolment, withdrawn_evidence, settings
):
    settings.STEPWISE_EVIDENCE_RETENTION_DAYS = 365
    names = [item.file.name for item in withdrawn_evidence]
    decisions, history = Decision.objects.count(), RecordEvent.objects.count()
    withdrawn_days_ago(enrolment, 366)

    out = expire()

    assert "Deleted 2 evidence files" in out
    assert "more than 365 days ago" in out
    for item, name in zip(withdrawn_evidence, names, strict=True):
        item.refresh_from_db()
        assert item.file_expired_at is not None
        assert item.file_sha256 == hashlib.sha256(PDF).hexdigest()
        assert item.file.name == name  # the record of where it was stays
        assert not default_storage.exists(name)
        event = EvidenceEvent.objects.get(evidence=item)
        assert event.kind == EvidenceEvent.Kind.FILE_EXPIRED
        assert item.original_name in event.note
        assert item.file_sha256 in event.note
    assert Decision.objects.count() == decisions
    assert RecordEvent.objects.count() == history
    assert Enrolment.objects.get(pk=enrolment.pk).state == "withdrawn"


def test_nothing_is_deleted_within_the_period(enrolment, withdrawn_evidence, settings):
    settings.STEPWISE_EVIDENCE_RETENTION_DAYS = 365
    withdrawn_days_ago(enrolment, 364)
    assert "Deleted 0 evidence files" in expire()
    assert all(default_storage.exists(item.file.name) for item in withdrawn_evidence)


def test_open_and_signed_off_enrolments_keep_their_files(enrolment, learner, settings):
    settings.STEPWISE_EVIDENCE_RETENTION_DAYS = 0
    item = evidence_add(record=records(enrolment)[0], by=learner, upload=upload())
    Enrolment.objects.filter(pk=enrolment.pk).update(
        withdrawn_at=timezone.now() - timedelta(days=999)  # state still active
    )
    assert "Deleted 0 evidence files" in expire()
    assert default_storage.exists(item.file.name)


def test_a_dry_run_deletes_nothing(enrolment, withdrawn_evidence):
    withdrawn_days_ago(enrolment, 10_000)
    out = expire("--dry-run")
    assert "Would delete 2 evidence files" in out
    assert "passwd.pdf" in out
    assert not Evidence.objects.filter(file_expired_at__isnull=False).exists()
    assert not EvidenceEvent.objects.exists()
    assert all(default_storage.exists(item.file.name) for item in withdrawn_evidence)


def test_running_it_again_changes_nothing(enrolment, withdrawn_evidence):
    withdrawn_days_ago(enrolment, 10_000)
    expire()
    first = list(Evidence.objects.values_list("pk", "file_expired_at", "file_sha256"))
    assert "Deleted 0 evidence files" in expire()
    assert list(Evidence.objects.values_list("pk", "file_expired_at", "file_sha256")) == first
    assert EvidenceEvent.objects.count() == 2


def test_a_file_already_missing_is_recorded_as_such(enrolment, withdrawn_evidence):
    withdrawn_days_ago(enrolment, 10_000)
    default_storage.delete(withdrawn_evidence[0].file.name)
    expire()
    event = EvidenceEvent.objects.get(evidence=withdrawn_evidence[0])
    assert "already missing" in event.note
    assert Evidence.objects.get(pk=withdrawn_evidence[0].pk).file_sha256 == ""


def test_the_record_page_says_the_file_was_deleted_and_offers_no_download(
    enrolment, withdrawn_evidence, learner, client_for
):
    withdrawn_days_ago(enrolment, 10_000)
    expire()
    item = withdrawn_evidence[1]
    client = client_for(learner)
    html = client.get(
        reverse("progress:record", args=[enrolment.pk, item.record_id])
    ).content.decode()
    assert "passwd.pdf" in html
    assert "File deleted on" in html
    assert reverse("progress:evidence_download", args=[item.pk]) not in html
    assert client.get(reverse("progress:evidence_download", args=[item.pk])).status_code == 404
