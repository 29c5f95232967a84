"""People: one account per person for life, signed in with their email address."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from stepwise.accounts.registration import RegistrationBody
from stepwise.core.events import Event


def normalise_email(email: str) -> str:
    # Addresses are case-insensitive in practice (NHSmail certainly is), so store them lower-cased.
    return (email or "").strip().lower()


class PersonManager(BaseUserManager):
    def get_by_natural_key(self, email):
        return self.get(email=normalise_email(email))

    def create_user(self, email, password=None, **fields):
        person = self.model(email=normalise_email(email), **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Their roles live in memberships of Trusts; their record follows them."""

    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField("Full name", max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    registration_body = models.CharField(
        max_length=10, choices=RegistrationBody.choices, blank=True
    )
    registration_number = models.CharField(max_length=20, blank=True)
    is_framework_author = models.BooleanField(default=False)
    # Platform administrators are staff: they manage organisations in the Django admin.
    is_staff = models.BooleanField("Platform administrator", default=False)
    is_active = models.BooleanField(default=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised to end every session the person has, on every device, without changing their
    # password: it is part of the hash each session carries (see _get_session_auth_hash).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # Raised whenever the person's authenticator apps, passkeys or network leads change: a
    # session that found two-step sign-in not required for them keeps that answer only while
    # this number stays the same (stepwise.accounts.mfa.is_required).
    second_step_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_email_case_insensitive_unique")
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def _get_session_auth_hash(self, secret=None):
        # Django checks this hash on every request, so a session signed in before the
        # generation was raised (or the password changed) is signed out at its next request.
        # Generation 0 hashes as Django does: sessions from before this field stay valid.
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "stepwise.accounts.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_platform_admin(self) -> bool:
        return self.is_staff

    @property
    def registration(self) -> str:
        if not self.registration_number:
            return ""
        return f"{self.registration_body} {self.registration_number}"

    @property
    def has_set_password(self) -> bool:
        return self.has_usable_password()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessLinkQuerySet(models.QuerySet):
    def find(self, token: str, purpose: str):
        return (
            self.filter(token_hash=_hash(token), purpose=purpose).select_related("person").first()
        )


class AccessLink(models.Model):
    """A single-use link sent by email: an invitation to set a password, or an address check.

    Only a hash of the token is stored, so a copy of the database cannot be used to sign in.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        # No longer issued (self-registration confirms a SelfRegistration): kept for old rows.
        EMAIL_VERIFICATION = "email_verification", "Email verification"

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What following the link joins: the Trust (and unit) someone registered with or was invited to.
    trust = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = AccessLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def build(
        cls, *, person, purpose, created_by=None, trust=None, unit=None
    ) -> tuple["AccessLink", str]:
        """An unsaved link and its token, for `issue` or a bulk_create of many."""
        days = (
            settings.STEPWISE_INVITATION_DAYS
            if purpose == cls.Purpose.INVITATION
            else settings.STEPWISE_VERIFICATION_DAYS
        )
        token = secrets.token_urlsafe(32)
        link = cls(
            person=person,
            purpose=purpose,
            token_hash=_hash(token),
            created_by=created_by,
            trust=trust,
            unit=unit,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return link, token

    @classmethod
    def issue(
        cls, *, person, purpose, created_by=None, trust=None, unit=None
    ) -> tuple["AccessLink", str]:
        link, token = cls.build(
            person=person, purpose=purpose, created_by=created_by, trust=trust, unit=unit
        )
        link.save(force_insert=True)
        return link, token

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


class SelfRegistrationQuerySet(models.QuerySet):
    def find(self, token: str):
        return self.filter(token_hash=_hash(token)).select_related("trust", "unit").first()


class SelfRegistration(models.Model):
    """Someone's registration through a Trust's link, waiting for them to confirm the address.

    No account exists until they confirm (by pressing a button, so a mail scanner opening the
    link does nothing), and registering never changes an account that already exists: the
    details and the password's hash wait here. As with links, only a hash of the token is kept.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for the email address to be confirmed"
        CONFIRMED = "confirmed", "Confirmed: the account was made"
        # The address had an account by the time it was confirmed; that account was left alone.
        ACCOUNT_EXISTED = "account_existed", "Confirmed, but the address already had an account"

    email = models.EmailField("Email address", db_index=True)
    full_name = models.CharField("Full name", max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    registration_body = models.CharField(
        max_length=10, choices=RegistrationBody.choices, blank=True
    )
    registration_number = models.CharField(max_length=20, blank=True)
    # The chosen password's hash, cleared once the registration is confirmed.
    password = models.CharField(max_length=128, blank=True)
    trust = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    # The account confirming made.
    person = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SelfRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @classmethod
    def build(cls, *, details, password_hash: str, trust, unit) -> tuple["SelfRegistration", str]:
        """An unsaved registration and the token for its confirmation link."""
        token = secrets.token_urlsafe(32)
        registration = cls(
            email=normalise_email(details.email),
            full_name=details.full_name,
            job_title=details.job_title,
            registration_body=details.registration_body,
            registration_number=details.registration_number,
            password=password_hash,
            trust=trust,
            unit=unit,
            token_hash=_hash(token),
            expires_at=timezone.now() + timedelta(days=settings.STEPWISE_VERIFICATION_DAYS),
        )
        return registration, token

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def registration(self) -> str:
        if not self.registration_number:
            return ""
        return f"{self.registration_body} {self.registration_number}"


class SingleSignOnLink(models.Model):
    """A person's identity at a single sign-on provider (NHS CIS2, say): its issuer and the
    subject it always gives them. Signing in through the provider finds the account by this,
    first; a link is made only for an existing, active account whose address the provider
    says it has verified (accounts.single_sign_on_services). Unlinking keeps the row, so the
    same identity is never linked again by its email address alone."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sso_links")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # The provider's address for the person when linked, for people reading their account page.
    email = models.EmailField(blank=True)
    linked_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    unlinked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-linked_at"]
        constraints = [
            # One live link per identity; unlinked rows stay as history.
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                condition=models.Q(unlinked_at__isnull=True),
                name="sso_link_one_live_link_per_identity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.issuer}"

    @property
    def is_live(self) -> bool:
        return self.unlinked_at is None


class AccountEvent(Event):
    """What happened to a person's account: a single sign-on identity linked or unlinked, a
    passkey added or removed (its row goes; the event's note keeps which it was)."""

    class Kind(models.TextChoices):
        SSO_LINKED = "sso_linked", "Single sign-on linked"
        SSO_UNLINKED = "sso_unlinked", "Single sign-on unlinked"
        SIGNED_OUT_ONE_DEVICE = "signed_out_one_device", "Signed out of one device"
        PASSKEY_ADDED = "passkey_added", "Passkey added"
        PASSKEY_REMOVED = "passkey_removed", "Passkey removed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_events")
    sso_link = models.ForeignKey(
        SingleSignOnLink, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta(Event.Meta):
        pass


class SignedInSession(models.Model):
    """A session someone signed in with, so they can see where they are signed in and sign one
    of them out (OWASP ASVS 5.0 V7.5.2; accounts/signed_in.py). The session's key is kept only
    sealed with a key derived from SECRET_KEY: the database alone opens nobody's session."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signed_in_sessions")
    key_digest = models.CharField(max_length=64, unique=True)
    sealed_key = models.TextField()
    device = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=60, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "ended_at", "last_seen_at"])]

    def __str__(self):
        return (
            f"{self.person} on {self.device or 'a device'} since {self.started_at:%Y-%m-%d %H:%M}"
        )


class RecoveryCode(models.Model):
    """One of a person's single-use recovery codes (ASVS V6.5.2). A code is a lookup, kept as
    written, then a secret kept only as a password hash (Argon2 in production, with its own
    random salt): the lookup finds the one row to check, so a try costs one hash, not ten.
    The codes belong to django-otp's static device, which is what a session verified by a
    recovery code points at. Used codes are deleted: a spent secret is worth keeping to nobody."""

    device = models.ForeignKey(
        "otp_static.StaticDevice", on_delete=models.CASCADE, related_name="recovery_codes"
    )
    lookup = models.CharField(max_length=8)
    secret_hash = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "lookup"], name="recovery_code_lookup_once")
        ]

    def __str__(self):
        return f"Recovery code {self.lookup}…"
