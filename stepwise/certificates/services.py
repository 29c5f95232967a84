from django.db import transaction
from django.utils import timezone

from stepwise.certificates.models import Certificate, CertificateEvent


def certificate_issue(*, enrolment, signer, signer_registration: str) -> Certificate:
    """Inside the sign-off transaction: record the certificate and queue its PDF."""
    learner = enrolment.learner
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        learner_name=learner.full_name,
        learner_registration=learner.registration,
        framework_title=enrolment.version.framework.title,
        version_label=enrolment.version.label,
        trust_name=enrolment.trust.name,
        signer_name=signer.full_name,
        signer_registration=signer_registration,
        signed_off_at=enrolment.signed_off_at,
    )
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
