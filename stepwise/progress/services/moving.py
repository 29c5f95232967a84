"""Moving Trust: a learner's open enrolment follows them to the Trust they have joined, when
they say so.

An educator of the new Trust proposes the move (who will sign it off and assess it there);
the learner confirms it, themselves, and only then does it move, in one transaction that
claims the proposal with a conditional update and writes the MOVED_TRUST event naming the
learner. The learner may decline instead, and the educator may withdraw the proposal.

The enrolment keeps its records, decisions, evidence and history; only where it is from now
on changes. Everything that happened before keeps the Trust it happened at (`trust` on every
event and decision), which is how the old Trust keeps seeing its part and nothing after.
The MOVED_TRUST event is written at the Trust the enrolment leaves: it is the last thing
that Trust sees (queries/prior_record.py reads the destination from the next move, or from
where the enrolment is now). Proposals are not shown to the old Trust.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date_time
from stepwise.frameworks.models import TrustFramework
from stepwise.notifications.services import notify
from stepwise.organisations.models import Membership, Organisation
from stepwise.progress import summaries
from stepwise.progress.models import Enrolment, EnrolmentEvent
from stepwise.progress.moving_models import MoveProposal, MoveProposalEvent
from stepwise.progress.services.common import lock_enrolment, now
from stepwise.progress.services.confirmation import withdraw_waiting
from stepwise.progress.services.enrolment import check_staff
from stepwise.progress.services.sign_off import withdraw_waiting_sign_off
from stepwise.progress.states import (
    ENROLMENT_MOVES,
    EnrolmentEventKind,
    EnrolmentState,
    enrolment_can,
)

WAITING = MoveProposal.State.WAITING
MOVE_PROPOSED_EMAIL = "progress/emails/move_proposed"


def _last_move(enrolment_id: int) -> str:
    """ "by Amara Okafor on 5 March 2026, 2:30pm" for someone who lost a race."""
    event = (
        EnrolmentEvent.objects.filter(
            enrolment_id=enrolment_id, kind=EnrolmentEventKind.MOVED_TRUST
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return f" by {event.actor.full_name} on {date_time(event.at)}" if event else ""


def _check_proposer(*, current: Enrolment, trust, by) -> None:
    staff = Membership.objects.current().filter(trust=trust)
    if by.pk == current.learner_id or not staff.filter(person=by, is_educator=True).exists():
        raise ConflictError(
            f"Only an educator of {trust.name} can propose moving an enrolment there."
        )


def _check_move(*, current: Enrolment, expected_trust_id: int, trust, educator, assessors):
    """Everything that must hold for an enrolment to move, checked when it is proposed and
    again when the learner confirms; the first problem found is raised as the message."""
    if trust.kind != Organisation.Kind.TRUST:
        raise ConflictError("Choose a Trust to move the enrolment to.")
    if current.trust_id == trust.pk:
        raise ConflictError(
            f"This enrolment is already at {trust.name}: it was moved{_last_move(current.pk)}. "
            "Nothing was changed."
        )
    if current.trust_id != expected_trust_id:
        raise ConflictError(
            f"This enrolment moved to {current.trust.name}{_last_move(current.pk)} in the "
            "meantime. Nothing was changed."
        )
    if not enrolment_can(EnrolmentEventKind.MOVED_TRUST, current.state):
        raise ConflictError(
            f"This enrolment is {current.get_state_display().lower()}, so it cannot move. "
            "It stays in the learner's record at "
            f"{current.trust.name}."
        )
    staff = Membership.objects.current().filter(trust=trust)
    if not staff.filter(person_id=current.learner_id, is_learner=True).exists():
        raise ConflictError(
            f"{current.learner.full_name} is not a learner at {trust.name}. Give them the "
            "learner role on their person page first."
        )
    if not TrustFramework.objects.filter(trust=trust, framework_id=current.framework_id).exists():
        raise ConflictError(
            f"{trust.name} does not offer {current.version.framework.title}. A Trust "
            "administrator can add it to the frameworks the Trust offers."
        )
    if educator.pk == current.learner_id or any(a.pk == current.learner_id for a in assessors):
        raise ConflictError("Learners cannot sign off or assess their own enrolment.")
    check_staff(trust=trust, educator=educator, assessors=assessors)


def _waiting_message(proposal: MoveProposal) -> str:
    return (
        f"{proposal.proposed_by.full_name} proposed moving this enrolment to "
        f"{proposal.to_trust.name} on {date_time(proposal.proposed_at)}. It is waiting for "
        f"{proposal.enrolment.learner.full_name} to confirm. Nothing was changed."
    )


def enrolment_move_propose(*, enrolment, trust, educator, assessors, by) -> MoveProposal:
    """An educator of the learner's new Trust proposes moving their open enrolment there,
    with a new educator and default assessors. Nothing moves: the learner is asked, in the
    app and by email, to confirm or decline. One waiting proposal per enrolment and Trust;
    two educators proposing at once: one proposal, and the other is told whose it is."""
    assessors = list(assessors)
    expected_trust_id = enrolment.trust_id
    if trust.kind != Organisation.Kind.TRUST:
        raise ConflictError("Choose a Trust to move the enrolment to.")
    with transaction.atomic():
        current = lock_enrolment(enrolment)
        _check_proposer(current=current, trust=trust, by=by)
        _check_move(
            current=current,
            expected_trust_id=expected_trust_id,
            trust=trust,
            educator=educator,
            assessors=assessors,
        )
        waiting = (
            MoveProposal.objects.filter(enrolment=current, to_trust=trust, state=WAITING)
            .select_related("proposed_by", "to_trust", "enrolment__learner")
            .first()
        )
        if waiting is not None:
            raise ConflictError(_waiting_message(waiting))
        try:
            with transaction.atomic():
                proposal = MoveProposal.objects.create(
                    enrolment=current,
                    from_trust=current.trust,
                    to_trust=trust,
                    educator=educator,
                    proposed_by=by,
                )
        except IntegrityError as error:
            raise ConflictError(
                f"Someone else proposed moving this enrolment to {trust.name} a moment ago. "
                "Nothing was changed."
            ) from error
        proposal.assessors.set(assessors)
        MoveProposalEvent.write(
            proposal=proposal,
            kind=MoveProposalEvent.Kind.PROPOSED,
            actor=by,
            to_state=WAITING,
            at=proposal.proposed_at,
            note=_terms(educator, assessors),
        )
        learner = current.learner
        notify(
            person=learner,
            text=(
                f"{by.full_name} of {trust.name} proposes moving your {current.version} "
                f"enrolment there. It moves only if you confirm."
            ),
            url=reverse("progress:move_proposal", args=[proposal.pk]),
            email_template=MOVE_PROPOSED_EMAIL,
            context={"proposal": proposal, "enrolment": current, "trust": trust, "by": by},
        )
    return proposal


def _terms(educator, assessors, *, start: str = "Educator") -> str:
    return f"{start} {educator.full_name}; assessors: " + (
        ", ".join(a.full_name for a in assessors) or "none"
    )


def _decided_message(proposal: MoveProposal) -> str:
    """Why a proposal cannot be confirmed, declined or withdrawn now: it already was, by
    whom and when."""
    current = MoveProposal.objects.select_related("decided_by", "to_trust").get(pk=proposal.pk)
    who = f" by {current.decided_by.full_name}" if current.decided_by_id else ""
    when = f" on {date_time(current.decided_at)}" if current.decided_at else ""
    return (
        f"This proposal to move to {current.to_trust.name} was already "
        f"{current.get_state_display().lower().removesuffix(' by the learner')}{who}{when}. "
        "Nothing was changed."
    )


def _close(proposal: MoveProposal, *, to_state, kind, by, at, note="") -> None:
    """Claim a waiting proposal with a conditional update, and write its event."""
    claimed = MoveProposal.objects.filter(pk=proposal.pk, state=WAITING).update(
        state=to_state, decided_by=by, decided_at=at
    )
    if not claimed:
        raise ConflictError(_decided_message(proposal))
    MoveProposalEvent.write(
        proposal=proposal,
        kind=kind,
        actor=by,
        from_state=WAITING,
        to_state=to_state,
        at=at,
        note=note,
    )


def enrolment_move_confirm(*, proposal: MoveProposal, by) -> Enrolment:
    """The learner confirms a proposed move, themselves: the enrolment moves to the new
    Trust with the proposed educator and assessors. Requests waiting at the old Trust are
    withdrawn, with events saying why; other Trusts' waiting proposals lapse; nothing else
    changes and nothing is deleted. Confirming twice, or two proposals at once: one move,
    and a message saying what happened."""
    with transaction.atomic(), summaries.kept() as kept:
        current = lock_enrolment(proposal.enrolment)
        kept.watch(current.pk)
        if by.pk != current.learner_id:
            raise ConflictError("Only the learner can confirm moving their enrolment.")
        at = now()
        _close(
            proposal,
            to_state=MoveProposal.State.CONFIRMED,
            kind=MoveProposalEvent.Kind.CONFIRMED,
            by=by,
            at=at,
        )
        proposal = MoveProposal.objects.select_related(
            "from_trust", "to_trust", "educator", "proposed_by"
        ).get(pk=proposal.pk)
        trust, educator = proposal.to_trust, proposal.educator
        assessors = list(proposal.assessors.all())
        _check_move(
            current=current,
            expected_trust_id=proposal.from_trust_id,
            trust=trust,
            educator=educator,
            assessors=assessors,
        )
        _move(current, proposal=proposal, assessors=assessors, by=by, at=at)
        for other in MoveProposal.objects.filter(enrolment=current, state=WAITING):
            _close(
                other,
                to_state=MoveProposal.State.WITHDRAWN,
                kind=MoveProposalEvent.Kind.WITHDRAWN,
                by=by,
                at=at,
                note=f"The learner moved the enrolment to {trust.name} instead",
            )
        for person in {proposal.proposed_by, educator}:
            notify(
                person=person,
                text=(
                    f"{current.learner.full_name} confirmed moving their {current.version} "
                    f"enrolment to {trust.name}. {educator.full_name} will sign it off."
                ),
                url=reverse("progress:enrolment_manage", args=[current.pk]),
            )
    proposal.enrolment.refresh_from_db()
    return proposal.enrolment


def _move(current: Enrolment, *, proposal: MoveProposal, assessors, by, at) -> None:
    """Inside the confirmation: the move itself, guarded by a conditional update."""
    old_trust, trust, educator = current.trust, proposal.to_trust, proposal.educator
    note = (
        f"Withdrawn because the enrolment moved from {old_trust.name} to {trust.name}: "
        f"ask for confirmation again at {trust.name}"
    )
    withdrawn = withdraw_waiting(enrolment=current, by=by, at=at, note=note)
    if current.state == EnrolmentState.SIGN_OFF_REQUESTED:
        withdraw_waiting_sign_off(
            enrolment=current,
            by=by,
            note=(
                f"Withdrawn because the enrolment moved to {trust.name}: ask for sign-off "
                f"again at {trust.name}"
            ),
        )
    unit = (
        Membership.objects.current()
        .get(trust=trust, person_id=current.learner_id, is_learner=True)
        .unit
    )
    moved = Enrolment.objects.filter(
        pk=current.pk,
        trust_id=old_trust.pk,
        state__in=ENROLMENT_MOVES[EnrolmentEventKind.MOVED_TRUST],
    ).update(trust=trust, unit=unit, educator=educator)
    if not moved:
        raise ConflictError(
            f"This enrolment moved a moment ago{_last_move(current.pk)}. Nothing was changed."
        )
    current.assessors.set(assessors)
    EnrolmentEvent.write(
        enrolment=current,
        kind=EnrolmentEventKind.MOVED_TRUST,
        # The learner moved it: the proposal only asked.
        actor=by,
        from_state=EnrolmentState.ACTIVE,
        to_state=EnrolmentState.ACTIVE,
        # Written at the Trust it leaves: the last line of that Trust's part.
        trust=old_trust,
        at=at,
        note=(
            f"From {old_trust.name} to {trust.name}, on {current.version}; confirmed by "
            f"{by.full_name} (the learner), proposed by {proposal.proposed_by.full_name} on "
            f"{date_time(proposal.proposed_at)}; {_terms(educator, assessors, start='educator')}"
            + (f"; {withdrawn} waiting for confirmation withdrawn" if withdrawn else "")
        ),
    )


def enrolment_move_decline(*, proposal: MoveProposal, by) -> MoveProposal:
    """The learner declines a proposed move: nothing moves, and the educator who proposed it
    is told."""
    with transaction.atomic():
        if by.pk != proposal.enrolment.learner_id:
            raise ConflictError("Only the learner can decline moving their enrolment.")
        _close(
            proposal,
            to_state=MoveProposal.State.DECLINED,
            kind=MoveProposalEvent.Kind.DECLINED,
            by=by,
            at=now(),
        )
        notify(
            person=proposal.proposed_by,
            text=(
                f"{by.full_name} declined moving their {proposal.enrolment.version} enrolment "
                f"to {proposal.to_trust.name}."
            ),
        )
    proposal.refresh_from_db()
    return proposal


def enrolment_move_withdraw(*, proposal: MoveProposal, by) -> MoveProposal:
    """An educator of the Trust that proposed a move takes it back before the learner
    answers."""
    with transaction.atomic():
        staff = Membership.objects.current().filter(trust=proposal.to_trust, is_educator=True)
        if not staff.filter(person=by).exists():
            raise ConflictError(
                f"Only an educator of {proposal.to_trust.name} can withdraw this proposal."
            )
        _close(
            proposal,
            to_state=MoveProposal.State.WITHDRAWN,
            kind=MoveProposalEvent.Kind.WITHDRAWN,
            by=by,
            at=now(),
        )
    proposal.refresh_from_db()
    return proposal
