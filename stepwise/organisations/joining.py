"""Bringing people into a Trust: staff register them (someone new gets an invitation to set
a password; someone with an account already is invited to join, see invitations.py), and
people who registered through the Trust's link join it once they confirm their address.
The account side (people, single-use links) is the accounts app's; the membership is made
here."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stepwise.accounts.models import AccessLink, User, normalise_email
from stepwise.accounts.services import (
    PersonDetails,
    invitation_link_issue,
    self_registration_confirm,
)
from stepwise.core import formatting
from stepwise.core.email import send_templated_email
from stepwise.core.errors import ConflictError
from stepwise.organisations.invitations import invitation_to_join_send
from stepwise.organisations.models import Membership, MembershipEvent, Organisation, Role
from stepwise.organisations.services import OPEN_STATES, membership_create


def _invitation_email(*, person: User, trust: Organisation, token: str, by) -> None:
    send_templated_email(
        to=person.email,
        template="accounts/emails/invitation",
        context={"person": person, "trust": trust, "token": token, "invited_by": by},
    )


def _account(details: PersonDetails) -> tuple[User, bool]:
    """The account with this address, and whether it was made just now. Two registrations
    of a new address at once meet the unique email constraint: the one that loses finds the
    account (and membership) the other made, committed before its insert failed."""
    email = normalise_email(details.email)
    person = User.objects.filter(email=email).first()
    if person is not None:
        return person, False
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                email=email,
                full_name=details.full_name,
                job_title=details.job_title,
                registration_body=details.registration_body,
                registration_number=details.registration_number,
            )
    except (IntegrityError, ValidationError):
        person = User.objects.filter(email=email).first()
        if person is None:
            raise
        return person, False
    return person, True


def _same_form(form_key, *, trust: Organisation, by, email: str) -> Membership | None:
    """The membership this very form made already (it was sent twice), if it did."""
    if form_key is None:
        return None
    return (
        Membership.objects.filter(
            form_key=form_key, trust=trust, created_by=by, person__email=email
        )
        .select_related("person", "trust", "unit")
        .first()
    )


def _already(person: User, trust: Organisation) -> ConflictError:
    existing = (
        Membership.objects.filter(person=person, trust=trust, state__in=OPEN_STATES)
        .select_related("created_by")
        .first()
    )
    if existing is not None and existing.state == Membership.State.INVITED:
        by = f" by {existing.created_by.full_name}" if existing.created_by_id else ""
        return ConflictError(
            f"{person.email} was invited to join {trust}{by} on "
            f"{formatting.date(existing.created_at)} and has not answered yet."
        )
    if existing is not None and existing.state == Membership.State.AWAITING_APPROVAL:
        return ConflictError(
            f"{person.email} has registered with {trust} and is waiting for approval. "
            "Approve or decline them on the Registrations page."
        )
    return ConflictError(f"{person.email} is already a member of {trust}.")


def person_register(
    *,
    details: PersonDetails,
    trust: Organisation,
    unit: Organisation | None,
    roles,
    by,
    form_key=None,
) -> Membership:
    """A member of staff registers a person with their Trust.

    Someone new gets an account, a membership and an invitation to set a password. Someone
    who has an account already (at another Trust, or none now) is only invited to join
    (organisations.invitations): the membership waits for their own answer.

    `form_key` is the register form's one-off key: the same form sent again, even at the
    same moment, returns the membership the first sending made.
    """
    email = normalise_email(details.email)
    sent_key = form_key
    with transaction.atomic():
        earlier = _same_form(sent_key, trust=trust, by=by, email=email)
        if earlier is not None:
            return earlier
        if form_key is not None and Membership.objects.filter(form_key=form_key).exists():
            # Either the first sending committed a moment ago (look again), or the form was
            # changed and sent again, so its key names another registration.
            earlier = _same_form(sent_key, trust=trust, by=by, email=email)
            if earlier is not None:
                return earlier
            form_key = None
        person, is_new = _account(details)
        try:
            membership = membership_create(
                person=person,
                trust=trust,
                unit=unit,
                roles=roles,
                by=by,
                state=Membership.State.ACTIVE if is_new else Membership.State.INVITED,
                kind=MembershipEvent.Kind.CREATED if is_new else MembershipEvent.Kind.JOIN_INVITED,
                form_key=form_key,
            )
        except ConflictError:
            # The same form sent at the same moment: the other sending won the insert.
            earlier = _same_form(sent_key, trust=trust, by=by, email=email)
            if earlier is not None:
                return earlier
            raise _already(person, trust) from None
        if not is_new:
            invitation_to_join_send(membership=membership, by=by)
        if not person.has_usable_password():
            invitation_send(membership=membership, by=by)
    return membership


def invitation_send(*, membership: Membership, by) -> AccessLink:
    """Send (or send again) an invitation to set a password. Earlier links stop working."""
    person = membership.person
    if membership.state not in OPEN_STATES:
        raise ConflictError(f"{person} is no longer a member of {membership.trust}.")
    if person.has_usable_password():
        raise ConflictError(f"{person} has already set a password and can sign in.")
    with transaction.atomic():
        link, token = invitation_link_issue(
            person=person, by=by, trust=membership.trust, unit=membership.unit
        )
        MembershipEvent.write(membership=membership, kind=MembershipEvent.Kind.INVITED, actor=by)
        _invitation_email(person=person, trust=membership.trust, token=token, by=by)
    return link


def email_confirm(*, token: str, password: str) -> Membership | None:
    """Someone pressed "Confirm" on the page their self-registration link opened: their account
    is made and they join the Trust (waiting for approval if the Trust asks for it). Returns
    the membership, or None when the address had an account already, which is left alone."""
    with transaction.atomic():
        registration = self_registration_confirm(token=token, password=password)
        person, trust = registration.person, registration.trust
        if person is None:
            return None
        state = (
            Membership.State.AWAITING_APPROVAL
            if trust.registration_requires_approval
            else Membership.State.ACTIVE
        )
        membership = membership_create(
            person=person,
            trust=trust,
            unit=registration.unit,
            roles=[Role.LEARNER],
            by=person,
            state=state,
            kind=MembershipEvent.Kind.REGISTERED,
        )
        if state == Membership.State.AWAITING_APPROVAL:
            admins = User.objects.filter(
                memberships__trust=trust,
                memberships__state=Membership.State.ACTIVE,
                memberships__is_trust_admin=True,
            ).values_list("email", flat=True)
            if admins:
                send_templated_email(
                    to=list(admins),
                    template="accounts/emails/approval_needed",
                    context={"person": person, "trust": trust},
                )
    return membership
