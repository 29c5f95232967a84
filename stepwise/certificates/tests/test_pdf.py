"""The certificate PDF, read back with pypdf: real text saying who, what, where, when and who
confirmed each proficiency, a QR code of the verification address, page numbers."""

import io
import re

import pytest
import segno
from pypdf import PdfReader

from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.certificates.pdf import printable, qr_runs, render_certificate
from stepwise.certificates.services import certificate_store_pdf
from stepwise.certificates.tasks import make_certificate_pdf
from stepwise.frameworks.models import TrustFramework
from stepwise.progress.services import enrolment_create

from .conftest import build_version, sign_off


def pdf_text(certificate: Certificate) -> tuple[PdfReader, str]:
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def named(learner, assessor, educator):
    learner.full_name = "Zoë Ó Súilleabháin"
    learner.registration_number = "12A3456B"
    learner.save()
    assessor.full_name = "Ben Thompson"
    assessor.save()
    educator.full_name = "Priya O’Neill"
    educator.save()


def test_the_pdf_is_made_after_sign_off_and_says_who_confirmed_what(
    named, signed_off, enrolment, trust
):
    certificate = signed_off
    assert certificate.pdf.name == f"certificates/{certificate.serial}.pdf"
    assert certificate.pdf_made_at is not None
    reader, text = pdf_text(certificate)
    flat = " ".join(text.split())  # long values wrap onto a second line
    for expected in [
        "Zoë Ó Súilleabháin",
        "NMC 12A3456B",
        str(certificate.serial),
        enrolment.version.framework.title,
        "version 1.0",
        trust.name,
        "Priya O’Neill",
        "NMC 05C7654E",
        f"http://testserver/verify/{certificate.serial}",
        f"Page 1 of {len(reader.pages)}",
    ]:
        assert expected in flat, expected
    lines = text.splitlines()
    for record in enrolment.records.select_related("proficiency"):
        code = record.proficiency.code
        assert any(line.startswith(f"{code} ") for line in lines), code
    confirmed = [line for line in lines if line.startswith("Confirmed by Ben Thompson")]
    # 3 sections of 3 required proficiencies, and one optional one.
    assert len(confirmed) == 10
    assert all("(NMC 09B1234D)" in line for line in confirmed)
    assert text.count("Optional: not taken") == 2
    assert reader.metadata.title == f"Certificate: {enrolment.version.framework.title}"


def test_the_qr_code_encodes_the_verification_address():
    url = "http://testserver/verify/7d2c2a5e-7a8b-4f4e-9d61-3f1bb1b1a0c4"
    size, runs = qr_runs(url)
    drawn = [[0] * size for _ in range(size)]
    for row, column, length in runs:
        for x in range(column, column + length):
            drawn[row][x] = 1
    expected = [[int(bool(module)) for module in row] for row in segno.make(url, error="m").matrix]
    assert drawn == expected


def test_the_pdf_is_never_made_again(signed_off):
    certificate = signed_off
    with certificate.pdf.open("rb") as handle:
        first = handle.read()
    made_at = certificate.pdf_made_at

    make_certificate_pdf.enqueue(certificate_id=certificate.pk)  # a retried task
    assert certificate_store_pdf(certificate_id=certificate.pk, content=b"%PDF-other") is False

    certificate.refresh_from_db()
    assert certificate.pdf_made_at == made_at
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == first
    assert certificate.events.filter(kind=CertificateEvent.Kind.PDF_MADE).count() == 1


def test_the_pdf_waits_for_the_commit(pdf_pending):
    assert not pdf_pending.pdf
    assert pdf_pending.events.filter(kind=CertificateEvent.Kind.PDF_MADE).count() == 0


def test_a_large_framework_runs_across_numbered_pages(trust, learner, assessor, educator):
    version = build_version(slug="big", sections=10, per_section=16, optional_per_section=1)
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    enrolment = enrolment_create(
        learner=learner,
        version=version,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)
    reader, text = pdf_text(certificate)
    pages = len(reader.pages)
    assert pages >= 5
    assert f"Page {pages} of {pages}" in text
    lines = text.splitlines()
    codes = {line.split(" ", 1)[0] for line in lines if re.match(r"^\d+\.\d+ ", line)}
    assert {f"{s}.{p}" for s in range(1, 11) for p in range(1, 17)} <= codes
    # A section split over a page says so.
    assert "(continued)" in text


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("Zoë Ó Súilleabháin", "Zoë Ó Súilleabháin"),
        ("Siobhán O’Brien – Œuvre", "Siobhán O’Brien – Œuvre"),
        ("Łukasz Żółć", "Lukasz Zólc"),
        ("Nguyễn Thị Ánh", "Nguyen Thi Ánh"),
        ("王芳", "??"),
    ],
)
def test_names_print_in_the_closest_form_the_font_has(name, printed):
    assert printable(name) == printed


def test_a_name_outside_the_font_still_makes_a_certificate(learner, signed_off):
    Certificate.objects.filter(pk=signed_off.pk).update(learner_name="Łukasz Żółć")
    content = render_certificate(signed_off.pk)
    reader = PdfReader(io.BytesIO(content))
    assert "Lukasz Zólc" in reader.pages[0].extract_text()
