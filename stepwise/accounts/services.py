"""Bringing people in: invitations by staff, self-registration through a Trust's link,
and following the single-use links those send."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stepwise.accounts.models import AccessLink, User, normalise_email
from stepwise.core.email import send_templated_email
from stepwise.core.errors import ConflictError
from stepwise.organisations.models import Membership, MembershipEvent, Organisation, Role
from stepwise.organisations.services import OPEN_STATES, membership_create


class LinkError(Exception):
    """The link cannot be used; the message says why and what to do."""


@dataclass
class PersonDetails:
    full_name: str
    email: str
    job_title: str = ""
    registration_body: str = ""
    registration_number: str = ""


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
        now = timezone.now()
        AccessLink.objects.filter(
            person=person,
            purpose=AccessLink.Purpose.INVITATION,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
        link, token = AccessLink.issue(
            person=person,
            purpose=AccessLink.Purpose.INVITATION,
            created_by=by,
            trust=membership.trust,
            unit=membership.unit,
        )
        MembershipEvent.objects.create(
            membership=membership, kind=MembershipEvent.Kind.INVITED, actor=by
        )
        _invitation_email(person=person, trust=membership.trust, token=token, by=by)
    return link


def _usable_link(token: str, purpose: str) -> AccessLink:
    link = AccessLink.objects.find(token, purpose)
    if link is None:
        raise LinkError("This link is not valid. Check you copied the whole link from the email.")
    if link.is_used:
        raise LinkError("This link has already been used. Sign in, or reset your password.")
    if link.is_expired:
        raise LinkError(
            "This link has expired. Ask your Trust administrator or educator to send a new one."
        )
    return link


def invitation_check(*, token: str) -> AccessLink:
    return _usable_link(token, AccessLink.Purpose.INVITATION)


def _claim(link: AccessLink) -> None:
    """Mark the link used, once: a double-submitted form cannot use it twice."""
    claimed = AccessLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise LinkError("This link has already been used. Sign in, or reset your password.")


def invitation_accept(*, token: str, password: str) -> User:
    with transaction.atomic():
        link = invitation_check(token=token)
        _claim(link)
        person = link.person
        person.set_password(password)
        # Following a link we emailed proves the address.
        person.email_verified_at = person.email_verified_at or timezone.now()
        person.save(update_fields=["password", "email_verified_at"])
    return person


def self_register(
    *, details: PersonDetails, password: str, trust: Organisation, unit: Organisation | None
) -> None:
    """Someone registers through their Trust's link. We email a link to confirm the address;
    following it joins the Trust. The page and the email never tell a stranger whether the
    address already has an account."""
    email = normalise_email(details.email)
    with transaction.atomic():
        person = User.objects.filter(email=email).first()
        if person is None:
            person = User.objects.create_user(
                email=email,
                password=password,
                full_name=details.full_name,
                job_title=details.job_title,
                registration_body=details.registration_body,
                registration_number=details.registration_number,
            )
        elif person.email_verified_at is None:
            # Nobody has proved this address yet, so the newest registration wins.
            person.full_name = details.full_name
            person.job_title = details.job_title
            person.registration_body = details.registration_body
            person.registration_number = details.registration_number
            person.set_password(password)
            person.save()
        _link, token = AccessLink.issue(
            person=person, purpose=AccessLink.Purpose.EMAIL_VERIFICATION, trust=trust, unit=unit
        )
        send_templated_email(
            to=email,
            template="accounts/emails/confirm_email",
            context={"person": person, "trust": trust, "token": token},
        )


def email_confirm(*, token: str) -> Membership | None:
    """Follow a self-registration link: the address is proved and the person joins the Trust
    (waiting for approval if the Trust asks for it). Returns the membership."""
    with transaction.atomic():
        link = _usable_link(token, AccessLink.Purpose.EMAIL_VERIFICATION)
        _claim(link)
        person = link.person
        if person.email_verified_at is None:
            User.objects.filter(pk=person.pk).update(email_verified_at=timezone.now())
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
