"""Subject access exports: asked for by the person or an administrator of their Trust, made by
the worker, downloaded by whoever asked. Each step is a conditional UPDATE and an event."""

from datetime import timedelta

from django.db import transaction

from stepwise.accounts.models import User
from stepwise.core import background_files
from stepwise.organisations.models import Membership, Organisation
from stepwise.privacy import tasks
from stepwise.privacy.contents import write_export
from stepwise.privacy.models import SubjectAccessExport, SubjectAccessExportEvent

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

    def write(handle):
        write_export(export.person, handle)
        return {"size": handle.tell()}

    background_files.make_once(
        export,
        move=_move,
        path=f"subject-access/{export.pk}.zip",
        write=write,
        unexpected=UNEXPECTED,
    )
    export.refresh_from_db()
    return export


def subject_access_fail_if_stalled(*, export: SubjectAccessExport, now=None):
    """A worker killed part-way leaves an export running for ever: after STALLED_AFTER the
    progress page gives it up, and says so."""
    background_files.fail_if_stalled(export, move=_move, after=STALLED_AFTER, note=STALLED, now=now)
    export.refresh_from_db()
    return export


def subject_access_downloaded(*, export: SubjectAccessExport, by: User) -> None:
    SubjectAccessExportEvent.write(kind=Kind.DOWNLOADED, actor=by, export=export)


def failure_message(export: SubjectAccessExport) -> str:
    return background_files.failure_message(export, unexpected=UNEXPECTED)
