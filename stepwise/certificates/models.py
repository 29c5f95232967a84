"""Certificates of every kind: issued once, stored, never regenerated, never deleted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from stepwise.core.events import Event

# The kind of a Step certificate, a signed-off framework enrolment (framework_sign_off.py).
FRAMEWORK_SIGN_OFF = "framework_sign_off"


class Certificate(models.Model):
    """A certificate of any kind (docs/adr/0008): what is certified is its kind's business;
    who holds it, who issued it, what it says and how it is checked and revoked are here."""

    # Unguessable: the public verification page is found by this alone.
    serial = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A registered kind's code (kinds.py): what is certified, and how it is described.
    kind = models.CharField(max_length=40)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    # The Trust that issued it: its status list carries the certificate's revocation bit.
    issuer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="certificates_issued"
    )
    # What a Step certificate certifies. Kinds from apps above this one link their own
    # records to the certificate instead.
    enrolment = models.OneToOneField(
        "progress.Enrolment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    # What the certificate says, as it was at issue (names and registrations change).
    learner_name = models.CharField(max_length=150)
    learner_registration = models.CharField(max_length=40, blank=True)
    # What it certifies: a framework's title, or a training package's.
    title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    trust_name = models.CharField(max_length=200)
    # Who signed it off, for kinds that have a signer.
    signer_name = models.CharField(max_length=150, blank=True)
    signer_registration = models.CharField(max_length=40, blank=True)
    # When what it certifies was signed off as done (an enrolment's sign-off, a completion).
    signed_off_at = models.DateTimeField()
    issued_at = models.DateTimeField(default=timezone.now)
    pdf = models.FileField(upload_to="certificates/", blank=True, max_length=200)
    pdf_made_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)
    # Its place in the issuing Trust's W3C Bitstring Status List: the digital credential
    # names this bit, and revoking the certificate sets it (status.py). Indices are random
    # so that neighbouring bits say nothing about when a certificate was issued.
    status_list = models.PositiveIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    # The learner's email address as the credential carries it: salted and hashed at issue
    # (Open Badges IdentityObject), so the credential stays the same if the address changes.
    recipient_salt = models.CharField(max_length=64)
    recipient_hash = models.CharField(max_length=80)

    class Meta:
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_status_entry_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=FRAMEWORK_SIGN_OFF) | models.Q(enrolment__isnull=False),
                name="certificate_step_has_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.learner_name}: {self.achievement_name}"

    @property
    def achievement_name(self) -> str:
        """What it certifies, as people read it: "Step 1 adult critical care, version 2.0"."""
        if self.version_label:
            return f"{self.title}, version {self.version_label}"
        return self.title

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def verify_url(self) -> str:
        """The public address printed and encoded in the QR code: it must never change."""
        return f"{settings.SITE_URL}/verify/{self.serial}"


class CertificateEvent(Event):
    class Kind(models.TextChoices):
        ISSUED = "issued", "Issued"
        PDF_MADE = "pdf_made", "PDF made"
        REVOKED = "revoked", "Revoked"

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
