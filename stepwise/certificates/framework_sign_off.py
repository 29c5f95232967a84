"""The Step certificate: a framework enrolment, signed off.

Its PDF lists every proficiency with who confirmed it; its achievement is the framework
version (its id the version's CASE package address), aligned to the CASE document and to each
section and proficiency (CFItems, by their identifiers). It lives in this app because progress
sits below certificates; kinds from apps above this one register themselves the same way.
"""

from django.db.models import F
from django.urls import reverse

from stepwise.certificates import credentials
from stepwise.certificates.kinds import CertificateKind, Line, Section
from stepwise.certificates.models import FRAMEWORK_SIGN_OFF
from stepwise.core.formatting import date
from stepwise.frameworks.exchange.case import package_url
from stepwise.frameworks.exchange.content import content_of
from stepwise.progress.models import Decision, ProficiencyRecord
from stepwise.progress.states import RecordState

# Alignment targets: CASE items are in OB 3.0's vocabulary; the document is not, so it
# takes an extension value.
ITEM_TARGET = "CFItem"
DOCUMENT_TARGET = "ext:CFDocument"


def description_of(version) -> str:
    """What the certificate says its framework version is, as stored at issue."""
    framework = version.framework
    return framework.description or (
        f"The {framework.title} proficiency framework, version {version.label}."
    )


# The PDF's body ------------------------------------------------------------------------


def confirmation(record: ProficiencyRecord, certificate_trust_id: int) -> str:
    """Who confirmed a proficiency and when, read from the record's standing decision."""
    decision = record.decision
    if record.state != RecordState.CONFIRMED or decision is None:
        return "Optional: not taken" if record.proficiency.optional else "Not confirmed"
    if decision.outcome != Decision.Outcome.CONFIRMED:
        return "Not confirmed"
    who = f"{decision.assessor.full_name} ({decision.registration_number})"
    if decision.prior_attainment_source:
        return (
            f"Recognised prior attainment: {decision.prior_attainment_source} "
            f"(recorded by {who} on {date(decision.at)})"
        )
    where = ""
    if decision.trust_id != certificate_trust_id:
        # Confirmed while the learner worked somewhere else: say where.
        where = f" at {decision.trust.name}"
    return f"Confirmed by {who} on {date(decision.at)}{where}"


def section_title(section) -> str:
    return f"{section.code}. {section.title}" if section.code else section.title


def sections(records, certificate_trust_id: int) -> list[Section]:
    """Records grouped by section, in the framework's order (records arrive ordered)."""
    blocks: list[Section] = []
    current_section_id = None
    for record in records:
        proficiency = record.proficiency
        if proficiency.section_id != current_section_id:
            current_section_id = proficiency.section_id
            blocks.append(Section(title=section_title(proficiency.section)))
        blocks[-1].lines.append(
            Line(
                code=proficiency.code,
                text=proficiency.statement,
                note=confirmation(record, certificate_trust_id),
            )
        )
    return blocks


def signed_off_records(certificate) -> list[ProficiencyRecord]:
    """Every record of the signed-off version, with who confirmed each: one query whatever
    the size of the framework."""
    return list(
        ProficiencyRecord.objects.filter(
            enrolment_id=certificate.enrolment_id,
            proficiency__version_id=F("enrolment__version_id"),
        )
        .select_related("proficiency__section", "decision__assessor", "decision__trust")
        .order_by("proficiency__section__position", "proficiency__position", "pk")
    )


# The achievement -------------------------------------------------------------------------


def _alignments(version, content, framework_name: str) -> list[dict]:
    document_url = package_url(version)
    aligned = [
        credentials.alignment(
            name=framework_name,
            url=document_url,
            code=str(version.document_uuid),
            target=DOCUMENT_TARGET,
            framework=framework_name,
        )
    ]
    for section in content.sections:
        aligned.append(
            credentials.alignment(
                name=section.title,
                url=f"{document_url}#{section.uuid}",
                code=section.code,
                target=ITEM_TARGET,
                framework=framework_name,
            )
        )
        for proficiency in section.proficiencies:
            aligned.append(
                credentials.alignment(
                    name=proficiency.statement,
                    url=f"{document_url}#{proficiency.uuid}",
                    code=proficiency.code,
                    target=ITEM_TARGET,
                    framework=framework_name,
                )
            )
    return aligned


def criteria(version, framework_name: str) -> str:
    optional = version.minimum_optional
    needed = f"Every required proficiency of {framework_name} confirmed by a registered assessor"
    if optional:
        noun = "proficiency" if optional == 1 else "proficiencies"
        needed += f", at least {optional} optional {noun} confirmed,"
    return (
        f"{needed} and final sign-off by an educator of the learner's Trust, who agreed: "
        f"\u201c{version.assessor_declaration}\u201d"
    )


class FrameworkSignOff(CertificateKind):
    code = FRAMEWORK_SIGN_OFF
    pdf_heading = "Certificate of proficiency"
    body_heading = "Proficiencies"
    subject_label = "Framework"
    how_issued = (
        "Every certificate is issued by the learner's Trust when an educator signs off their "
        "record, after assessors have confirmed each proficiency."
    )
    evidence_of = "proficiency"
    related = ("enrolment__version__framework",)

    def summary(self, certificate) -> str:
        return (
            f"This certifies that {certificate.learner_name} has completed "
            f"{certificate.achievement_name} at {certificate.trust_name}. Every required "
            f"proficiency was confirmed by an assessor, and the record was signed off by "
            f"{certificate.signer_name} on {date(certificate.signed_off_at)}."
        )

    def details(self, certificate) -> list[tuple[str, str]]:
        return [
            ("Learner", certificate.learner_name),
            ("Learner's registration", certificate.learner_registration or "Not recorded"),
            ("Framework", certificate.achievement_name),
            ("Trust", certificate.trust_name),
            ("Signed off on", date(certificate.signed_off_at)),
            ("Signed off by", certificate.signer_name),
            ("Signer's registration", certificate.signer_registration),
        ]

    def body(self, certificate) -> list[Section]:
        return sections(signed_off_records(certificate), certificate.issuer_id)

    def public_rows(self, certificate) -> list[tuple[str, str]]:
        return [
            ("Learner", certificate.learner_name),
            ("Framework", certificate.achievement_name),
            ("Issued by", certificate.trust_name),
            ("Signed off on", date(certificate.signed_off_at)),
            ("Signed off by", certificate.signer_name),
        ]

    def credential_description(self, certificate) -> str:
        return (
            f"{certificate.learner_name} completed {certificate.achievement_name} at "
            f"{certificate.trust_name}, signed off by {certificate.signer_name} on "
            f"{date(certificate.signed_off_at)}."
        )

    def achievement(self, certificate) -> dict:
        """The framework version. Reads the version's content (two queries)."""
        version = certificate.enrolment.version
        name = certificate.achievement_name
        return {
            "id": package_url(version),
            "type": ["Achievement"],
            "achievementType": credentials.ACHIEVEMENT_TYPE,
            "name": name,
            "description": certificate.description,
            "criteria": {"narrative": criteria(version, name)},
            "version": certificate.version_label,
            "inLanguage": "en-GB",
            "alignment": _alignments(version, content_of(version), name),
        }

    def holder_url(self, certificate) -> str:
        return reverse("progress:enrolment", args=[certificate.enrolment_id])
