"""What the learner's page about a proposed move shows: who proposes moving which enrolment
where, what would move with it, what would be withdrawn, what the old Trust keeps; and,
once answered, what happened. Prepared from loaded objects; tested without a database."""

from dataclasses import dataclass

from stepwise.core import formatting
from stepwise.core.page_urls import page_url
from stepwise.progress.moving_models import MoveProposal
from stepwise.progress.presenters.staff import row

WAITING = MoveProposal.State.WAITING


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def heading(proposal: MoveProposal) -> str:
    return (
        f"{proposal.to_trust.name} proposes moving your {proposal.enrolment.version} "
        "enrolment there"
    )


def summary(proposal: MoveProposal, assessors) -> list[dict]:
    return [
        row("Framework", str(proposal.enrolment.version)),
        row("Now at", proposal.from_trust.name),
        row("Moving to", proposal.to_trust.name),
        row("Educator who would sign it off", proposal.educator.full_name),
        row("Assessors there", ", ".join(a.full_name for a in assessors) or "None chosen yet"),
        row(
            "Proposed by",
            f"{proposal.proposed_by.full_name} on {formatting.date_time(proposal.proposed_at)}",
        ),
    ]


def what_moves(moves) -> list[str]:
    """The enrolment and everything in it: nothing is left behind or copied."""
    return [
        f"Your enrolment, with its {_plural(moves.proficiencies, 'proficiency', 'proficiencies')}"
        f" ({moves.confirmed:,} confirmed) and their history",
        f"Your evidence: {_plural(moves.evidence, 'file', 'files')}",
    ]


def what_is_withdrawn(moves, proposal: MoveProposal) -> list[str]:
    """What waits at the old Trust and cannot be decided there once the enrolment leaves."""
    old, new = proposal.from_trust.name, proposal.to_trust.name
    withdrawn = []
    if moves.waiting_requests:
        withdrawn.append(
            f"{_plural(moves.waiting_requests, 'request', 'requests')} for confirmation "
            f"waiting at {old}: you can ask again at {new}"
        )
    if moves.sign_off_waiting:
        withdrawn.append(f"Your request for sign-off: you can ask again at {new}")
    return withdrawn


def outcome(proposal: MoveProposal) -> str:
    """What happened to a proposal that is no longer waiting."""
    when = formatting.date_time(proposal.decided_at) if proposal.decided_at else ""
    by = proposal.decided_by.full_name if proposal.decided_by_id else ""
    trust = proposal.to_trust.name
    if proposal.state == MoveProposal.State.CONFIRMED:
        return f"You confirmed this move on {when}. Your enrolment is at {trust} now."
    if proposal.state == MoveProposal.State.DECLINED:
        return f"You declined this move on {when}. Your enrolment stayed where it was."
    return f"This proposal was withdrawn by {by} on {when}. Nothing moved."


@dataclass(frozen=True)
class ProposalPage:
    heading: str
    summary: list[dict]
    moves: list[str]
    withdrawn: list[str]
    keeps: str
    waiting: bool
    outcome: str
    confirm_href: str
    decline_href: str


def proposal_page(proposal: MoveProposal, assessors, moves) -> ProposalPage:
    return ProposalPage(
        heading=heading(proposal),
        summary=summary(proposal, assessors),
        moves=what_moves(moves),
        withdrawn=what_is_withdrawn(moves, proposal),
        keeps=(
            f"{proposal.from_trust.name} keeps seeing what happened while you were there, "
            "but nothing after the move."
        ),
        waiting=proposal.state == WAITING,
        outcome="" if proposal.state == WAITING else outcome(proposal),
        confirm_href=page_url("progress:move_confirm", proposal.pk),
        decline_href=page_url("progress:move_decline", proposal.pk),
    )


def confirmed_message(enrolment) -> str:
    return (
        f"Your {enrolment.version} enrolment has moved to {enrolment.trust.name}. "
        f"{enrolment.educator.full_name} will sign it off"
    )


def declined_message(proposal: MoveProposal) -> str:
    return (
        f"You have declined moving your {proposal.enrolment.version} enrolment to "
        f"{proposal.to_trust.name}. Nothing moved"
    )
