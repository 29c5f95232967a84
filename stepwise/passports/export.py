"""The learner's passport: their whole record as one signed JSON Web Token (docs/passport.md).

Signed exactly as the certificates' credentials are (certificates.credentials.sign: RS256,
the current key, its kid pointing into /.well-known/jwks.json), so one set of keys and one
JWKS serve both.
"""

import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import F, Prefetch
from django.utils import timezone

from stepwise.certificates import credentials
from stepwise.certificates.services import recipient_identity
from stepwise.progress.models import Enrolment, ProficiencyRecord
from stepwise.progress.states import RecordState

FORMAT = "stepwise-passport/1"


def when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _enrolments(learner) -> list[Enrolment]:
    """Every enrolment with its records of the current version and the decisions that
    stand: three queries however large the record."""
    records = (
        ProficiencyRecord.objects.filter(proficiency__version=F("enrolment__version"))
        .select_related("proficiency__section", "decision__assessor", "decision__trust")
        .order_by("proficiency__section__position", "proficiency__position", "pk")
    )
    return list(
        Enrolment.objects.filter(learner=learner)
        .select_related("version__framework", "trust", "certificate")
        .prefetch_related(Prefetch("records", queryset=records, to_attr="shown"))
        .order_by("enrolled_at", "pk")
    )


def _proficiency(record: ProficiencyRecord) -> dict:
    decision = record.decision if record.state == RecordState.CONFIRMED else None
    return {
        "uuid": str(record.proficiency.uuid),
        "code": record.proficiency.code,
        "statement": record.proficiency.statement,
        "state": record.state,
        "confirmed_by": decision.assessor.full_name if decision else None,
        "registration_number": decision.registration_number if decision else None,
        "confirmed_at": when(decision.at) if decision else None,
        "trust": decision.trust.name if decision else None,
        "prior_attainment_source": (decision.prior_attainment_source or None) if decision else None,
    }


def _certificate(enrolment: Enrolment) -> dict | None:
    certificate = getattr(enrolment, "certificate", None)
    if certificate is None:
        return None
    return {
        "serial": str(certificate.serial),
        "framework": certificate.title,
        "version": certificate.version_label,
        "trust": certificate.trust_name,
        "signed_off_at": when(certificate.signed_off_at),
        "revoked": certificate.is_revoked,
        "credential": credentials.signed_credential(certificate),
    }


def passport_payload(learner, *, now: datetime | None = None) -> dict:
    """The claims of the learner's passport (unsigned)."""
    now = now or timezone.now()
    salt, identity = recipient_identity(learner.email)
    enrolments = _enrolments(learner)
    return {
        "iss": settings.SITE_URL,
        "sub": identity,
        "iat": int(now.timestamp()),
        "jti": f"urn:uuid:{uuid.uuid4()}",
        "format": FORMAT,
        "identity": {"type": "emailAddress", "hash": identity, "salt": salt},
        "passport": {
            "learner": {"name": learner.full_name, "registration": learner.registration},
            "enrolments": [
                {
                    "framework": {
                        "slug": e.version.framework.slug,
                        "title": e.version.framework.title,
                    },
                    "version": {
                        "label": e.version.label,
                        "document_uuid": str(e.version.document_uuid),
                    },
                    "trust": e.trust.name,
                    "state": e.state,
                    "enrolled_at": when(e.enrolled_at),
                    "signed_off_at": when(e.signed_off_at),
                    "proficiencies": [_proficiency(record) for record in e.shown],
                }
                for e in enrolments
            ],
            "certificates": [c for c in (_certificate(e) for e in enrolments) if c],
        },
    }


def signed_passport(learner) -> str:
    """The passport as a compact JWS. Raises certificates.keys.SigningKeyError."""
    return credentials.sign(passport_payload(learner))
