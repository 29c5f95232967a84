"""Long downloads: asked for on a page, made by the worker, downloaded by the person who asked.

A named list of more than exports.BACKGROUND_OVER learners takes longer to write than a page
should wait, so the request queues a `ReportExport` and shows its progress page; the task
reads the list again, as that person's membership sees it now, and writes the file a row at a
time to storage. Each change of state is one conditional UPDATE (a second worker, or a page
giving up on a stalled one, finds it taken) and one event row.
"""

from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.core import background_files
from stepwise.organisations.models import Membership
from stepwise.reports import exports, presenters, scoped, tasks
from stepwise.reports.models import ReportExport, ReportExportEvent
from stepwise.reports.routers import reading_reports

Kind = ReportExportEvent.Kind
State = ReportExport.State
STALLED_AFTER = timedelta(minutes=10)
NO_LONGER_ALLOWED = "You no longer see these learners' reports, so the file was not made."
STALLED = "Making the file stopped part-way. Ask for the download again."
UNEXPECTED = "Something went wrong while making the file. Ask for the download again."
# Where the worker writes the files (ReportExport.file's upload_to).
FOLDER = "report-exports"


def report_export_request(
    *, membership: Membership, by: User, show: str, file_format: str, params: str, rows: int
) -> ReportExport:
    """Queue a named list's download for the worker."""
    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=by,
            membership=membership,
            show=show,
            title=scoped.NAMED_LISTS[show],
            params=params,
            file_format=file_format,
            rows=rows,
        )
        ReportExportEvent.write(kind=Kind.REQUESTED, actor=by, to_state=State.QUEUED, export=export)
        transaction.on_commit(lambda: tasks.make_report_export.enqueue(export_id=str(export.pk)))
    return export


def _move(export: ReportExport, *, from_state, to_state, kind, note="", **fields) -> bool:
    """One conditional UPDATE and its event; False if the export was no longer `from_state`."""
    with transaction.atomic():
        moved = ReportExport.objects.filter(pk=export.pk, state=from_state).update(
            state=to_state, **fields
        )
        if moved:
            ReportExportEvent.write(
                kind=kind,
                actor=None,
                from_state=from_state,
                to_state=to_state,
                note=note,
                export=export,
            )
    return bool(moved)


def _rows(export: ReportExport):
    """The header and the learners' rows, as the person's membership sees them now."""
    membership = export.membership
    _, _, found, _ = scoped.filtered(QueryDict(export.params), membership)
    listed = scoped.named_list(found, export.show).iterator(chunk_size=2000)
    yield list(presenters.LEARNER_COLUMNS.values())
    yield from presenters.learner_values(listed)


def _allowed(export: ReportExport) -> bool:
    """Still a current membership of theirs with a role that sees the reports."""
    return (
        Membership.objects.current()
        .filter(pk=export.membership_id, person_id=export.requested_by_id)
        .filter(Q(is_educator=True) | Q(is_trust_admin=True))
        .exists()
    )


def report_export_make(*, export_id) -> ReportExport:
    """Make a queued export's file, once."""
    export = ReportExport.objects.select_related("membership__trust", "membership__unit").get(
        pk=export_id
    )

    def write(handle):
        with reading_reports():
            if export.file_format == ReportExport.Format.XLSX:
                exports.write_xlsx(handle, [(export.title, _rows(export))])
            else:
                for chunk in exports.csv_chunks(_rows(export)):
                    handle.write(chunk)

    name = f"stepwise-{export.show.replace('_', '-')}-{timezone.localdate()}"
    background_files.make_once(
        export,
        move=_move,
        path=f"{FOLDER}/{name}.{export.file_format}",
        write=write,
        unexpected=UNEXPECTED,
        refused=lambda: "" if _allowed(export) else NO_LONGER_ALLOWED,
    )
    export.refresh_from_db()
    return export


def report_export_fail_if_stalled(*, export: ReportExport, now=None) -> ReportExport:
    """A worker killed part-way leaves an export running for ever: after STALLED_AFTER the
    progress page gives it up, and says so."""
    background_files.fail_if_stalled(export, move=_move, after=STALLED_AFTER, note=STALLED, now=now)
    export.refresh_from_db()
    return export


def report_export_downloaded(*, export: ReportExport, by: User) -> None:
    """Who took the learners' names away, and when."""
    ReportExportEvent.write(kind=Kind.DOWNLOADED, actor=by, export=export)


def failure_message(export: ReportExport) -> str:
    return background_files.failure_message(export, unexpected=UNEXPECTED)


def report_exports_expire(*, before: datetime) -> int:
    """Remove the files of downloads made before `before`, and any file in the exports'
    folder last written before then that no ready download holds (a worker stopped between
    writing it and saying so). Each export keeps its row and gets a REMOVED event: who took
    learners' names away stays on record. Returns how many files were removed."""
    removed = 0
    for export in ReportExport.objects.filter(state=State.DONE, finished_at__lt=before):
        name = export.file.name
        if _move(
            export,
            from_state=State.DONE,
            to_state=State.REMOVED,
            kind=Kind.REMOVED,
            note=f"Kept until {timezone.localtime(before):%d %B %Y}",
            file="",
        ):
            if name:
                default_storage.delete(name)
            removed += 1
    held = set(
        ReportExport.objects.filter(state=State.DONE)
        .exclude(file="")
        .values_list("file", flat=True)
    )
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        names = []
    for name in names:
        path = f"{FOLDER}/{name}"
        if path not in held and default_storage.get_modified_time(path) < before:
            default_storage.delete(path)
            removed += 1
    return removed
