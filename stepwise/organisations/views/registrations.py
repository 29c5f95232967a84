"""Registrations through the Trust's link that wait for a Trust administrator."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.organisations import presenters, services
from stepwise.organisations.access import role_required
from stepwise.organisations.forms import Decision, RegistrationDecisionForm
from stepwise.organisations.models import Membership, Role
from stepwise.organisations.queries import registrations_waiting
from stepwise.organisations.views.people import PAGE_SIZE, scoped_member


@role_required(Role.TRUST_ADMIN)
def approvals(request, *, membership):
    page = Paginator(registrations_waiting(membership.trust), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "organisations/approvals.jinja",
        {
            "rows": presenters.registration_rows(page),
            "count": page.paginator.count,
            "pagination": presenters.pagination(page, request.GET.copy()),
            "trust": membership.trust,
        },
    )


def _decide(member: Membership, decision: str, reason: str, by) -> str:
    name = member.person.full_name
    if decision == Decision.APPROVE:
        services.membership_approve(membership=member, by=by)
        return f"{name} has been approved. We have emailed them to say they can start"
    services.membership_decline(membership=member, by=by, note=reason)
    return f"{name}'s registration has been declined"


@role_required(Role.TRUST_ADMIN)
def approval_decide(request, membership_id: int, *, membership):
    member = scoped_member(membership, membership_id)
    if member.state != Membership.State.AWAITING_APPROVAL:
        messages.error(request, services.conflict_message(member))
        return redirect("organisations:approvals")
    form = RegistrationDecisionForm(
        request.POST or None,
        reason_label="Reason for declining (optional)",
        reason_hint="Kept in their membership history.",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = _decide(member, data["decision"], data["reason"], request.user)
        except ConflictError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect("organisations:approvals")
    return render(
        request,
        "organisations/approval_decide.jinja",
        {
            "form": form,
            "member": member,
            "person_rows": presenters.person_details(member),
            "registration_rows": presenters.registration_details(member),
            "back_link": {"href": reverse("organisations:approvals"), "text": "Back"},
        },
    )
