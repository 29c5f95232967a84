"""What a certificate says, prepared from the stored certificate and the enrolment's records.

Kept apart from the drawing (pdf.py) so it can be tested without a database or a PDF.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from stepwise.certificates.verification import Outcome
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


# Pages ---------------------------------------------------------------------------------


def status_tag(certificate) -> dict:
    """The NHS tag for valid or revoked."""
    if certificate.is_revoked:
        return {"text": f"Revoked {date(certificate.revoked_at)}", "classes": "nhsuk-tag--red"}
    return {"text": "Valid", "classes": "nhsuk-tag--green"}


def _row(key: str, value: str) -> dict:
    return {"key": {"text": key}, "value": {"text": value}}


def public_rows(certificate) -> list[dict]:
    """What anyone may see on the verification page: nothing personal beyond the name on the
    certificate (no registration numbers, no email addresses)."""
    return [
        _row("Learner", certificate.learner_name),
        _row("Framework", f"{certificate.framework_title}, version {certificate.version_label}"),
        _row("Issued by", certificate.trust_name),
        _row("Signed off on", date(certificate.signed_off_at)),
        _row("Signed off by", certificate.signer_name),
        _row("Certificate serial", str(certificate.serial)),
    ]


@dataclass(frozen=True)
class CertificateRow:
    learner: str
    framework: str
    trust: str
    signed_off: str
    status: dict
    serial: str
    verify_href: str
    revoke_href: str | None


def certificate_rows(certificates) -> list[CertificateRow]:
    return [
        CertificateRow(
            learner=certificate.learner_name,
            framework=f"{certificate.framework_title}, version {certificate.version_label}",
            trust=certificate.trust_name,
            signed_off=date(certificate.signed_off_at),
            status=status_tag(certificate),
            serial=str(certificate.serial),
            verify_href=reverse("certificates:verify", args=[certificate.serial]),
            revoke_href=None
            if certificate.is_revoked
            else reverse("certificates:revoke", args=[certificate.serial]),
        )
        for certificate in certificates
    ]


def showing(page) -> str:
    """ "Showing 26 to 50 of 60 certificates"."""
    count = page.paginator.count
    noun = "certificate" if count == 1 else "certificates"
    if count == 0:
        return "No certificates match"
    if page.paginator.num_pages == 1:
        return f"{count} {noun}"
    return f"Showing {page.start_index()} to {page.end_index()} of {count} {noun}"


@dataclass(frozen=True)
class CheckResult:
    heading: str
    tag: dict
    problems: list[str]
    rows: list[dict]
    verify_href: str | None


def check_result(check) -> CheckResult:
    """What the credential check page says about a checked credential."""
    rows: list[dict] = []
    verify_href = None
    summary = check.summary
    if summary is not None:
        rows = [
            _row("Learner", summary.learner),
            _row("Achievement", summary.achievement),
            _row("Issued by", summary.issuer),
            _row("Valid from", date(summary.valid_from) if summary.valid_from else "Not given"),
        ]
        if summary.serial:
            rows.append(_row("Certificate serial", summary.serial))
        if summary.certificate is not None:
            verify_href = reverse("certificates:verify", args=[summary.certificate.serial])
    if check.revoked_at is not None:
        rows.append(_row("Revoked on", date(check.revoked_at)))
    colour = "nhsuk-tag--green" if check.outcome == Outcome.VALID else "nhsuk-tag--red"
    short = {
        Outcome.VALID: "Valid",
        Outcome.REVOKED: "Revoked",
        Outcome.EXPIRED: "Expired",
        Outcome.NOT_YET_VALID: "Not valid yet",
        Outcome.TAMPERED: "Not genuine",
        Outcome.UNKNOWN_KEY: "Unknown signer",
        Outcome.INVALID: "Not valid",
    }[check.outcome]
    return CheckResult(
        heading=check.outcome.label,
        tag={"text": short, "classes": colour},
        problems=list(check.problems),
        rows=rows,
        verify_href=verify_href,
    )
