"""Certificates: issued once at sign-off, stored, never regenerated, never deleted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Certificate(models.Model):
    # Unguessable: the public verification page is found by this alone.
    serial = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.OneToOneField(
        "progress.Enrolment", on_delete=models.PROTECT, related_name="certificate"
    )
    # What the certificate says, as it was at sign-off (names and registrations change).
    learner_name = models.CharField(max_length=150)
    learner_registration = models.CharField(max_length=40, blank=True)
    framework_title = models.CharField(max_length=200)
    version_label = models.CharField(max_length=20)
    trust_name = models.CharField(max_length=200)
    signer_name = models.CharField(max_length=150)
    signer_registration = models.CharField(max_length=40)
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
            )
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.learner_name}: {self.framework_title} {self.version_label}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def verify_url(self) -> str:
        """The public address printed and encoded in the QR code: it must never change."""
        return f"{settings.SITE_URL}/verify/{self.serial}"


class CertificateEvent(models.Model):
    class Kind(models.TextChoices):
        ISSUED = "issued", "Issued"
        PDF_MADE = "pdf_made", "PDF made"
        REVOKED = "revoked", "Revoked"

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
