"""Reading proposed moves. The learner finds only proposals about their own enrolments (the
page starts from them, so anyone else's is a 404); a Trust finds only the proposals it made.
The Trust an enrolment is at now never reads them here: a proposal is between the learner
and the Trust that made it until the learner confirms."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from stepwise.progress.models import (
    ConfirmationRequest,
    Enrolment,
    Evidence,
    ProficiencyRecord,
)
from stepwise.progress.moving_models import MoveProposal
from stepwise.progress.states import EnrolmentState, RecordState

WAITING = MoveProposal.State.WAITING


def learner_proposals(person) -> QuerySet[MoveProposal]:
    """Proposals to move the person's own enrolments, wherever they are."""
    return MoveProposal.objects.filter(enrolment__learner=person).select_related(
        "enrolment__version__framework",
        "enrolment__trust",
        "enrolment__learner",
        "from_trust",
        "to_trust",
        "educator",
        "proposed_by",
        "decided_by",
    )


def proposals_waiting_for(person) -> list[MoveProposal]:
    """The person's proposals waiting for their answer, oldest first (for the home page)."""
    return list(learner_proposals(person).filter(state=WAITING).order_by("proposed_at", "pk"))


def waiting_from(trust, enrolment) -> MoveProposal | None:
    """This Trust's proposal to move the enrolment, if the learner has not answered it."""
    return (
        MoveProposal.objects.filter(to_trust=trust, enrolment=enrolment, state=WAITING)
        .select_related("proposed_by", "to_trust")
        .first()
    )


def proposed_assessors(proposal: MoveProposal) -> list:
    return list(proposal.assessors.order_by("full_name", "pk"))


@dataclass(frozen=True)
class WhatMoves:
    """What confirming would take to the new Trust, and what it would withdraw there."""

    proficiencies: int
    confirmed: int
    evidence: int
    waiting_requests: int
    sign_off_waiting: bool


def what_moves(enrolment: Enrolment) -> WhatMoves:
    """Counted in three queries, whatever the size of the enrolment. Evidence on records of
    earlier versions moves too, so it is counted over the whole enrolment."""
    records = ProficiencyRecord.objects.filter(
        enrolment=enrolment, proficiency__version=enrolment.version_id
    ).aggregate(
        proficiencies=Count("pk"),
        confirmed=Count("pk", filter=Q(state=RecordState.CONFIRMED)),
    )
    return WhatMoves(
        proficiencies=records["proficiencies"],
        confirmed=records["confirmed"],
        evidence=Evidence.objects.filter(
            record__enrolment=enrolment, removed_at__isnull=True
        ).count(),
        waiting_requests=ConfirmationRequest.objects.filter(
            enrolment=enrolment, state=ConfirmationRequest.State.WAITING
        ).count(),
        sign_off_waiting=enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED,
    )
