"""People's accounts and the single-use links they follow: invitations to set a password,
self-registration through a Trust's link and confirming the address. Joining the Trust
itself is the organisations app's (`stepwise.organisations.joining`)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stepwise.accounts.models import AccessLink, User, normalise_email
from stepwise.core.email import send_templated_email


class LinkError(Exception):
    """The link cannot be used; the message says why and what to do."""


@dataclass
class PersonDetails:
    full_name: str
    email: str
    job_title: str = ""
    registration_body: str = ""
    registration_number: str = ""


def invitation_link_issue(*, person: User, by, trust, unit) -> tuple[AccessLink, str]:
    """A new invitation link for someone to set a password; earlier ones stop working.
    Returns the link and its token (only ever in the email)."""
    with transaction.atomic():
        now = timezone.now()
        AccessLink.objects.filter(
            person=person,
            purpose=AccessLink.Purpose.INVITATION,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
        return AccessLink.issue(
            person=person,
            purpose=AccessLink.Purpose.INVITATION,
            created_by=by,
            trust=trust,
            unit=unit,
        )


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


def self_register(*, details: PersonDetails, password: str, trust, unit) -> None:
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


def email_verify(*, token: str) -> AccessLink:
    """Follow a self-registration link, once: the address is proved. Returns the used link,
    whose Trust and unit say what the person asked to join (the organisations app makes
    the membership)."""
    with transaction.atomic():
        link = _usable_link(token, AccessLink.Purpose.EMAIL_VERIFICATION)
        _claim(link)
        person = link.person
        if person.email_verified_at is None:
            User.objects.filter(pk=person.pk).update(email_verified_at=timezone.now())
    return link
