import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from stepwise.accounts.models import normalise_email
from stepwise.certificates import kinds, status
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


def certificate_issue(
    *,
    kind: str,
    holder,
    issuer,
    title: str,
    version_label: str = "",
    description: str,
    signed_off_at,
    by,
    signer=None,
    signer_registration: str = "",
    enrolment=None,
) -> Certificate:
    """Issue a certificate of a registered kind to `holder` from the Trust `issuer`, saying
    what it certifies as it is now; `by` is who issued it (the event's actor). Inside the
    caller's transaction (the sign-off, the completion): record the certificate with its
    place in the status list for its digital credential, and queue its PDF."""
    kinds.get(kind)  # a kind no app registered could not be drawn or checked
    salt, identity = recipient_identity(holder.email)
    certificate = Certificate(
        kind=kind,
        holder=holder,
        issuer=issuer,
        enrolment=enrolment,
        learner_name=holder.full_name,
        learner_registration=holder.registration,
        title=title,
        version_label=version_label,
        description=description,
        trust_name=issuer.name,
        signer_name=signer.full_name if signer is not None else "",
        signer_registration=signer_registration,
        signed_off_at=signed_off_at,
        recipient_salt=salt,
        recipient_hash=identity,
    )
    status.entry_assign(certificate=certificate)
    CertificateEvent.write(certificate=certificate, kind=CertificateEvent.Kind.ISSUED, actor=by)
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
            # Made by a background task, not by a person.
            CertificateEvent.write(
                certificate=certificate, kind=CertificateEvent.Kind.PDF_MADE, actor=None
            )
        return bool(made)


def may_revoke(person, certificate: Certificate) -> bool:
    """Platform administrators, and administrators of the Trust that issued it."""
    if person.is_platform_admin:
        return True
    return (
        Membership.objects.current()
        .filter(person=person, trust_id=certificate.issuer_id, is_trust_admin=True)
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
        CertificateEvent.write(
            certificate=certificate,
            kind=CertificateEvent.Kind.REVOKED,
            actor=by,
            note=reason,
            at=at,
        )
        certificate.refresh_from_db()
        version = f" version {certificate.version_label}" if certificate.version_label else ""
        notify(
            person=certificate.holder,
            text=(f"Your certificate for {certificate.title}{version} was revoked on {date(at)}."),
            url=kinds.of(certificate).holder_url(certificate),
            email_template="certificates/emails/revoked",
            context={"certificate": certificate},
        )
    return certificate
