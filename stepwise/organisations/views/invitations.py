"""A person's own invitations to join a Trust: they see who invites them, as what, and accept
or decline, themselves. Found only among the signed-in person's own memberships, so anyone
else's invitation is a 404, whatever their roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from stepwise.core.errors import ConflictError
from stepwise.organisations import presenters
from stepwise.organisations.access import SESSION_KEY
from stepwise.organisations.invitations import membership_accept, membership_refuse
from stepwise.organisations.queries import invitations_to_join


@require_safe
@login_required
def join_invitations(request):
    return render(
        request,
        "organisations/join_invitations.jinja",
        {"invitations": presenters.join_invitations(invitations_to_join(request.user))},
    )


def _own(request, membership_id: int):
    return get_object_or_404(request.user.memberships.select_related("trust"), pk=membership_id)


@require_POST
@login_required
def join_accept(request, membership_id: int):
    invitation = _own(request, membership_id)
    try:
        member = membership_accept(membership=invitation, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
        return redirect("organisations:join_invitations")
    # They came here to start at the Trust they accepted: work there now.
    request.session[SESSION_KEY] = member.pk
    messages.success(
        request,
        f"You have joined {member.trust.name} as {member.role_names.lower()}. You are now "
        "working there",
    )
    return redirect("core:home")


@require_POST
@login_required
def join_decline(request, membership_id: int):
    invitation = _own(request, membership_id)
    try:
        membership_refuse(membership=invitation, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
        return redirect("organisations:join_invitations")
    messages.success(
        request,
        f"You have declined the invitation to join {invitation.trust.name}. They can see only "
        "that you declined",
    )
    return redirect("organisations:join_invitations")
