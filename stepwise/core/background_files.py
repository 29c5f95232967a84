"""A file the worker makes while the person who asked watches a progress page: a subject access
export, a long report download. Each kind keeps its own model and event rows; this is the part
they share: queued → running → done, or failed with a note the page shows, each step one
conditional UPDATE with its event (the app's `move`), so a second worker, or a page giving up
on a stalled run, finds the export taken.

`move(export, *, from_state, to_state, kind, note="", **fields) -> bool` is the app's; states
and event kinds are the values both apps' choices share ("queued", "running", "done",
"failed"; "started", "made", "failed").
"""

import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import PurePosixPath
from typing import IO

from django.core.files import File
from django.utils import timezone

logger = logging.getLogger(__name__)

Move = Callable[..., bool]


def make_once(
    export,
    *,
    move: Move,
    path: str,
    write: Callable[[IO[bytes]], dict | None],
    unexpected: str,
    refused: Callable[[], str] | None = None,
) -> bool:
    """Claim a queued export, write its file with `write(handle)` (which may return more fields
    to store, such as its size) and store it at `path`. `refused()`, asked once claimed, may
    give a reason not to make it after all. An error marks it failed with `unexpected` and is
    raised again for the worker's log. Returns whether this call made the file."""
    if not move(
        export, from_state="queued", to_state="running", kind="started", started_at=timezone.now()
    ):
        return False
    reason = refused() if refused else ""
    if reason:
        _fail(export, move, reason)
        return False
    try:
        with tempfile.TemporaryFile() as handle:
            fields = write(handle) or {}
            handle.seek(0)
            name = export.file.storage.save(path, File(handle, name=PurePosixPath(path).name))
    except Exception:
        logger.exception("Background file %s failed", export.pk)
        _fail(export, move, unexpected)
        raise
    if not move(
        export,
        from_state="running",
        to_state="done",
        kind="made",
        file=name,
        finished_at=timezone.now(),
        **fields,
    ):
        # Given up as stalled meanwhile: its page already says to ask again.
        export.file.storage.delete(name)
        return False
    return True


def fail_if_stalled(export, *, move: Move, after: timedelta, note: str, now=None) -> None:
    """A worker killed part-way leaves an export running for ever: after `after`, the progress
    page gives it up with `note`."""
    now = now or timezone.now()
    if export.state == "running" and export.started_at < now - after:
        _fail(export, move, note, now=now)


def failure_message(export, *, unexpected: str) -> str:
    """What the progress page says of a failed export: the note of its last failure."""
    event = export.events.filter(kind="failed").order_by("-at", "-pk").first()
    return event.note if event else unexpected


def _fail(export, move: Move, note: str, *, now=None) -> None:
    move(
        export,
        from_state="running",
        to_state="failed",
        kind="failed",
        note=note,
        finished_at=now or timezone.now(),
    )
