"""What educators see of one enrolment: its summary and records by section, what they may do
to it now, the sign-off summary, one record read by staff, and histories. Prepared from
objects already loaded; tested without a database."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ObjectDoesNotExist

from stepwise.core import formatting
from stepwise.core.page_urls import page_url
from stepwise.progress.models import Decision
from stepwise.progress.presenters.common import enrolment_tag, record_tag
from stepwise.progress.presenters.staff import is_overdue, names, row, tag_row
from stepwise.progress.states import EnrolmentState, RecordState


def completion_of(records, minimum_optional: int) -> dict:
    """What services.sign_off.completion counts, from the records a page has loaded anyway
    (those of the enrolment's current version)."""
    required = [r for r in records if not r.proficiency.optional]
    optional_confirmed = sum(
        1 for r in records if r.proficiency.optional and r.state == RecordState.CONFIRMED
    )
    return {
        "required": len(required),
        "required_confirmed": sum(1 for r in required if r.state == RecordState.CONFIRMED),
        "optional_confirmed": optional_confirmed,
        "optional_minimum": minimum_optional,
    }


def completion_text(done: dict) -> str:
    text = f"{done['required_confirmed']} of {done['required']} required proficiencies confirmed"
    if done["optional_minimum"]:
        text += (
            f"; {done['optional_confirmed']} optional confirmed "
            f"(at least {done['optional_minimum']} needed)"
        )
    return text


def enrolment_summary(enrolment, *, assessors, done: dict, today: date) -> list[dict]:
    due = formatting.date(enrolment.due_on) or "No due date"
    if is_overdue(enrolment, today):
        due += " (overdue)"
    rows = [
        row("Learner", f"{enrolment.learner.full_name} ({enrolment.learner.email})"),
        row("Framework", str(enrolment.version)),
        row("Unit", enrolment.unit.name if enrolment.unit_id else "No unit"),
        tag_row("Status", enrolment_tag(enrolment.state)),
        row("Progress", completion_text(done)),
        row("Due date", due),
        row("Educator who signs off", enrolment.educator.full_name),
        row("Default assessors", names([a.full_name for a in assessors]) or "None"),
        row(
            "Enrolled",
            f"{formatting.date(enrolment.enrolled_at)} by {enrolment.enrolled_by.full_name}",
        ),
    ]
    if enrolment.state == EnrolmentState.SIGNED_OFF:
        rows.append(
            row(
                "Signed off",
                f"{formatting.date(enrolment.signed_off_at)} by "
                f"{enrolment.signed_off_by.full_name}",
            )
        )
    if enrolment.state == EnrolmentState.WITHDRAWN:
        rows.append(row("Withdrawn", formatting.date(enrolment.withdrawn_at)))
    return rows


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    warning: bool = False


def manage_actions(enrolment, *, may_move: bool) -> list[Link]:
    """What an educator can do to the enrolment now, from the states the services accept."""
    links = []
    if enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED:
        links.append(Link("Sign off or return", page_url("progress:sign_off", enrolment.pk)))
    if enrolment.state == EnrolmentState.ACTIVE and may_move:
        links.append(
            Link("Move to a newer version", page_url("progress:enrolment_move", enrolment.pk))
        )
    if enrolment.is_open:
        links.append(
            Link(
                "Withdraw enrolment",
                page_url("progress:enrolment_withdraw", enrolment.pk),
                warning=True,
            )
        )
    return links


def decided_by(record) -> tuple[str, str]:
    """Who made the decision that stands, with their registration as stated, and when."""
    decision = record.decision if record.decision_id else None
    if decision is None:
        return "", ""
    who = decision.prior_attainment_source or decision.assessor.full_name
    return f"{who} ({decision.registration_number})", formatting.date_time(decision.at)


@dataclass(frozen=True)
class RecordLine:
    code: str
    statement: str
    optional: bool
    tag: dict
    by: str
    when: str
    href: str


@dataclass(frozen=True)
class SectionView:
    heading: str
    confirmed: str
    records: list[RecordLine]


def section_views(enrolment, records) -> list[SectionView]:
    """Records grouped by section, in framework order (the records arrive in that order)."""
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(record.proficiency.section_id, []).append(record)
    views = []
    for in_section in grouped.values():
        section = in_section[0].proficiency.section
        confirmed = sum(1 for record in in_section if record.state == RecordState.CONFIRMED)
        views.append(
            SectionView(
                heading=f"{section.code} {section.title}",
                confirmed=f"{confirmed} of {len(in_section)} confirmed",
                records=[_record_line(enrolment, record) for record in in_section],
            )
        )
    return views


def _record_line(enrolment, record) -> RecordLine:
    by, when = decided_by(record)
    return RecordLine(
        code=record.proficiency.code,
        statement=record.proficiency.statement,
        optional=record.proficiency.optional,
        tag=record_tag(record.state),
        by=by,
        when=when,
        href=page_url("progress:staff_record", enrolment.pk, record.pk),
    )


def sign_off_status(enrolment, latest) -> str:
    """Where the enrolment is with sign-off, naming who and when."""
    if enrolment.state == EnrolmentState.SIGNED_OFF:
        by = latest.decided_by.full_name if latest and latest.decided_by_id else ""
        return f"Signed off by {by} on {formatting.date_time(enrolment.signed_off_at)}."
    if enrolment.state == EnrolmentState.WITHDRAWN:
        return f"This enrolment was withdrawn on {formatting.date(enrolment.withdrawn_at)}."
    if enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED and latest:
        return (
            f"{enrolment.learner.full_name} asked for sign-off on "
            f"{formatting.date_time(latest.requested_at)}."
        )
    if latest and latest.decided_by_id and latest.comments:
        return (
            f"{enrolment.learner.full_name} has not asked for sign-off again since "
            f"{latest.decided_by.full_name} returned it on "
            f"{formatting.date_time(latest.decided_at)}."
        )
    return f"{enrolment.learner.full_name} has not asked for sign-off yet."


def certificate_text(enrolment) -> str:
    try:
        certificate = enrolment.certificate
    except ObjectDoesNotExist:
        return ""
    return f"Certificate serial {certificate.serial}"


def move_counts(diff) -> dict:
    """What moving would do, counted the way enrolment_move_version counts it."""
    kept_changed = sum(1 for change in diff.changed if not change.statement_changed)
    return {
        "carried": len(diff.unchanged) + kept_changed,
        "reassess": len(diff.changed) - kept_changed,
        "added": len(diff.added),
        "removed": len(diff.removed),
    }


def move_hint(counts: dict) -> str:
    return (
        f"{counts['carried']} carried over with their results, "
        f"{counts['reassess']} changed and need assessing again, "
        f"{counts['added']} new, {counts['removed']} removed"
    )


def moved_message(enrolment, version, counts: dict) -> str:
    return (
        f"{enrolment.learner.full_name} moved to {version}: {counts['unchanged']} carried over, "
        f"{counts['changed']} to assess again, {counts['added']} new, "
        f"{counts['removed']} removed."
    )


# --- One record, and histories --------------------------------------------------------------


def record_summary(record) -> list[dict]:
    proficiency = record.proficiency
    rows = [
        row("Section", f"{proficiency.section.code} {proficiency.section.title}"),
        tag_row("Status", record_tag(record.state)),
        row("Optional", "Yes" if proficiency.optional else "No"),
    ]
    if proficiency.guidance:
        rows.append(row("Guidance", proficiency.guidance))
    rows.append(row("Reflection", record.reflection or "No reflection written"))
    return rows


@dataclass(frozen=True)
class ActionLine:
    description: str
    due: str
    done: str
    overdue: bool


@dataclass(frozen=True)
class DecisionView:
    tag: dict
    by: str
    when: str
    where: str
    note: str
    actions: list[ActionLine]


def _plan(decision):
    try:
        return decision.action_plan
    except ObjectDoesNotExist:
        return None


def decision_views(decisions, today: date) -> list[DecisionView]:
    views = []
    for decision in decisions:
        plan = _plan(decision) if decision.outcome == Decision.Outcome.REJECTED else None
        note = decision.note
        if decision.corrects_id:
            note = f"Corrects an earlier decision. {note}".strip()
        views.append(
            DecisionView(
                tag=record_tag(decision.outcome),
                by=f"{decision.assessor.full_name} ({decision.registration_number})",
                when=formatting.date_time(decision.at),
                where=decision.trust.name,
                note=note,
                actions=[
                    ActionLine(
                        description=action.description,
                        due=formatting.date(action.due_on),
                        done=formatting.date(action.done_at) if action.done_at else "",
                        overdue=action.done_at is None and action.due_on < today,
                    )
                    for action in (plan.actions.all() if plan else [])
                ],
            )
        )
    return views


@dataclass(frozen=True)
class HistoryItem:
    when: str
    what: str
    by: str
    note: str


def _states(event, labels: dict) -> str:
    if event.from_state and event.to_state and event.from_state != event.to_state:
        before = labels.get(event.from_state, event.from_state)
        return f"{before} to {labels.get(event.to_state, event.to_state)}"
    return ""


def history_items(events) -> list[HistoryItem]:
    """Enrolment or record events, newest first, each with what changed."""
    labels = dict(EnrolmentState.choices) | dict(RecordState.choices)
    return [
        HistoryItem(
            when=formatting.date_time(event.at),
            what=event.get_kind_display(),
            by=event.actor.full_name,
            note="; ".join(part for part in (_states(event, labels), event.note) if part),
        )
        for event in events
    ]
