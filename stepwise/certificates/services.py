import hashlib
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.models import normalise_email
from stepwise.certificates import status
from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.core.errors import ConflictError
from stepwise.core.formatting import date, date_time
from stepwise.notifications.services import notify
from stepwise.organisations.models import Membership


def recipient_identity(email: str, salt: str | None = None) -> tuple[str, str]:
    """(salt, identity hash) as Open Badges 3.0 hashes an email address: "sha256$" and the
    hex SHA-256 of the address followed by the salt."""
    salt = salt if salt is not None else secrets.token_hex(16)
    digest = hashlib.sha256((normalise_email(email) + salt).encode("utf-8")).hexdigest()
    return salt, f"sha256${digest}"


def certificate_issue(*, enrolment, signer, signer_registration: str) -> Certificate:
    """Inside the sign-off transaction: record the certificate (with its place in the status
    list for its digital credential) and queue its PDF."""
    learner = enrolment.learner
    salt, identity = recipient_identity(learner.email)
    certificate = Certificate(
        enrolment=enrolment,
        learner_name=learner.full_name,
        learner_registration=learner.registration,
        framework_title=enrolment.version.framework.title,
        version_label=enrolment.version.label,
        trust_name=enrolment.trust.name,
        signer_name=signer.full_name,
        signer_registration=signer_registration,
        signed_off_at=enrolment.signed_off_at,
        recipient_salt=salt,
        recipient_hash=identity,
    )
    status.entry_assign(certificate=certificate)
    CertificateEvent.objects.create(
        certificate=certificate, kind=CertificateEvent.Kind.ISSUED, actor=signer
    )
    from stepwise.certificates.tasks import make_certificate_pdf

    transaction.on_commit(lambda: make_certificate_pdf.enqueue(certificate_id=certificate.pk))
    return certificate


def certificate_store_pdf(*, certificate_id: int, content: bytes) -> bool:
    """Store the PDF once. A second run (a retried task) finds it made and changes nothing."""
    from django.core.files.base import ContentFile

    with transaction.atomic():
        certificate = Certificate.objects.get(pk=certificate_id)
        if certificate.pdf:
            return False
        certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content), save=False)
        made = Certificate.objects.filter(pk=certificate_id, pdf="").update(
            pdf=certificate.pdf.name, pdf_made_at=timezone.now()
        )
        if made:
            CertificateEvent.objects.create(
                certificate=certificate, kind=CertificateEvent.Kind.PDF_MADE
            )
        return bool(made)


def may_revoke(person, certificate: Certificate) -> bool:
    """Platform administrators, and administrators of the Trust that issued it."""
    if person.is_platform_admin:
        return True
    return (
        Membership.objects.current()
        .filter(person=person, trust_id=certificate.enrolment.trust_id, is_trust_admin=True)
        .exists()
    )


def _already_revoked(certificate_id: int) -> str:
    current = Certificate.objects.select_related("revoked_by").get(pk=certificate_id)
    who = current.revoked_by.full_name if current.revoked_by else "someone"
    return f"This certificate was already revoked by {who} on {date_time(current.revoked_at)}."


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke for good, with a reason: the public check page and the digital credential's
    status list say so from now on. Nothing is deleted. A second revoke (two tabs, two
    administrators) is refused, saying who got there first and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ConflictError("Enter the reason for revoking the certificate.")
    if not may_revoke(by, certificate):
        raise ConflictError(
            "Only a platform administrator or an administrator of the issuing Trust can revoke "
            "this certificate."
        )
    with transaction.atomic():
        at = timezone.now()
        revoked = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=at, revoked_by=by, revocation_reason=reason
        )
        if not revoked:
            raise ConflictError(_already_revoked(certificate.pk))
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEvent.Kind.REVOKED,
            actor=by,
            note=reason,
            at=at,
        )
        certificate.refresh_from_db()
        enrolment = certificate.enrolment
        notify(
            person=enrolment.learner,
            text=(
                f"Your certificate for {certificate.framework_title} version "
                f"{certificate.version_label} was revoked on {date(at)}."
            ),
            url=reverse("progress:enrolment", args=[enrolment.pk]),
            email_template="certificates/emails/revoked",
            context={"certificate": certificate},
        )
    return certificate
