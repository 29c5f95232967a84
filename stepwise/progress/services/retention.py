"""Retention of evidence files (docs/data-protection.md): the files of a withdrawn enrolment
are deleted once it has been withdrawn for STEPWISE_EVIDENCE_RETENTION_DAYS. The Evidence row
stays, with the file's name, size and SHA-256 and when it was deleted, and an event says so;
records, decisions, sign-offs and certificates are never touched."""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from stepwise.progress.models import Evidence, EvidenceEvent
from stepwise.progress.states import EnrolmentState

logger = logging.getLogger(__name__)


@dataclass
class Expiry:
    """What a run deleted, or (dry run) would delete."""

    evidence: list[Evidence] = field(default_factory=list)
    bytes: int = 0


def evidence_due_to_expire(*, now=None):
    """Evidence whose file is still held though its enrolment was withdrawn longer ago than
    the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.STEPWISE_EVIDENCE_RETENTION_DAYS)
    return Evidence.objects.filter(
        file_expired_at__isnull=True,
        record__enrolment__state=EnrolmentState.WITHDRAWN,
        record__enrolment__withdrawn_at__lt=cutoff,
    ).order_by("pk")


def _sha256(name: str) -> str:
    """The stored file's SHA-256, or "" if it is already gone from storage."""
    try:
        with default_storage.open(name, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return ""


def evidence_file_expire(*, evidence: Evidence, now=None) -> bool:
    """Delete one evidence file, keeping the record that it existed. False if another run
    got there first."""
    now = now or timezone.now()
    digest = _sha256(evidence.file.name)
    with transaction.atomic():
        expired = Evidence.objects.filter(pk=evidence.pk, file_expired_at__isnull=True).update(
            file_expired_at=now, file_sha256=digest
        )
        if not expired:
            return False
        note = f"{evidence.original_name}, {evidence.size} bytes, SHA-256 {digest or 'unknown'}"
        if not digest:
            note += " (the file was already missing from storage)"
        EvidenceEvent.write(
            evidence=evidence, kind=EvidenceEvent.Kind.FILE_EXPIRED, actor=None, note=note, at=now
        )
        # Inside the transaction: if the storage cannot delete, the row is not marked and the
        # next run tries again.
        if digest:
            default_storage.delete(evidence.file.name)
    logger.info("Deleted the file of evidence %s (%s)", evidence.pk, note)
    return True


def evidence_expire(*, dry_run: bool = False, now=None) -> Expiry:
    """Delete every file due (or, with `dry_run`, only list them). Running it again deletes
    nothing more."""
    now = now or timezone.now()
    done = Expiry()
    for evidence in evidence_due_to_expire(now=now).iterator(chunk_size=500):
        if dry_run or evidence_file_expire(evidence=evidence, now=now):
            done.evidence.append(evidence)
            done.bytes += evidence.size
    return done
