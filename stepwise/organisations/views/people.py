"""The Trust's people: find them, register them, see their membership, change their roles,
end their membership, send their invitation again, withdraw an invitation to join."""

from dataclasses import fields

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stepwise.accounts.services import PersonDetails
from stepwise.core import access_log
from stepwise.core.errors import ConflictError
from stepwise.core.security_log import SUCCESS, log_event
from stepwise.organisations import presenters, rules, services
from stepwise.organisations.access import role_required
from stepwise.organisations.forms import (
    MembershipRolesForm,
    PeopleFilterForm,
    PersonRegisterForm,
    ReasonForm,
)
from stepwise.organisations.invitations import membership_withdraw_invitation
from stepwise.organisations.joining import invitation_send
from stepwise.organisations.joining import person_register as register_person
from stepwise.organisations.models import Membership, Role
from stepwise.organisations.queries import (
    membership_history,
    trust_members,
    trust_people,
    trust_units,
)

PAGE_SIZE = 25
STAFF = (Role.TRUST_ADMIN, Role.EDUCATOR)


def scoped_member(membership: Membership, membership_id: int) -> Membership:
    """A membership of the viewer's own Trust, or 404: another Trust's id finds nothing."""
    return get_object_or_404(trust_members(membership.trust), pk=membership_id)


@role_required(*STAFF)
def people(request, *, membership):
    units = trust_units(membership.trust)
    form = PeopleFilterForm(request.GET or None, units=units)
    found = trust_people(membership.trust, **form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/people.jinja",
        {
            "form": form,
            "rows": presenters.person_rows(page),
            "showing": presenters.showing(page),
            "pagination": presenters.pagination(page, query),
            "trust": membership.trust,
            "may_upload": membership.has_role(Role.TRUST_ADMIN),
        },
    )


def _registered_message(member: Membership) -> str:
    person = member.person
    if member.state == Membership.State.INVITED:
        return (
            f"{person.email} already has a Stepwise account, so we have invited them to join "
            f"{member.trust.name}. They join when they accept; until then you see only their "
            "name and email"
        )
    return (
        f"{person.full_name} has been registered. We have emailed an invitation to set a "
        f"password to {person.email}"
    )


@role_required(*STAFF)
def person_register(request, *, membership):
    form = PersonRegisterForm(
        request.POST or None,
        trust=membership.trust,
        grantable=rules.roles_grantable(membership),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = PersonDetails(**{field.name: data[field.name] for field in fields(PersonDetails)})
        try:
            member = register_person(
                details=details,
                trust=membership.trust,
                unit=data["unit"],
                roles=data["roles"],
                by=request.user,
                form_key=data["form_key"],
            )
        except ConflictError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _registered_message(member))
            return redirect("organisations:person_detail", member.pk)
    return render(
        request,
        "organisations/person_register.jinja",
        {"form": form, "trust": membership.trust},
    )


@role_required(*STAFF)
def person_detail(request, membership_id: int, *, membership):
    member = scoped_member(membership, membership_id)
    access_log.record(
        request,
        what="Viewed their details and history",
        subject=member.person_id,
        trust=member.trust_id,
    )
    return render(
        request,
        "organisations/person_detail.jinja",
        {
            "member": member,
            "person_rows": presenters.person_details(member),
            "membership_rows": presenters.membership_details(member, membership),
            "history": presenters.history(membership_history(member)),
            "actions": presenters.person_actions(member, membership),
            # A subject access request is answered by the Trust's administrators.
            "may_export_data": membership.is_trust_admin,
            "back_link": {"href": reverse("organisations:people"), "text": "Back to people"},
        },
    )


def _refuse(request, member: Membership, problem: str):
    messages.error(request, problem)
    return redirect("organisations:person_detail", member.pk)


@role_required(Role.TRUST_ADMIN)
def person_roles(request, membership_id: int, *, membership):
    member = scoped_member(membership, membership_id)
    if member.state == Membership.State.INVITED:
        return _refuse(request, member, services.roles_wait_for_answer_message(member))
    if not rules.roles_changeable(member):
        return _refuse(request, member, services.conflict_message(member))
    form = MembershipRolesForm(
        request.POST or None,
        member=member,
        viewer=membership,
        grantable=rules.roles_grantable(membership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_roles(
                membership=member,
                roles=form.cleaned_data["roles"],
                unit=form.cleaned_data["unit"],
                by=request.user,
            )
        except ConflictError as error:
            return _refuse(request, member, str(error))
        messages.success(request, f"{member.person.full_name}'s roles and unit have been saved")
        return redirect("organisations:person_detail", member.pk)
    return render(request, "organisations/person_roles.jinja", {"form": form, "member": member})


@role_required(*STAFF)
def membership_end(request, membership_id: int, *, membership):
    member = scoped_member(membership, membership_id)
    if member.person_id == request.user.pk:
        return _refuse(
            request, member, "You cannot end your own membership. Ask a Trust administrator"
        )
    if not rules.may_end(membership, member):
        raise PermissionDenied
    if member.state == Membership.State.AWAITING_APPROVAL:
        return _refuse(
            request,
            member,
            f"{member.person.full_name} is waiting for approval: a Trust administrator "
            "approves or declines the registration instead",
        )
    if member.state == Membership.State.INVITED:
        return _refuse(
            request,
            member,
            f"{member.person.full_name} has not accepted the invitation to join yet: withdraw "
            "the invitation instead",
        )
    if not rules.is_open(member):
        return _refuse(request, member, services.conflict_message(member))
    form = ReasonForm(
        request.POST or None,
        reason_hint="Kept in their membership history, for example "
        '"Moved to another Trust" or "Left the unit".',
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=member, by=request.user, note=form.cleaned_data["reason"]
            )
        except ConflictError as error:
            return _refuse(request, member, str(error))
        log_event(
            "membership_ended",
            outcome=SUCCESS,
            request=request,
            subject_id=member.person_id,
            trust_id=member.trust_id,
            membership_id=member.pk,
        )
        messages.success(
            request,
            f"{member.person.full_name}'s membership of {member.trust.name} has ended. "
            "Their record and history are kept",
        )
        return redirect("organisations:person_detail", member.pk)
    return render(request, "organisations/membership_end.jinja", {"form": form, "member": member})


@role_required(*STAFF)
@require_POST
def invitation_resend(request, membership_id: int, *, membership):
    member = scoped_member(membership, membership_id)
    try:
        invitation_send(membership=member, by=request.user)
    except ConflictError as error:
        return _refuse(request, member, str(error))
    messages.success(
        request,
        f"We have emailed a new invitation to {member.person.email}. Earlier links no longer work",
    )
    return redirect("organisations:person_detail", member.pk)


@role_required(*STAFF)
@require_POST
def invitation_withdraw(request, membership_id: int, *, membership):
    member = scoped_member(membership, membership_id)
    if not rules.may_end(membership, member):
        raise PermissionDenied
    try:
        membership_withdraw_invitation(membership=member, by=request.user)
    except ConflictError as error:
        return _refuse(request, member, str(error))
    messages.success(
        request,
        f"The invitation to {member.person.email} to join {member.trust.name} is withdrawn",
    )
    return redirect("organisations:person_detail", member.pk)


@role_required(Role.TRUST_ADMIN)
def two_step_reset(request, membership_id: int, *, membership):
    member = scoped_member(membership, membership_id)
    if member.person_id == request.user.pk:
        return _refuse(
            request,
            member,
            "You cannot reset your own two-step sign-in. Use one of your recovery codes, or ask "
            "another Trust administrator",
        )
    if not rules.may_reset_two_step(membership, member):
        return _refuse(
            request,
            member,
            f"{member.person.full_name}'s two-step sign-in cannot be reset here: only for "
            "someone working in the Trust now, and not for a platform administrator",
        )
    if request.method == "POST":
        services.two_step_sign_in_reset(membership=member, by=request.user)
        messages.success(
            request,
            f"{member.person.full_name}'s two-step sign-in has been reset and they have been "
            "signed out. They will set up an authenticator app when they next sign in",
        )
        return redirect("organisations:person_detail", member.pk)
    return render(request, "organisations/two_step_reset.jinja", {"member": member})
