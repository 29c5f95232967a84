"""The backup drill (issue 12 point 8), on whichever database DATABASE_URL names: back up,
destroy the tables, the stored files and the signing key, restore, and the certificate still
checks out on its public page and as a digital credential."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from stepwise.certificates import credentials
from stepwise.certificates.models import Certificate
from stepwise.certificates.tests.conftest import key_config, sign_off
from stepwise.certificates.verification import check_credential


@pytest.fixture
def files_on_disk(settings, tmp_path):
    """Stored files and a signing keys file on disk, as production has them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    keys_file = tmp_path / "signing-keys.json"
    keys_file.write_text(key_config("drill-2026"))
    settings.STEPWISE_SIGNING_KEYS = ""
    settings.STEPWISE_SIGNING_KEYS_FILE = str(keys_file)
    settings.STEPWISE_SIGNING_KEYS_DIR = tmp_path / "generated-keys"
    return tmp_path


def drop_every_table() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys=OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys=ON")
        else:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    assert connection.introspection.table_names() == []


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_a_certificate_that_still_verifies(
    client, files_on_disk, enrolment, learner, assessor, educator
):
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)
    pdf_name, pdf = certificate.pdf.name, certificate.pdf.read()
    certificate.pdf.close()
    credential = credentials.signed_credential(certificate)
    archive = files_on_disk / "backup.tar.gz"

    assert "Backed up" in run("backup", "--output", str(archive))

    drop_every_table()
    default_storage.delete(pdf_name)
    keys_file = Path(files_on_disk / "signing-keys.json")
    keys_file.unlink()

    out = run("restore", str(archive))
    assert "Restored" in out

    assert keys_file.stat().st_mode & 0o777 == 0o600
    with default_storage.open(pdf_name, "rb") as restored:
        assert restored.read() == pdf
    page = client.get(f"/verify/{certificate.serial}")
    assert page.status_code == 200
    assert "This certificate is valid" in page.content.decode()
    assert check_credential(credential).is_valid
    credential_file = files_on_disk / "credential.jwt"
    credential_file.write_text(credential)
    assert "valid" in run("verify_credential", str(credential_file))

    # The database holds data now: a second restore is refused unless forced.
    with pytest.raises(CommandError, match="already holds data"):
        run("restore", str(archive))
    Certificate.objects.filter(pk=certificate.pk).update(learner_name="Changed after backup")
    run("restore", str(archive), "--force")
    assert Certificate.objects.get(pk=certificate.pk).learner_name == certificate.learner_name
