"""What the upload page shows: the column guide, the units, the errors and the outcome."""

from dataclasses import dataclass

from django.conf import settings

from stepwise.organisations.upload.columns import COLUMNS
from stepwise.organisations.upload.validation import RowError

# The error summary names this many errors; the table below it lists the rest.
SUMMARY_LIMIT = 10
# A file this wrong is wrong in the same way throughout; the first errors show how.
TABLE_LIMIT = 1_000


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def column_rows() -> list[list[dict]]:
    return [
        [
            {"text": column.name},
            {"text": column.description},
            {"text": column.example},
        ]
        for column in COLUMNS
    ]


def unit_rows(units) -> list[list[dict]]:
    return [[{"text": unit.name}, {"text": unit.code or "None"}] for unit in units]


def summary_messages(errors: list[RowError]) -> list[str]:
    messages = [str(error) for error in errors[:SUMMARY_LIMIT]]
    if len(errors) > SUMMARY_LIMIT:
        rest = len(errors) - SUMMARY_LIMIT
        messages.append(
            f"{_count(rest, 'more error', 'more errors')} in the file, listed in the table below"
        )
    return messages


@dataclass(frozen=True)
class ErrorTable:
    rows: list[list[dict]]
    total: int

    @property
    def shown(self) -> int:
        return len(self.rows)

    @property
    def is_cut_short(self) -> bool:
        return self.total > self.shown


def error_table(errors: list[RowError]) -> ErrorTable | None:
    """Every error with its row and column, when there are more than the summary shows."""
    if len(errors) <= SUMMARY_LIMIT:
        return None
    rows = [
        [{"text": str(error.row)}, {"text": error.column}, {"text": error.message}]
        for error in errors[:TABLE_LIMIT]
    ]
    return ErrorTable(rows=rows, total=len(errors))


def error_heading(errors: list[RowError]) -> str:
    rows = len({error.row for error in errors})
    return f"{_count(len(errors), 'error', 'errors')} in {_count(rows, 'row', 'rows')}"


def outcome_message(upload) -> str:
    registered = _count(upload.registered, "new person", "new people")
    joined = (
        "1 person who already uses Stepwise was"
        if upload.joined == 1
        else f"{upload.joined:,} people who already use Stepwise were"
    )
    return (
        f"{registered} registered with {upload.trust.name}, and {joined} invited to join: "
        "they join when they accept. Invitations are on their way by email."
    )


def progress_page(upload) -> dict:
    State = type(upload).State
    titles = {
        State.QUEUED: "Registering people",
        State.RUNNING: "Registering people",
        State.DONE: "People registered",
        State.FAILED: "Nothing was imported",
    }
    problems = [problem for problem in upload.problems if "row" in problem]
    return {
        "page_title": titles[State(upload.state)],
        "upload": upload,
        "people": _count(upload.people, "person", "people"),
        "outcome": outcome_message(upload) if upload.state == State.DONE else "",
        "messages": [problem["message"] for problem in upload.problems if "row" not in problem],
        "problem_rows": [
            [{"text": str(p["row"])}, {"text": p["column"]}, {"text": p["message"]}]
            for p in problems[:TABLE_LIMIT]
        ],
        "problem_count": len(problems),
        "invitation_days": settings.STEPWISE_INVITATION_DAYS,
    }


def upload_page(*, form, trust, units, errors: list[RowError]) -> dict:
    return {
        "form": form,
        "trust": trust,
        "columns": column_rows(),
        "units": unit_rows(units),
        "error_heading": error_heading(errors) if errors else "",
        "error_table": error_table(errors),
    }
