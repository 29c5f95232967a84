"""Reading certificates: for downloads (scoped to who may see them), for lists."""

import uuid

from django.db.models import Q, QuerySet

from stepwise.certificates.models import Certificate
from stepwise.organisations.models import Role

# Staff of the certificate's Trust who may download it, besides the learner.
STAFF_WHO_DOWNLOAD = (Role.EDUCATOR, Role.TRUST_ADMIN)


def certificates_for(person, membership) -> QuerySet[Certificate]:
    """Certificates this person may download: their own, and, for educators and Trust
    administrators, those of the Trust they are working in now."""
    allowed = Q(holder=person)
    if membership is not None and membership.has_role(*STAFF_WHO_DOWNLOAD):
        allowed |= Q(issuer=membership.trust_id)
    return Certificate.objects.filter(allowed)


def certificates_listed() -> QuerySet[Certificate]:
    return Certificate.objects.order_by("issued_at", "pk")


def certificate_by_serial(serial: str) -> Certificate | None:
    """The certificate with this serial, or None (also for text that is not a serial)."""
    try:
        parsed = uuid.UUID(str(serial))
    except ValueError:
        return None
    return Certificate.objects.filter(serial=parsed).first()


def certificates_revocable_by(person, membership) -> QuerySet[Certificate] | None:
    """Certificates this person may revoke: every one for platform administrators, their
    current Trust's for Trust administrators; None for anyone else."""
    if person.is_platform_admin:
        return Certificate.objects.all()
    if membership is not None and membership.has_role(Role.TRUST_ADMIN):
        return Certificate.objects.filter(issuer=membership.trust_id)
    return None


def certificates_found(certificates: QuerySet[Certificate], search: str) -> QuerySet[Certificate]:
    """Search by the learner's name (any part) or by the exact serial."""
    search = (search or "").strip()
    if search:
        try:
            certificates = certificates.filter(serial=uuid.UUID(search))
        except ValueError:
            certificates = certificates.filter(learner_name__icontains=search)
    return certificates.order_by("-issued_at", "pk")
