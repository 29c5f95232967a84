"""The training certificate: a certificate kind (docs/adr/0008) registered from this app's
AppConfig.ready(), so it shares the serial, stored PDF, QR code, public verification page,
Open Badges 3.0 credential and revocation with Step certificates."""

from django.conf import settings
from django.urls import reverse

from stepwise.certificates import credentials
from stepwise.certificates.kinds import CertificateKind, Line, Section
from stepwise.core.formatting import date
from stepwise.training.queries import openings_for_certificate

TRAINING_COMPLETION = "training_completion"


def achievement_id(package_slug: str, label: str) -> str:
    """A version's identity as a URI: the package's page and the version."""
    return f"{settings.SITE_URL}/training/{package_slug}/#version-{label}"


class TrainingCompletion(CertificateKind):
    code = TRAINING_COMPLETION
    pdf_heading = "Certificate of training"
    body_heading = "Training completed"
    subject_label = "Training"
    how_issued = (
        "Every training certificate is issued by the person's Trust when they have opened "
        "every page of the training package and agreed to its declaration."
    )
    evidence_of = "completed training"
    related = ("training_completion__version__package",)

    def details(self, certificate) -> list[tuple[str, str]]:
        rows = super().details(certificate)
        expires = certificate.training_completion.expires_at
        rows.append(("Valid until", date(expires) if expires else "No expiry date"))
        return rows

    def body(self, certificate) -> list[Section]:
        completion = certificate.training_completion
        pages = Section(
            "Pages read",
            [
                Line(
                    code=str(number),
                    text=opening.page.title,
                    note=f"First opened on {date(opening.first_opened_at)}",
                )
                for number, opening in enumerate(openings_for_certificate(completion), start=1)
            ],
        )
        declaration = Section(
            "Declaration",
            [
                Line(
                    code="",
                    text=completion.declaration,
                    note=f"Agreed on {date(completion.completed_at)}",
                )
            ],
        )
        return [pages, declaration]

    def achievement(self, certificate) -> dict:
        version = certificate.training_completion.version
        return {
            "id": achievement_id(version.package.slug, version.label),
            "type": ["Achievement"],
            "achievementType": credentials.ACHIEVEMENT_TYPE,
            "name": certificate.achievement_name,
            "description": certificate.description,
            "criteria": {
                "narrative": (
                    "Every required page of the training package opened, and the declaration "
                    f"agreed: \u201c{certificate.training_completion.declaration}\u201d"
                )
            },
            "version": certificate.version_label,
            "inLanguage": "en-GB",
        }

    def holder_url(self, certificate) -> str:
        return reverse(
            "training:package", args=[certificate.training_completion.version.package.slug]
        )
