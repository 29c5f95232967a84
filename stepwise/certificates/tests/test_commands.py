from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from stepwise.certificates.models import Certificate
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
