from datetime import timedelta
from io import BytesIO, StringIO, TextIOWrapper

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from stepwise.certificates import credentials
from stepwise.certificates.models import Certificate
from stepwise.certificates.services import certificate_revoke
from stepwise.core.formatting import date


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("list_certificates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_lists_each_certificate_serial_first(signed_off, trust, platform_admin):
    out, _ = run()
    [line] = out.splitlines()
    assert line.split("\t") == [
        str(signed_off.serial),
        signed_off.learner_name,
        "Sample step-1 1.0",
        trust.name,
        f"signed off {date(signed_off.signed_off_at)}",
        "valid",
    ]


def test_it_says_when_a_certificate_was_revoked(signed_off, platform_admin):
    revoked_at = timezone.now()
    Certificate.objects.filter(pk=signed_off.pk).update(
        revoked_at=revoked_at, revoked_by=platform_admin, revocation_reason="Issued in error"
    )
    out, _ = run()
    assert out.strip().endswith(f"revoked on {date(revoked_at)}")


def test_it_says_when_there_are_none(db):
    out, err = run()
    assert out == ""
    assert "No certificates have been issued yet." in err


# export_credential and verify_credential --------------------------------------------------


def command(name: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_writes_the_credential_to_stdout(signed_off):
    out, _ = command("export_credential", str(signed_off.serial))
    assert out.strip() == credentials.signed_credential(signed_off)


def test_export_writes_the_credential_to_a_file(signed_off, tmp_path):
    path = tmp_path / "out.jwt"
    out, err = command("export_credential", str(signed_off.serial), "--output", str(path))
    assert out == ""
    assert f"Wrote the credential of certificate {signed_off.serial}" in err
    assert path.read_text().strip() == credentials.signed_credential(signed_off)


@pytest.mark.parametrize("serial", ["6f1c1f58-0d4e-4a53-9b8c-2f3b0d0f9a11", "not-a-serial", ""])
def test_export_of_an_unknown_serial_fails_clearly(db, serial):
    with pytest.raises(CommandError) as error:
        command("export_credential", serial)
    assert error.value.returncode == 1
    assert f"There is no certificate with serial {serial}." in str(error.value)


def test_export_of_a_revoked_certificate_fails(signed_off, trust_admin):
    certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
    with pytest.raises(CommandError, match="was revoked on"):
        command("export_credential", str(signed_off.serial))


def test_export_to_a_folder_that_does_not_exist_fails(signed_off, tmp_path):
    with pytest.raises(CommandError, match="cannot be written"):
        command("export_credential", str(signed_off.serial), "-o", str(tmp_path / "no" / "x"))


def test_export_with_broken_keys_fails(signed_off, settings):
    settings.STEPWISE_SIGNING_KEYS = "[]"
    with pytest.raises(CommandError, match="cannot be signed"):
        command("export_credential", str(signed_off.serial))


def test_verify_says_a_good_credential_is_valid(signed_off, tmp_path):
    path = tmp_path / "c.jwt"
    command("export_credential", str(signed_off.serial), "-o", str(path))
    out, _ = command("verify_credential", str(path))
    assert f"Learner: {signed_off.learner_name}" in out
    assert "This credential is valid." in out


def test_verify_reads_standard_input(signed_off, monkeypatch):
    token = credentials.signed_credential(signed_off)
    monkeypatch.setattr("sys.stdin", TextIOWrapper(BytesIO(token.encode())))
    out, _ = command("verify_credential", "-")
    assert "This credential is valid." in out


def test_verify_fails_a_revoked_credential_with_the_date(signed_off, trust_admin, tmp_path):
    path = tmp_path / "c.jwt"
    path.write_text(credentials.signed_credential(signed_off))
    certificate_revoke(certificate=signed_off, by=trust_admin, reason="Issued in error")
    signed_off.refresh_from_db()
    with pytest.raises(CommandError) as error:
        command("verify_credential", str(path))
    assert error.value.returncode == 1
    assert str(error.value) == (
        f"This credential has been revoked. The issuer revoked it on {date(signed_off.revoked_at)}."
    )


def test_verify_fails_a_tampered_credential(signed_off, tmp_path):
    token = credentials.signed_credential(signed_off)
    header, payload, signature = token.split(".")
    path = tmp_path / "c.jwt"
    path.write_text(f"{header}.{payload}.{signature[::-1]}")
    with pytest.raises(CommandError, match="changed or damaged"):
        command("verify_credential", str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "This is not a digital credential."),
        (b'{"oops": ', "the JSON is not valid"),
        (b"\xff\xfe\x00binary", "is not a text file"),
        (b"", "The credential is empty."),
    ],
)
def test_verify_fails_what_is_not_a_credential(db, tmp_path, content, message):
    path = tmp_path / "c.jwt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        command("verify_credential", str(path))
    assert message in str(error.value)


def test_verify_fails_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot be read: No such file"):
        command("verify_credential", str(tmp_path / "missing.jwt"))


def test_verify_refuses_a_huge_file_without_reading_it(db, tmp_path):
    path = tmp_path / "big.jwt"
    path.write_bytes(b"e" * (2 * 1024 * 1024))
    with pytest.raises(CommandError, match="larger than 1048576 bytes"):
        command("verify_credential", str(path))


# remake_missing_pdfs ------------------------------------------------------------------------


def test_a_pdf_whose_worker_died_is_queued_again_and_made_once(pdf_pending):
    Certificate.objects.filter(pk=pdf_pending.pk).update(
        issued_at=timezone.now() - timedelta(minutes=11)
    )
    out, _ = command("remake_missing_pdfs")
    assert f"Queued the PDF of certificate {pdf_pending.serial}" in out
    pdf_pending.refresh_from_db()
    assert pdf_pending.pdf.name
    assert pdf_pending.events.filter(kind="pdf_made").count() == 1
    out, _ = command("remake_missing_pdfs")
    assert "Queued 0 certificate PDFs" in out


def test_a_pdf_still_being_made_is_left_to_its_worker(pdf_pending):
    out, _ = command("remake_missing_pdfs")
    assert "Queued 0 certificate PDFs" in out
    pdf_pending.refresh_from_db()
    assert not pdf_pending.pdf
