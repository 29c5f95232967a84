"""What a certificate says, prepared from the stored certificate by its kind (kinds.py).

Kept apart from the drawing (pdf.py) so it can be tested without a database or a PDF.
"""

from dataclasses import dataclass

from django.urls import reverse

from stepwise.certificates import kinds
from stepwise.certificates.kinds import Section
from stepwise.certificates.verification import Outcome
from stepwise.core.formatting import date


@dataclass(frozen=True)
class CertificateContent:
    heading: str  # under "Stepwise" in the band: "Certificate of proficiency"
    title: str
    summary: str
    details: list[tuple[str, str]]
    serial: str
    verify_url: str
    body_heading: str
    sections: list[Section]


def certificate_content(certificate) -> CertificateContent:
    kind = kinds.of(certificate)
    return CertificateContent(
        heading=kind.pdf_heading,
        title=certificate.title,
        summary=kind.summary(certificate),
        details=[*kind.details(certificate), ("Certificate serial", str(certificate.serial))],
        serial=str(certificate.serial),
        verify_url=certificate.verify_url,
        body_heading=kind.body_heading,
        sections=kind.body(certificate),
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
    """What anyone may see on the verification page, as the certificate's kind says it."""
    rows = kinds.of(certificate).public_rows(certificate)
    return [_row(key, value) for key, value in rows] + [
        _row("Certificate serial", str(certificate.serial))
    ]


@dataclass(frozen=True)
class CertificateRow:
    learner: str
    certifies: str
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
            certifies=certificate.achievement_name,
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
