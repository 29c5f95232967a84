"""People's accounts and the single-use links they follow: invitations to set a password,
self-registration through a Trust's link and confirming the address, which makes the
account; and the single sign-on identities linked to accounts. Joining the Trust itself is the
organisations app's (`organisations.joining`)."""

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from stepwise.accounts.models import (
    AccessLink,
    AccountEvent,
    SelfRegistration,
    SingleSignOnLink,
    User,
    normalise_email,
)
from stepwise.core.email import send_templated_email
from stepwise.core.security_log import SUCCESS, log_event


class LinkError(Exception):
    """The link cannot be used; the message says why and what to do."""


class WrongPassword(Exception):
    """The password given to confirm a registration is not the one chosen when registering."""


WRONG_REGISTRATION_PASSWORD = (
    "The password is not the one you chose when you registered. Enter that password, or "
    "register again through your Trust's registration link"
)


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
    """Someone registers through their Trust's link. A new address gets an email with a link
    to confirm it; nothing else exists until they do. An address that has an account already
    gets an email saying so, and the account is left exactly as it was. The page answers the
    same either way, so it never tells a stranger whether an address has an account."""
    # Hashed whichever way it goes, so the answer takes as long for a known address.
    password_hash = make_password(password)
    email = normalise_email(details.email)
    with transaction.atomic():
        # Registrations nobody confirmed in time keep no password hash.
        SelfRegistration.objects.filter(
            state=SelfRegistration.State.WAITING, expires_at__lte=timezone.now()
        ).exclude(password="").update(password="")
        person = User.objects.filter(email=email).first()
        if person is not None:
            _registration_attempt_email(person=person, trust=trust)
            return
        # Only the newest registration of an address can be confirmed (at any Trust): earlier
        # links stop working, so confirming never makes an account from someone else's.
        now = timezone.now()
        SelfRegistration.objects.filter(
            email=email, state=SelfRegistration.State.WAITING, expires_at__gt=now
        ).update(expires_at=now, password="")
        registration, token = SelfRegistration.build(
            details=details, password_hash=password_hash, trust=trust, unit=unit
        )
        registration.save(force_insert=True)
        send_templated_email(
            to=email,
            template="accounts/emails/confirm_email",
            context={"registration": registration, "trust": trust, "token": token},
        )


def _registration_attempt_email(*, person: User, trust) -> None:
    invitation = (
        AccessLink.objects.filter(
            person=person,
            purpose=AccessLink.Purpose.INVITATION,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("trust")
        .first()
    )
    send_templated_email(
        to=person.email,
        template="accounts/emails/registration_attempt",
        context={
            "person": person,
            "trust": trust,
            "invitation": invitation,
            "has_password": person.has_usable_password(),
            "can_sign_in": person.is_active
            and person.has_usable_password()
            and person.email_verified_at is not None,
        },
    )


def self_registration_check(*, token: str) -> SelfRegistration:
    """The registration a confirmation link is for, if it still waits; LinkError if not."""
    registration = SelfRegistration.objects.find(token)
    if registration is None:
        raise LinkError("This link is not valid. Check you copied the whole link from the email.")
    if registration.state != SelfRegistration.State.WAITING:
        raise LinkError("This link has already been used. Sign in, or reset your password.")
    if registration.is_expired:
        raise LinkError(
            "This link has expired. Register again through your Trust's registration link."
        )
    return registration


def self_registration_confirm(*, token: str, password: str) -> SelfRegistration:
    """The person pressed "Confirm" on the page their link opened, which proves the address,
    and gave the password they registered with, which proves they are who registered (not
    someone who typed their address): the account is made with those details and password.
    If the address has an account by now (staff registered them meanwhile, say), that account
    is left as it is. Returns the registration: its `person` is the new account, or None.
    WrongPassword if the password is not the one chosen; nothing changes."""
    with transaction.atomic():
        registration = self_registration_check(token=token)
        if not check_password(password, registration.password):
            raise WrongPassword(WRONG_REGISTRATION_PASSWORD)
        now = timezone.now()
        person = None
        if not User.objects.filter(email=registration.email).exists():
            person = _account_create(registration, verified_at=now)
        state = (
            SelfRegistration.State.CONFIRMED if person else SelfRegistration.State.ACCOUNT_EXISTED
        )
        claimed = SelfRegistration.objects.filter(
            pk=registration.pk, state=SelfRegistration.State.WAITING
        ).update(
            state=state,
            person=person,
            confirmed_at=now,
            password="",  # the hash is the account's now, or nobody's
        )
        if not claimed:
            # Pressed twice at once: this one loses, and the account it made is rolled back.
            raise LinkError("This link has already been used. Sign in, or reset your password.")
    registration.state, registration.person, registration.confirmed_at = state, person, now
    registration.password = ""
    return registration


def _account_create(registration: SelfRegistration, *, verified_at) -> User | None:
    """The registration's account, or None if the address was taken a moment ago."""
    person = User(
        email=registration.email,
        full_name=registration.full_name,
        job_title=registration.job_title,
        registration_body=registration.registration_body,
        registration_number=registration.registration_number,
        password=registration.password,
        email_verified_at=verified_at,
    )
    try:
        with transaction.atomic():
            person.save(force_insert=True)
    except IntegrityError:
        return None
    return person


def sessions_end(*, person: User) -> None:
    """Sign the person out everywhere at once: every session they hold, on any device, is
    refused at its next request (the session hash changes). Their password and record stay."""
    User.objects.filter(pk=person.pk).update(session_generation=F("session_generation") + 1)
    transaction.on_commit(
        lambda: log_event("sessions_ended", outcome=SUCCESS, subject_id=person.pk)
    )


class SingleSignOnRefused(Exception):
    """The provider vouched for someone this service will not sign in; the message says why."""


def _sso_refusals(provider: str) -> dict[str, str]:
    ask = "Ask your Trust's Stepwise administrator or educator to invite you"
    return {
        "no_email": (
            f"{provider} did not give us an email address it has checked, so we cannot tell "
            f"which Stepwise account is yours. {ask}, or sign in with your email address and "
            "password"
        ),
        "no_account": (
            f"There is no Stepwise account for the email address {provider} has for you. "
            f"Stepwise accounts are made by invitation. {ask}, then sign in again"
        ),
        "inactive": (
            "Your Stepwise account has been closed. If you still need it, ask your Trust's "
            "Stepwise administrator"
        ),
        "unlinked": (
            f"This {provider} account was unlinked from your Stepwise account. Sign in with "
            "your email address and password"
        ),
        "other_identity": (
            f"Your Stepwise account is linked to a different {provider} account. Sign in with "
            "that one, or with your email address and password"
        ),
    }


def sso_sign_in(*, identity, provider: str) -> User:
    """The account an identity the provider vouched for signs in to. Found by the identity's
    live link first; else by the address the provider has verified, to an existing active
    account, which is then linked (an event says so). Never makes an account, a membership or
    a role: anyone else gets SingleSignOnRefused saying to ask their Trust for an invitation."""
    refusals = _sso_refusals(provider)
    now = timezone.now()
    with transaction.atomic():
        link = (
            SingleSignOnLink.objects.select_related("person")
            .filter(issuer=identity.issuer, subject=identity.subject, unlinked_at__isnull=True)
            .first()
        )
        if link is not None:
            if not link.person.is_active:
                raise SingleSignOnRefused(refusals["inactive"])
            SingleSignOnLink.objects.filter(pk=link.pk).update(last_used_at=now)
            return link.person
        if not identity.email or not identity.email_verified:
            raise SingleSignOnRefused(refusals["no_email"])
        person = User.objects.filter(email=normalise_email(identity.email)).first()
        if person is None:
            raise SingleSignOnRefused(refusals["no_account"])
        if not person.is_active:
            raise SingleSignOnRefused(refusals["inactive"])
        earlier = SingleSignOnLink.objects.filter(person=person, issuer=identity.issuer)
        if earlier.filter(subject=identity.subject).exists():
            # The person unlinked this identity: their address alone never links it again.
            raise SingleSignOnRefused(refusals["unlinked"])
        if earlier.filter(unlinked_at__isnull=True).exists():
            raise SingleSignOnRefused(refusals["other_identity"])
        link = _sso_link_make(person=person, identity=identity, now=now)
        if link is None:
            # Linked by a sign-in a moment ago (two tabs): that link stands.
            return _sso_sign_in_again(identity=identity, refusals=refusals, now=now)
        if person.email_verified_at is None:
            # The provider checked the address, which is what confirming it with us proves.
            User.objects.filter(pk=person.pk, email_verified_at__isnull=True).update(
                email_verified_at=now
            )
        AccountEvent.write(
            kind=AccountEvent.Kind.SSO_LINKED,
            actor=person,
            person=person,
            sso_link=link,
            note=f"{provider}: {identity.issuer} subject {identity.subject}",
        )
    return person


def _sso_link_make(*, person: User, identity, now) -> SingleSignOnLink | None:
    link = SingleSignOnLink(
        person=person,
        issuer=identity.issuer,
        subject=identity.subject,
        email=normalise_email(identity.email),
        linked_at=now,
        last_used_at=now,
    )
    try:
        with transaction.atomic():
            link.save(force_insert=True)
    except IntegrityError:
        return None
    return link


def _sso_sign_in_again(*, identity, refusals, now) -> User:
    link = SingleSignOnLink.objects.select_related("person").get(
        issuer=identity.issuer, subject=identity.subject, unlinked_at__isnull=True
    )
    if not link.person.is_active:
        raise SingleSignOnRefused(refusals["inactive"])
    return link.person


def sso_link_end(*, link: SingleSignOnLink, by: User) -> bool:
    """Unlink a single sign-on identity from its account (an event says who did). The row
    stays, so that identity is never linked again by its address alone. Unlinking twice is
    a no-op: returns whether this call unlinked it."""
    with transaction.atomic():
        ended = SingleSignOnLink.objects.filter(pk=link.pk, unlinked_at__isnull=True).update(
            unlinked_at=timezone.now()
        )
        if ended:
            AccountEvent.write(
                kind=AccountEvent.Kind.SSO_UNLINKED,
                actor=by,
                person=link.person,
                sso_link=link,
                note=f"{link.issuer} subject {link.subject}",
            )
    return bool(ended)
