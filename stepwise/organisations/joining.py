"""Bringing people into a Trust: staff register them (an invitation to set a password, or
a note that they were added), and people who registered through the Trust's link join it
once they confirm their address. The account side (people, single-use links) is the
accounts app's; the membership is made here."""

from django.db import transaction

from stepwise.accounts.models import AccessLink, User, normalise_email
from stepwise.accounts.services import PersonDetails, email_verify, invitation_link_issue
from stepwise.core.email import send_templated_email
from stepwise.core.errors import ConflictError
from stepwise.organisations.models import Membership, MembershipEvent, Organisation, Role
from stepwise.organisations.services import OPEN_STATES, membership_create


def _invitation_email(*, person: User, trust: Organisation, token: str, by) -> None:
    send_templated_email(
        to=person.email,
        template="accounts/emails/invitation",
        context={"person": person, "trust": trust, "token": token, "invited_by": by},
    )


def _added_email(*, person: User, trust: Organisation, by) -> None:
    send_templated_email(
        to=person.email,
        template="accounts/emails/added_to_trust",
        context={"person": person, "trust": trust, "added_by": by},
    )


def person_register(
    *, details: PersonDetails, trust: Organisation, unit: Organisation | None, roles, by
) -> Membership:
    """A member of staff registers a person with their Trust.

    Someone new gets an account and an invitation to set a password; someone who already
    has an account (from another Trust) joins this Trust with the same account.
    """
    email = normalise_email(details.email)
    with transaction.atomic():
        person = User.objects.filter(email=email).first()
        is_new = person is None
        if is_new:
            person = User.objects.create_user(
                email=email,
                full_name=details.full_name,
                job_title=details.job_title,
                registration_body=details.registration_body,
                registration_number=details.registration_number,
            )
        elif Membership.objects.filter(person=person, trust=trust, state__in=OPEN_STATES).exists():
            raise ConflictError(f"{email} is already a member of {trust}.")
        membership = membership_create(person=person, trust=trust, unit=unit, roles=roles, by=by)
        if is_new or not person.has_usable_password():
            invitation_send(membership=membership, by=by)
        else:
            _added_email(person=person, trust=trust, by=by)
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
        MembershipEvent.objects.create(
            membership=membership, kind=MembershipEvent.Kind.INVITED, actor=by
        )
        _invitation_email(person=person, trust=membership.trust, token=token, by=by)
    return link


def email_confirm(*, token: str) -> Membership | None:
    """Follow a self-registration link: the address is proved and the person joins the Trust
    (waiting for approval if the Trust asks for it). Returns the membership."""
    with transaction.atomic():
        link = email_verify(token=token)
        person = link.person
        existing = Membership.objects.filter(
            person=person, trust=link.trust, state__in=OPEN_STATES
        ).first()
        if existing:
            return existing
        trust = Organisation.objects.get(pk=link.trust_id)
        state = (
            Membership.State.AWAITING_APPROVAL
            if trust.registration_requires_approval
            else Membership.State.ACTIVE
        )
        membership = membership_create(
            person=person,
            trust=trust,
            unit=link.unit,
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
