"""What the Moving Trust pages show: a learner's record at other Trusts (read by their new
Trust), the page proposing a move, and an enrolment that moved away (read by the Trust it
left). The learner's own page confirming a move is presenters/move_proposals.py.
Prepared from objects the queries loaded; tested without a database."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from stepwise.core import formatting
from stepwise.core.page_urls import page_url
from stepwise.organisations.models import Membership
from stepwise.progress.models import Decision
from stepwise.progress.presenters.common import enrolment_tag, record_tag
from stepwise.progress.presenters.staff import row, tag_row
from stepwise.progress.presenters.staff_records import completion_text
from stepwise.progress.queries.prior_record import departure
from stepwise.progress.states import OPEN_ENROLMENT_STATES, EnrolmentState, RecordState

# --- Who decided, and where -------------------------------------------------------------------


def decider(decision) -> str:
    """ "Ben Thompson (NMC 09B1234D)", or the prior attainment it was recognised from."""
    if decision.prior_attainment_source:
        return f"Recognised prior attainment: {decision.prior_attainment_source}"
    return f"{decision.assessor.full_name} ({decision.registration_number})"


@dataclass(frozen=True)
class PriorLine:
    code: str
    statement: str
    optional: bool
    tag: dict
    by: str
    when: str
    where: str


@dataclass(frozen=True)
class PriorSection:
    heading: str
    confirmed: str
    records: list[PriorLine]


def _line(record, state: str, decision) -> PriorLine:
    shown = decision is not None and state in (RecordState.CONFIRMED, RecordState.REJECTED)
    return PriorLine(
        code=record.proficiency.code,
        statement=record.proficiency.statement,
        optional=record.proficiency.optional,
        tag=record_tag(state),
        by=decider(decision) if shown else "",
        when=formatting.date_time(decision.at) if shown else "",
        where=decision.trust.name if shown else "",
    )


def prior_sections(lines: list[tuple]) -> list[PriorSection]:
    """(record, state, standing decision) triples, in framework order, grouped by section."""
    grouped: dict[int, list] = {}
    for record, state, decision in lines:
        grouped.setdefault(record.proficiency.section_id, []).append((record, state, decision))
    sections = []
    for in_section in grouped.values():
        section = in_section[0][0].proficiency.section
        confirmed = sum(1 for _record, state, _d in in_section if state == RecordState.CONFIRMED)
        sections.append(
            PriorSection(
                heading=f"{section.code} {section.title}",
                confirmed=f"{confirmed} of {len(in_section)} confirmed",
                records=[_line(*triple) for triple in in_section],
            )
        )
    return sections


def completion(lines: list[tuple], minimum_optional: int) -> str:
    """ "3 of 9 required proficiencies confirmed", counted from (record, state, _) triples."""
    required = [state for record, state, _d in lines if not record.proficiency.optional]
    optional = [state for record, state, _d in lines if record.proficiency.optional]
    return completion_text(
        {
            "required": len(required),
            "required_confirmed": required.count(RecordState.CONFIRMED),
            "optional_confirmed": optional.count(RecordState.CONFIRMED),
            "optional_minimum": minimum_optional,
        }
    )


# --- Rule a: the learner's record at other Trusts ----------------------------------------------


def membership_there(membership: Membership | None, trust_name: str) -> str:
    """Whether the learner is still at the Trust the enrolment is at."""
    if membership is None:
        return f"Not a member of {trust_name}"
    if membership.state == Membership.State.ENDED:
        left = formatting.date(membership.ended_on)
        return f"Left {trust_name}" + (f" on {left}" if left else "")
    if membership.state == Membership.State.ACTIVE:
        return f"Still a member of {trust_name}"
    return f"{membership.get_state_display()} at {trust_name}"


def certificate_of(enrolment):
    try:
        return enrolment.certificate
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class CertificateLine:
    serial: str
    href: str
    status: str


def certificate_line(certificate) -> CertificateLine | None:
    if certificate is None:
        return None
    status = (
        f"Revoked on {formatting.date(certificate.revoked_at)}"
        if certificate.revoked_at
        else f"Issued on {formatting.date(certificate.issued_at)}"
    )
    return CertificateLine(
        serial=str(certificate.serial),
        href=reverse("certificates:verify", args=[certificate.serial]),
        status=status,
    )


@dataclass(frozen=True)
class PriorEnrolment:
    heading: str
    trust: str
    tag: dict
    summary: list[dict]
    certificate: CertificateLine | None
    sections: list[PriorSection]
    count: str
    move_href: str
    # "Move proposed ...: waiting for them to confirm", once this Trust has proposed it.
    proposed: str = ""


def proposal_status(*, trust_name: str, by: str, at, learner_name: str) -> str:
    return (
        f"Move to {trust_name} proposed by {by} on {formatting.date_time(at)}: waiting for "
        f"{learner_name} to confirm"
    )


def prior_enrolment(
    enrolment, *, there: Membership | None, move_href: str, proposed: str = ""
) -> PriorEnrolment:
    lines = [(r, r.state, r.decision if r.decision_id else None) for r in enrolment.shown]
    rows = [
        row("Learner there", membership_there(there, enrolment.trust.name)),
        tag_row("Status", enrolment_tag(enrolment.state)),
        row("Progress", completion(lines, enrolment.version.minimum_optional)),
        row("Enrolled", formatting.date(enrolment.enrolled_at)),
    ]
    if enrolment.state in OPEN_ENROLMENT_STATES:
        rows.append(row("Educator who signs off", enrolment.educator.full_name))
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
    count = len(lines)
    return PriorEnrolment(
        heading=str(enrolment.version),
        trust=enrolment.trust.name,
        tag=enrolment_tag(enrolment.state),
        summary=rows,
        certificate=certificate_line(certificate_of(enrolment)),
        sections=prior_sections(lines),
        count=f"{count} proficienc{'y' if count == 1 else 'ies'}",
        move_href=move_href,
        proposed=proposed,
    )


def prior_enrolments(
    enrolments,
    memberships: dict,
    *,
    member_id: int,
    may_move: bool,
    trust_name: str,
    learner_name: str,
):
    """Each enrolment elsewhere; an educator of this Trust may propose moving the open ones
    here. `move_proposed_at` and `move_proposed_by`: this Trust's proposal waiting for the
    learner's answer, if there is one (queries.prior_record.prior_enrolments)."""
    shown = []
    for enrolment in enrolments:
        at = getattr(enrolment, "move_proposed_at", None)
        shown.append(
            prior_enrolment(
                enrolment,
                there=memberships.get(enrolment.trust_id),
                move_href=(
                    page_url("progress:move_trust", member_id, enrolment.pk)
                    if may_move and enrolment.state in OPEN_ENROLMENT_STATES
                    else ""
                ),
                proposed=(
                    proposal_status(
                        trust_name=trust_name,
                        by=enrolment.move_proposed_by,
                        at=at,
                        learner_name=learner_name,
                    )
                    if at
                    else ""
                ),
            )
        )
    return shown


# --- The move page -----------------------------------------------------------------------------


def move_problem(enrolment, trust) -> str:
    """Why this enrolment cannot be moved here, if it plainly cannot: shown instead of the
    form. The service checks everything again when the form is sent."""
    if enrolment.trust_id == trust.pk:
        return f"This enrolment is already at {trust.name}."
    if enrolment.state not in OPEN_ENROLMENT_STATES:
        return (
            f"This enrolment is {enrolment.get_state_display().lower()}, so it cannot move. It "
            f"stays in the learner's record at {enrolment.trust.name}."
        )
    return ""


def move_summary(enrolment) -> list[dict]:
    return [
        row("Learner", enrolment.learner.full_name),
        row("Framework", str(enrolment.version)),
        row("Now at", enrolment.trust.name),
        tag_row("Status", enrolment_tag(enrolment.state)),
        row("Educator who signs off there", enrolment.educator.full_name),
    ]


def proposed_message(enrolment, trust) -> str:
    return (
        f"We have asked {enrolment.learner.full_name} to confirm moving their "
        f"{enrolment.version} enrolment to {trust.name}. It moves only when they confirm"
    )


# --- Rule b: an enrolment that moved away ------------------------------------------------------


def left_banner(to_trust_name: str, left_at) -> str:
    return (
        f"Moved to {to_trust_name} on {formatting.date(left_at)}. What happens after that is "
        "not shown."
    )


@dataclass(frozen=True)
class MovedAwayRow:
    learner: str
    href: str
    framework: str
    moved_to: str
    moved_on: str


def moved_away_rows(enrolments, trust_id: int) -> list[MovedAwayRow]:
    """Enrolments of queries.prior_record.moved_away, with their departures from here."""
    rows = []
    for enrolment in enrolments:
        left = departure(trust_id, enrolment)
        rows.append(
            MovedAwayRow(
                learner=enrolment.learner.full_name,
                href=page_url("progress:moved_away_enrolment", enrolment.pk),
                framework=enrolment.framework.title,
                moved_to=left.to_trust.name if left else "",
                moved_on=formatting.date(left.at if left else enrolment.left_at),
            )
        )
    return rows


def standing_then(decisions) -> dict[int, Decision]:
    """The last decision on each record among these (oldest first): the one standing then."""
    standing: dict[int, Decision] = {}
    for decision in decisions:
        standing[decision.record_id] = decision
    return standing


def records_then(records, decisions) -> list[tuple]:
    """(record, state when it left, decision standing then) for records with `state_then`."""
    standing = standing_then(decisions)
    return [
        (record, record.state_then or RecordState.NOT_STARTED, standing.get(record.pk))
        for record in records
    ]


@dataclass(frozen=True)
class DecisionLine:
    proficiency: str
    tag: dict
    by: str
    when: str
    note: str


def decisions_here(decisions, trust_id: int) -> list[DecisionLine]:
    """Decisions made at this Trust, newest first."""
    return [
        DecisionLine(
            proficiency=f"{d.record.proficiency.code} {d.record.proficiency.statement}",
            tag=record_tag(d.outcome),
            by=decider(d),
            when=formatting.date_time(d.at),
            note=(("Corrects an earlier decision. " if d.corrects_id else "") + d.note).strip(),
        )
        for d in reversed(decisions)
        if d.trust_id == trust_id
    ]


def moved_away_summary(enrolment, *, lines, left, to_trust_name: str) -> list[dict]:
    return [
        row("Learner", enrolment.learner.full_name),
        row("Framework", enrolment.framework.title),
        row("Progress when it left", completion(lines, enrolment.version.minimum_optional)),
        row(
            "Moved",
            f"{formatting.date_time(left.at)} to {to_trust_name} by {left.event.actor.full_name}",
        ),
    ]
