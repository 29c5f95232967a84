"""What a learner's proficiency page shows: its evidence, action plans, decisions and the
links to change it. Prepared from loaded objects; tested without a database."""

from dataclasses import dataclass
from datetime import date

from django.template.defaultfilters import filesizeformat

from stepwise.core import formatting
from stepwise.core.page_urls import page_url
from stepwise.progress.models import Decision
from stepwise.progress.presenters.common import record_tag
from stepwise.progress.presenters.learner import (
    ActionRow,
    Link,
    may_change_evidence,
    may_mark_done,
    may_reopen,
    may_self_assess,
    read_only_message,
    record_href,
    summary_row,
)
from stepwise.progress.states import EnrolmentState, RecordEventKind, RecordState, can


@dataclass(frozen=True)
class EvidenceRow:
    name: str
    kind: str
    size: str
    uploaded: str
    # None once retention has deleted the file: the row says when instead.
    href: str | None
    remove_href: str | None
    expired: str = ""


def evidence_rows(enrolment, record, evidence) -> list[EvidenceRow]:
    removable = may_change_evidence(enrolment, record)
    return [
        EvidenceRow(
            name=item.original_name,
            kind=item.get_kind_display(),
            size=filesizeformat(item.size),
            uploaded=formatting.date_time(item.uploaded_at),
            href=None if item.file_expired else page_url("progress:evidence_download", item.pk),
            remove_href=page_url("progress:evidence_remove", item.pk)
            if removable and not item.file_expired
            else None,
            expired=f"File deleted on {formatting.date(item.file_expired_at)}, "
            "as the retention rule asks"
            if item.file_expired
            else "",
        )
        for item in evidence
    ]


@dataclass(frozen=True)
class PlanView:
    heading: str
    note: str
    actions: list[ActionRow]


def plan_views(enrolment, record, plans, today: date) -> list[PlanView]:
    views = []
    for plan in plans:
        decision = plan.decision
        views.append(
            PlanView(
                heading=(
                    f"Action plan from {decision.assessor.full_name}, "
                    f"{formatting.date(decision.at)}"
                ),
                note=decision.note,
                actions=[
                    ActionRow(
                        code=record.proficiency.code,
                        record_href=record_href(enrolment, record),
                        description=action.description,
                        due=formatting.date(action.due_on),
                        done=f"Done {formatting.date(action.done_at)}" if action.done_at else "",
                        overdue=action.done_at is None and action.due_on < today,
                        done_href=page_url("progress:action_done", action.pk)
                        if may_mark_done(enrolment, action)
                        else None,
                    )
                    for action in plan.actions.all()
                ],
            )
        )
    return views


@dataclass(frozen=True)
class DecisionRow:
    outcome: str
    tag: dict
    by: str
    registration: str
    when: str
    where: str
    note: str


def decision_rows(decisions) -> list[DecisionRow]:
    rows = []
    for decision in decisions:
        note = decision.note
        if decision.corrects_id:
            note = f"Corrects the decision of {formatting.date(decision.corrects.at)}. {note}"
        if decision.prior_attainment_source:
            note = f"Recognised prior attainment: {decision.prior_attainment_source}. {note}"
        rows.append(
            DecisionRow(
                outcome=decision.get_outcome_display(),
                tag=record_tag(
                    RecordState.CONFIRMED
                    if decision.outcome == Decision.Outcome.CONFIRMED
                    else RecordState.REJECTED
                ),
                by=decision.assessor.full_name,
                registration=decision.registration_number,
                when=formatting.date_time(decision.at),
                where=decision.trust.name,
                note=note.strip(),
            )
        )
    return rows


def section_anchor(record) -> str:
    """Where the record is answered: its place on its section page. A record left behind
    by a move to a new version has no section page, so its own page instead."""
    enrolment = record.enrolment
    if record.proficiency.version_id != enrolment.version_id:
        return record_href(enrolment, record)
    href = page_url("progress:section", enrolment.pk, record.proficiency.section_id)
    return f"{href}#record-{record.pk}"


def record_links(enrolment, record) -> list[Link]:
    links = []
    if may_self_assess(enrolment, record):
        links.append(Link("Change your answer or reflection", section_anchor(record)))
    if may_self_assess(enrolment, record) and record.state == RecordState.REJECTED:
        links.append(
            Link(
                "Answer your action plans",
                page_url("progress:action_plans", enrolment.pk) + f"#plan-{record.pk}",
            )
        )
    if enrolment.state == EnrolmentState.ACTIVE and record.state == RecordState.ACHIEVED:
        # Evidence added: the next step is to ask, with everything that is ready.
        links.append(
            Link(
                "Ask for confirmation",
                page_url("progress:request_confirmation", enrolment.pk),
            )
        )
    if may_reopen(enrolment, record):
        links.append(
            Link(
                "Change your confirmed answer",
                page_url("progress:record_reopen", enrolment.pk, record.pk),
            )
        )
    return links


def reopen_refusal(enrolment, record) -> str:
    """Why a confirmed answer cannot be changed now, or "" when it can."""
    if enrolment.is_locked:
        return read_only_message(enrolment)
    if not can(RecordEventKind.REOPENED, record.state):
        return (
            f"{record.proficiency.code} is {record.get_state_display().lower()}, not confirmed, "
            "so there is no confirmed answer to change."
        )
    return ""


def added_message(record, names: list[str]) -> str:
    """ "a.pdf has been added to 1.2", or "a.pdf and b.png have been added to 1.2"."""
    if len(names) == 1:
        return f"{names[0]} has been added to {record.proficiency.code}"
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"{listed} have been added to {record.proficiency.code}"


def reopened_message(record) -> str:
    return (
        f"You can now change your answer for {record.proficiency.code}. Its earlier "
        "confirmation stays in its history"
    )


def record_details(enrolment, record) -> list[dict]:
    proficiency = record.proficiency
    rows = [
        summary_row("Section", f"{proficiency.section.code} {proficiency.section.title}"),
        {"key": {"text": "Status"}, "tag": record_tag(record.state)},
        summary_row("Required", "Optional" if proficiency.optional else "Required"),
    ]
    if proficiency.supernumerary:
        rows.append(summary_row("When", "To achieve during your supernumerary period"))
    rows.append(summary_row("Last changed", formatting.date_time(record.changed_at)))
    return rows
