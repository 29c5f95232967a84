"""Subject access exports: asked for by the person or an administrator of their Trust, made by
the worker, downloaded by whoever asked. Each step is a conditional UPDATE and an event."""

import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.organisations.models import Membership, Organisation
from stepwise.privacy import tasks
from stepwise.privacy.contents import write_export
from stepwise.privacy.models import SubjectAccessExport, SubjectAccessExportEvent

logger = logging.getLogger(__name__)
State = SubjectAccessExport.State
Kind = SubjectAccessExportEvent.Kind

# A person's whole record, evidence files included, takes seconds; one running this long has
# lost its worker (killed, restarted), and its file was never stored.
STALLED_AFTER = timedelta(minutes=10)
STALLED = "Making this export stopped before it finished. Ask for it again."
UNEXPECTED = "Something went wrong while making this export. Ask for it again."


def trust_members(trust: Organisation):
    """People who are or were members of the Trust: those its administrators may export."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(trust=trust).values("person_id")
    ).distinct()


def subject_access_request(
    *, person: User, by: User, trust: Organisation | None = None
) -> SubjectAccessExport:
    """Queue an export of everything held about `person`. `trust`: the Trust whose
    administrator `by` is, when `by` is not the person (the view has checked both)."""
    with transaction.atomic():
        export = SubjectAccessExport.objects.create(person=person, requested_by=by, trust=trust)
        SubjectAccessExportEvent.write(kind=Kind.REQUESTED, actor=by, export=export)
        transaction.on_commit(
            lambda: tasks.make_subject_access_export.enqueue(export_id=str(export.pk))
        )
    return export


def _move(export, *, from_state, to_state, kind, note="", **changes) -> bool:
    with transaction.atomic():
        moved = SubjectAccessExport.objects.filter(pk=export.pk, state=from_state).update(
            state=to_state, **changes
        )
        if moved:
            SubjectAccessExportEvent.write(kind=kind, actor=None, export=export, note=note)
    return bool(moved)


def subject_access_make(*, export_id) -> SubjectAccessExport:
    """Make a queued export's ZIP, once: a second worker finds it taken."""
    export = SubjectAccessExport.objects.select_related("person").get(pk=export_id)
    if not _move(
        export,
        from_state=State.QUEUED,
        to_state=State.RUNNING,
        kind=Kind.STARTED,
        started_at=timezone.now(),
    ):
        return export
    try:
        with tempfile.TemporaryFile() as handle:
            write_export(export.person, handle)
            size = handle.tell()
            handle.seek(0)
            name = export.file.storage.save(
                f"subject-access/{export.pk}.zip", File(handle, name=f"{export.pk}.zip")
            )
        if not _move(
            export,
            from_state=State.RUNNING,
            to_state=State.DONE,
            kind=Kind.MADE,
            file=name,
            size=size,
            finished_at=timezone.now(),
        ):
            # Given up as stalled meanwhile: its page already says to ask again.
            export.file.storage.delete(name)
    except Exception:
        logger.exception("Subject access export %s failed", export_id)
        _move(
            export,
            from_state=State.RUNNING,
            to_state=State.FAILED,
            kind=Kind.FAILED,
            note=UNEXPECTED,
            finished_at=timezone.now(),
        )
        raise
    export.refresh_from_db()
    return export


def subject_access_fail_if_stalled(*, export: SubjectAccessExport, now=None):
    """A worker killed part-way leaves an export running for ever: after STALLED_AFTER the
    progress page gives it up, and says so."""
    now = now or timezone.now()
    if export.state == State.RUNNING and export.started_at < now - STALLED_AFTER:
        _move(
            export,
            from_state=State.RUNNING,
            to_state=State.FAILED,
            kind=Kind.FAILED,
            note=STALLED,
            finished_at=now,
        )
        export.refresh_from_db()
    return export


def subject_access_downloaded(*, export: SubjectAccessExport, by: User) -> None:
    SubjectAccessExportEvent.write(kind=Kind.DOWNLOADED, actor=by, export=export)


def failure_message(export: SubjectAccessExport) -> str:
    event = export.events.filter(kind=Kind.FAILED).order_by("-at", "-pk").first()
    return event.note if event else UNEXPECTED
