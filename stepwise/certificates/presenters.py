"""What a certificate says, prepared from the stored certificate and the enrolment's records.

Kept apart from the drawing (pdf.py) so it can be tested without a database or a PDF.
"""

from dataclasses import dataclass, field

from stepwise.core.formatting import date
from stepwise.progress.models import Decision, ProficiencyRecord
from stepwise.progress.states import RecordState


@dataclass(frozen=True)
class ProficiencyLine:
    code: str
    statement: str
    confirmation: str


@dataclass
class SectionBlock:
    title: str
    proficiencies: list[ProficiencyLine] = field(default_factory=list)


@dataclass(frozen=True)
class CertificateContent:
    title: str
    summary: str
    details: list[tuple[str, str]]
    serial: str
    verify_url: str
    sections: list[SectionBlock]


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


def sections(records, certificate_trust_id: int) -> list[SectionBlock]:
    """Records grouped by section, in the framework's order (records arrive ordered)."""
    blocks: list[SectionBlock] = []
    current_section_id = None
    for record in records:
        proficiency = record.proficiency
        if proficiency.section_id != current_section_id:
            current_section_id = proficiency.section_id
            blocks.append(SectionBlock(title=section_title(proficiency.section)))
        blocks[-1].proficiencies.append(
            ProficiencyLine(
                code=proficiency.code,
                statement=proficiency.statement,
                confirmation=confirmation(record, certificate_trust_id),
            )
        )
    return blocks


def certificate_content(certificate, records) -> CertificateContent:
    framework = f"{certificate.framework_title}, version {certificate.version_label}"
    learner = certificate.learner_name
    return CertificateContent(
        title=certificate.framework_title,
        summary=(
            f"This certifies that {learner} has completed {framework} at "
            f"{certificate.trust_name}. Every required proficiency was confirmed by an "
            f"assessor, and the record was signed off by {certificate.signer_name} on "
            f"{date(certificate.signed_off_at)}."
        ),
        details=[
            ("Learner", learner),
            ("Learner's registration", certificate.learner_registration or "Not recorded"),
            ("Framework", framework),
            ("Trust", certificate.trust_name),
            ("Signed off on", date(certificate.signed_off_at)),
            ("Signed off by", certificate.signer_name),
            ("Signer's registration", certificate.signer_registration),
            ("Certificate serial", str(certificate.serial)),
        ],
        serial=str(certificate.serial),
        verify_url=certificate.verify_url,
        sections=sections(records, certificate.enrolment.trust_id),
    )
