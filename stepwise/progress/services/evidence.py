"""Evidence files: checked by their content (never their name), stored under a random name."""

import io
import zipfile
from datetime import timedelta

from django.db import transaction

from stepwise.core.errors import ConflictError
from stepwise.progress.models import Evidence, ProficiencyRecord, RecordEvent
from stepwise.progress.services.common import now, open_enrolment
from stepwise.progress.states import RecordEventKind, can

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
REPEAT_WINDOW = timedelta(seconds=30)
CONTENT_TYPES = {
    Evidence.Kind.PDF: "application/pdf",
    Evidence.Kind.PNG: "image/png",
    Evidence.Kind.JPEG: "image/jpeg",
    Evidence.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class EvidenceError(ValueError):
    """The file cannot be evidence; the message says why."""


def sniff(head: bytes, upload) -> str:
    """The kind of file from its first bytes (and, for DOCX, its zip contents)."""
    if head.startswith(b"%PDF-"):
        return Evidence.Kind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Evidence.Kind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return Evidence.Kind.JPEG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return Evidence.Kind.DOCX
    raise EvidenceError("The selected file must be a PDF, PNG, JPEG or Word document (DOCX)")


def check_upload(upload) -> str:
    if upload.size == 0:
        raise EvidenceError("The selected file is empty")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise EvidenceError("The selected file must be smaller than 10 MB")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return sniff(head, upload)


def evidence_add(*, record, by, upload) -> Evidence:
    if by.pk != record.enrolment.learner_id:
        raise ConflictError("Only the learner adds evidence to their record.")
    kind = check_upload(upload)
    with transaction.atomic():
        enrolment = open_enrolment(record.enrolment)
        record = ProficiencyRecord.objects.get(pk=record.pk, enrolment=enrolment)
        if not can(RecordEventKind.EVIDENCE_ADDED, record.state):
            raise ConflictError(
                "Evidence cannot change while a proficiency is waiting for or has confirmation."
            )
        name = (upload.name or "evidence").rsplit("/", 1)[-1][:255]
        # A double-tapped upload (no JavaScript to stop it) sends the same file twice within
        # seconds: keep the first, do not store a copy.
        repeat = Evidence.objects.filter(
            record=record,
            original_name=name,
            size=upload.size,
            uploaded_by=by,
            removed_at__isnull=True,
            uploaded_at__gte=now() - REPEAT_WINDOW,
        ).first()
        if repeat is not None:
            return repeat
        evidence = Evidence(
            record=record,
            original_name=name,
            kind=kind,
            size=upload.size,
            uploaded_by=by,
            uploaded_at=now(),
        )
        evidence.file.save("upload", upload, save=False)
        evidence.save()
        RecordEvent.write_all(
            [
                RecordEvent.unchanged(
                    record,
                    enrolment,
                    kind=RecordEventKind.EVIDENCE_ADDED,
                    actor=by,
                    note=name,
                    at=evidence.uploaded_at,
                )
            ]
        )
    return evidence


def evidence_remove(*, evidence, by) -> Evidence:
    """Hide evidence from the record; the file and its history stay."""
    record = evidence.record
    if by.pk != record.enrolment.learner_id:
        raise ConflictError("Only the learner removes evidence from their record.")
    with transaction.atomic():
        enrolment = open_enrolment(record.enrolment)
        if not can(RecordEventKind.EVIDENCE_REMOVED, record.state):
            raise ConflictError(
                "Evidence cannot change while a proficiency is waiting for or has confirmation."
            )
        at = now()
        removed = Evidence.objects.filter(pk=evidence.pk, removed_at__isnull=True).update(
            removed_at=at
        )
        if removed:
            RecordEvent.write_all(
                [
                    RecordEvent.unchanged(
                        record,
                        enrolment,
                        kind=RecordEventKind.EVIDENCE_REMOVED,
                        actor=by,
                        note=evidence.original_name,
                        at=at,
                    )
                ]
            )
    evidence.refresh_from_db()
    return evidence
