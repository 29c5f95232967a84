"""The learner's answer to a proposed move: they see what would move and where, and confirm
or decline it, themselves. Proposals are found only among the signed-in person's own
enrolments, so anyone else's (the educator who proposed it included) is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from stepwise.core.errors import ConflictError
from stepwise.progress.presenters import move_proposals as presenters
from stepwise.progress.queries.move_proposals import (
    learner_proposals,
    proposed_assessors,
    what_moves,
)
from stepwise.progress.services.moving import enrolment_move_confirm, enrolment_move_decline


def _own(request, proposal_id: int):
    return get_object_or_404(learner_proposals(request.user), pk=proposal_id)


@require_safe
@login_required
def move_proposal(request, proposal_id: int):
    proposal = _own(request, proposal_id)
    page = presenters.proposal_page(
        proposal, proposed_assessors(proposal), what_moves(proposal.enrolment)
    )
    return render(
        request, "progress/learner/move_proposal.jinja", {"page": page, "proposal": proposal}
    )


@require_POST
@login_required
def move_confirm(request, proposal_id: int):
    proposal = _own(request, proposal_id)
    try:
        enrolment = enrolment_move_confirm(proposal=proposal, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
        return redirect("progress:move_proposal", proposal.pk)
    messages.success(request, presenters.confirmed_message(enrolment))
    return redirect("progress:enrolment", enrolment.pk)


@require_POST
@login_required
def move_decline(request, proposal_id: int):
    proposal = _own(request, proposal_id)
    try:
        enrolment_move_decline(proposal=proposal, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
        return redirect("progress:move_proposal", proposal.pk)
    messages.success(request, presenters.declined_message(proposal))
    return redirect("progress:move_proposal", proposal.pk)
