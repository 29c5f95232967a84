"""Kinds of certificate: what a certificate certifies, and how its PDF, its verification page
and its Open Badges achievement describe that.

Everything else is the same for every kind and lives once in this app: the serial, the stored
PDF and its QR code, the public verification page, the signed credential, the status list
and revocation. A kind is registered from its app's AppConfig.ready(), so this app never
imports the apps that certify things above it (see docs/adr/0008).

What a kind says comes from the certificate's own snapshot (names, title, dates as they were
at issue). A kind may read more for the PDF body and the achievement (the Step kind reads
the enrolment's records and the framework version), but the verification page's rows come
from the snapshot alone, so that page costs the same for every kind.
"""

from dataclasses import dataclass, field

from stepwise.core.formatting import date


@dataclass(frozen=True)
class Line:
    """One line of the PDF's body: a code, what it says, and a smaller note under it."""

    code: str
    text: str
    note: str


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)


class CertificateKind:
    """How one kind of certificate is described. Subclass, set `code` (stored in each
    certificate, so it never changes), write `body` and `achievement`, and register an
    instance. The other methods have defaults built from the certificate's snapshot."""

    code: str = ""
    # The second line of the PDF's band, under "Stepwise".
    pdf_heading = "Certificate"
    # The heading over the PDF's body.
    body_heading = ""
    # What the certified thing is called in the verification page's rows.
    subject_label = "Certificate for"
    # The verification page: how certificates of this kind come to be issued, and what a
    # revoked one must no longer be taken as evidence of.
    how_issued = ""
    evidence_of = "what it certifies"
    # select_related() paths that `body` and `achievement` read, loaded with the certificate.
    related: tuple[str, ...] = ()

    # The PDF -------------------------------------------------------------------------

    def summary(self, certificate) -> str:
        """The PDF's opening sentence."""
        return (
            f"This certifies that {certificate.learner_name} has completed "
            f"{certificate.achievement_name} at {certificate.trust_name}, on "
            f"{date(certificate.signed_off_at)}."
        )

    def details(self, certificate) -> list[tuple[str, str]]:
        """The PDF's labelled details; the serial is added after them."""
        return [
            ("Learner", certificate.learner_name),
            (self.subject_label, certificate.achievement_name),
            ("Trust", certificate.trust_name),
            ("Completed on", date(certificate.signed_off_at)),
        ]

    def body(self, certificate) -> list[Section]:
        """The PDF's body: what was done, section by section."""
        raise NotImplementedError

    # The verification and revocation pages (the snapshot only: no queries) ------------

    def public_rows(self, certificate) -> list[tuple[str, str]]:
        """What anyone may read about it: nothing personal beyond the name on it (no
        registration numbers, no email addresses). The serial is added after them."""
        return [
            ("Learner", certificate.learner_name),
            (self.subject_label, certificate.achievement_name),
            ("Issued by", certificate.trust_name),
            ("Completed on", date(certificate.signed_off_at)),
        ]

    # The Open Badges 3.0 credential -------------------------------------------------

    def credential_description(self, certificate) -> str:
        return (
            f"{certificate.learner_name} completed {certificate.achievement_name} at "
            f"{certificate.trust_name} on {date(certificate.signed_off_at)}."
        )

    def achievement(self, certificate) -> dict:
        """The credential subject's OB 3.0 `Achievement`: an id (a URI), a name, a
        description and criteria at least."""
        raise NotImplementedError

    # The holder -------------------------------------------------------------------------

    def holder_url(self, certificate) -> str:
        """Where the holder finds the certificate in the service (linked from notices)."""
        raise NotImplementedError


_kinds: dict[str, CertificateKind] = {}


class UnknownKind(LookupError):
    """A certificate of a kind no app registered: its app is not installed."""


def register(kind: CertificateKind) -> None:
    """Add a kind; registering the same code again replaces it (ready() may run again)."""
    if not kind.code:
        raise ValueError(f"{type(kind).__name__} has no code.")
    _kinds[kind.code] = kind


def unregister(code: str) -> None:
    _kinds.pop(code, None)


def get(code: str) -> CertificateKind:
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(f"No certificate kind {code!r} is registered.") from None


def of(certificate) -> CertificateKind:
    return get(certificate.kind)


def registered() -> list[str]:
    return sorted(_kinds)
