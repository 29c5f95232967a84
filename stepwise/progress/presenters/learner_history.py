"""Events as rows of a history table: the enrolment's (merged with its records') and one
record's. Tested without a database."""

from dataclasses import dataclass

from stepwise.core import formatting
from stepwise.progress.models import RecordEvent
from stepwise.progress.presenters.learner import record_href
from stepwise.progress.states import (
    EnrolmentEventKind,
    EnrolmentState,
    RecordEventKind,
    RecordState,
)

STATE_LABELS = {
    **dict(RecordState.choices),
    **dict(EnrolmentState.choices),
}


def _change(event) -> str:
    if not event.to_state or event.from_state == event.to_state:
        return ""
    to_label = STATE_LABELS.get(event.to_state, event.to_state)
    if not event.from_state:
        return to_label
    return f"{STATE_LABELS.get(event.from_state, event.from_state)} to {to_label}"


@dataclass(frozen=True)
class HistoryItem:
    when: str
    what: str
    proficiency: str
    href: str
    by: str
    change: str
    note: str
    where: str


def history_items(enrolment, events) -> list[HistoryItem]:
    """Enrolment and record events, already in time order, as rows of one table."""
    items = []
    for event in events:
        if isinstance(event, RecordEvent):
            proficiency = event.record.proficiency.code
            href = record_href(enrolment, event.record)
            what = RecordEventKind(event.kind).label
        else:
            proficiency, href = "", ""
            what = EnrolmentEventKind(event.kind).label
        items.append(
            HistoryItem(
                when=formatting.date_time(event.at),
                what=what,
                proficiency=proficiency,
                href=href,
                by=event.actor.full_name,
                change=_change(event),
                note=event.note,
                where=event.trust.name,
            )
        )
    return items


def record_history_items(events) -> list[HistoryItem]:
    """One record's events: the record is known, so no proficiency column."""
    return [
        HistoryItem(
            when=formatting.date_time(event.at),
            what=RecordEventKind(event.kind).label,
            proficiency="",
            href="",
            by=event.actor.full_name,
            change=_change(event),
            note=event.note,
            where=event.trust.name,
        )
        for event in events
    ]
