"""What the assessors' and educators' pages show, prepared from objects already loaded:
templates never query or decide, and all of this is tested without a database."""

from dataclasses import dataclass
from datetime import date, datetime

from django.template.defaultfilters import filesizeformat

from stepwise.core import formatting
from stepwise.core.forms import field_params
from stepwise.core.page_urls import page_url
from stepwise.frameworks.models import version_name
from stepwise.progress.models import ConfirmationRequest, Decision
from stepwise.progress.presenters.common import enrolment_tag, record_tag


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def proficiencies(count: int) -> str:
    return plural(count, "proficiency", "proficiencies")


def names(people: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(people) <= 1:
        return "".join(people)
    return ", ".join(people[:-1]) + " and " + people[-1]


def row(key: str, value: str, *, html: str | None = None) -> dict:
    """A summary-list row; a row with a `tag` shows its value as an NHS tag."""
    return {"key": {"text": key}, "value": {"html": html} if html else {"text": value or "None"}}


def tag_row(key: str, tag: dict) -> dict:
    return {"key": {"text": key}, "tag": tag}


def with_hints(bound_field, hints: dict) -> dict:
    """Radios or checkboxes parameters from `field_params`, each choice with its hint."""
    _macro, params = field_params(bound_field)
    for item in params["items"]:
        hint = hints.get(item["value"])
        if hint:
            item["hint"] = {"text": hint}
    return params


# --- To review ------------------------------------------------------------------------------


def sent_to(request: ConfirmationRequest, viewer_id: int) -> str:
    if request.assessor_id is not None:
        return _sent_to(request.assessor_id, request.assessor.full_name, "", viewer_id)
    return _sent_to(None, "", request.unit.name, viewer_id)


def _sent_to(assessor_id: int | None, assessor_name: str, unit_name: str, viewer_id) -> str:
    if assessor_id is not None:
        return "You" if assessor_id == viewer_id else assessor_name
    return f"Any assessor in {unit_name}"


@dataclass(frozen=True)
class RequestRow:
    learner: str
    href: str
    framework: str
    items: str
    sent_to: str
    asked: str
    waiting: str
    old: bool


def request_rows(requests, *, viewer_id: int, now: datetime, old_after) -> list[RequestRow]:
    """`requests`: the list's plain rows (`queries.staff.to_review_rows`)."""
    return [
        RequestRow(
            learner=request.learner_name,
            href=page_url("progress:review", request.pk),
            framework=version_name(request.framework_title, request.version_label),
            items=proficiencies(request.item_count),
            sent_to=_sent_to(
                request.assessor_id, request.assessor_name, request.unit_name, viewer_id
            ),
            asked=formatting.date(request.requested_at),
            waiting=formatting.age(request.requested_at, now),
            old=now - request.requested_at > old_after,
        )
        for request in requests
    ]


def review_counts(counts: dict) -> str:
    """ "12 requests waiting, 3 of them for more than 7 days"."""
    waiting, old = counts["waiting"], counts["old"]
    if not waiting:
        return "Nothing is waiting for you to review."
    text = f"{plural(waiting, 'request')} waiting"
    if old:
        text += f", {old} of {'it' if waiting == 1 else 'them'} for more than 7 days"
    return text + "."


@dataclass(frozen=True)
class SignOffRow:
    learner: str
    href: str
    framework: str
    educator: str
    waiting: str


def sign_off_rows(requests, *, now: datetime) -> list[SignOffRow]:
    return [
        SignOffRow(
            learner=request.enrolment.learner.full_name,
            href=page_url("progress:sign_off", request.enrolment_id),
            framework=str(request.enrolment.version),
            educator=request.educator.full_name,
            waiting=formatting.age(request.requested_at, now),
        )
        for request in requests
    ]


# --- Review a request -------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLink:
    name: str
    href: str
    description: str


def evidence_links(evidence) -> list[EvidenceLink]:
    return [
        EvidenceLink(
            name=item.original_name,
            href=page_url("progress:evidence_download", item.pk),
            description=f"{item.get_kind_display()}, {filesizeformat(item.size)}",
        )
        for item in evidence
    ]


def decided_message(decisions, learner_name: str) -> str:
    confirmed = sum(1 for d in decisions if d.outcome == Decision.Outcome.CONFIRMED)
    rejected = len(decisions) - confirmed
    parts = []
    if confirmed:
        parts.append(f"confirmed {proficiencies(confirmed)}")
    if rejected:
        parts.append(f"rejected {rejected} with an action plan")
    return f"You {' and '.join(parts)} for {learner_name}. We have told them."


def _who_decided(decisions) -> str:
    people: dict[str, datetime] = {}
    for decision in decisions:
        people[decision.assessor.full_name] = decision.at
    return names([f"{name} on {formatting.date_time(at)}" for name, at in people.items()])


def closed_message(request: ConfirmationRequest, decisions) -> str:
    """Why a request can no longer be decided, naming who closed it and when."""
    if request.state == ConfirmationRequest.State.WITHDRAWN:
        return f"This request was withdrawn on {formatting.date_time(request.closed_at)}."
    if decisions:
        return f"This request has already been decided by {_who_decided(decisions)}."
    return "This request has already been decided."


def decided_elsewhere(decisions, record_ids: set[int]) -> str:
    """Some of what the assessor saw was decided by someone else while they were reviewing."""
    mine = [d for d in decisions if d.record_id in record_ids]
    codes = names(sorted({d.record.proficiency.code for d in mine}))
    who = _who_decided(mine)
    what = (
        f"{codes} {'was' if len(mine) == 1 else 'were'} decided by {who}"
        if mine
        else ("Some of these proficiencies were withdrawn or decided")
    )
    return (
        f"{what} while you were reviewing. Nothing was saved: check the proficiencies still "
        "waiting and save your decisions again."
    )


@dataclass(frozen=True)
class DecisionRow:
    code: str
    statement: str
    tag: dict
    by: str
    when: str


def request_decision_rows(decisions) -> list[DecisionRow]:
    return [
        DecisionRow(
            code=decision.record.proficiency.code,
            statement=decision.record.proficiency.statement,
            tag=record_tag(decision.outcome),
            by=f"{decision.assessor.full_name} ({decision.registration_number})",
            when=formatting.date_time(decision.at),
        )
        for decision in decisions
    ]


# --- Enrolling and the Learners list ---------------------------------------------------------


def learner_hints(learners) -> dict[int, str]:
    """Under each learner's name: their unit and what they are already enrolled on."""
    hints = {}
    for member in learners:
        parts = [member.unit.name if member.unit_id else "No unit"]
        current = [e.framework.title for e in getattr(member.person, "open_enrolments", [])]
        if current:
            parts.append("already enrolled on " + names(current))
        hints[member.person_id] = "; ".join(parts)
    return hints


def staff_hints(staff) -> dict[int, str]:
    return {m.person_id: m.role_names + (f", {m.unit.name}" if m.unit_id else "") for m in staff}


def enrolled_message(enrolments, version) -> str:
    learners = [e.learner.full_name for e in enrolments]
    shown = learners if len(learners) <= 10 else [*learners[:10], f"{len(learners) - 10} more"]
    return f"{plural(len(learners), 'learner')} enrolled on {version}: {names(shown)}."


def is_overdue(enrolment, today: date) -> bool:
    return bool(enrolment.is_open and enrolment.due_on and enrolment.due_on < today)


@dataclass(frozen=True)
class EnrolmentRow:
    learner: str
    href: str
    framework: str
    unit: str
    tag: dict
    progress: str
    due: str
    overdue: bool


def progress_text(counts: tuple[int, int] | None) -> str:
    confirmed, total = counts or (0, 0)
    return f"{confirmed} of {total} confirmed"


def enrolment_rows(enrolments, progress: dict, today: date) -> list[EnrolmentRow]:
    return [
        EnrolmentRow(
            learner=enrolment.learner.full_name,
            href=page_url("progress:enrolment_manage", enrolment.pk),
            framework=str(enrolment.version),
            unit=enrolment.unit.name if enrolment.unit_id else "No unit",
            tag=enrolment_tag(enrolment.state),
            progress=progress_text(progress.get(enrolment.pk)),
            due=formatting.date(enrolment.due_on) or "No due date",
            overdue=is_overdue(enrolment, today),
        )
        for enrolment in enrolments
    ]


def showing(page) -> str:
    count = page.paginator.count
    if count == 0:
        return "No enrolments match"
    if page.paginator.num_pages == 1:
        return plural(count, "enrolment")
    return f"Showing {page.start_index()} to {page.end_index()} of {count} enrolments"
