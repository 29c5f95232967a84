"""Restore refuses an archive that is damaged, incomplete or not a backup, before touching
anything (the drill itself is in tests/backups)."""

import io
import json
import tarfile
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.backups import MANIFEST, database_holds_data


@pytest.fixture
def archive(tmp_path, settings):
    settings.STEPWISE_SIGNING_KEYS_FILE = ""
    settings.STEPWISE_SIGNING_KEYS_DIR = tmp_path / "no-keys"
    default_storage.save("evidence/1/abc", ContentFile(b"a reflection's photo"))
    path = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(path), stdout=StringIO())
    default_storage.delete("evidence/1/abc")
    return path


def members(path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers()}


def rewrite(path, files: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))


def restore(path, *args):
    call_command("restore", str(path), *args, stdout=StringIO())


pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manifest_lists_each_file_with_its_checksum(archive):
    files = members(archive)
    manifest = json.loads(files[MANIFEST])
    assert set(manifest["files"]) == set(files) - {MANIFEST}
    assert "media/evidence/1/abc" in manifest["files"]
    assert files["media/evidence/1/abc"] == b"a reflection's photo"
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--output", str(archive), stdout=StringIO())


def damaged(original: dict[str, bytes]):
    """Each way an archive can be damaged or planted, and what restore says."""
    changed = {**original, "media/evidence/1/abc": b"a reflection's phot0"}
    yield changed, "checksum of media/evidence/1/abc does not match"
    missing = {k: v for k, v in original.items() if k != "media/evidence/1/abc"}
    yield missing, "media/evidence/1/abc is missing"
    for name in ("media/extra", "../outside", "/etc/cron.d/x"):
        yield {**original, name: b"planted"}, "damaged or not a Stepwise backup"
    yield {k: v for k, v in original.items() if k != MANIFEST}, "manifest cannot be read"


def test_a_damaged_archive_is_refused_and_nothing_is_restored(archive, tmp_path):
    original = members(archive)
    for files, message in damaged(original):
        rewrite(archive, files)
        with pytest.raises(CommandError, match=message):
            restore(archive, "--force")
    assert not default_storage.exists("evidence/1/abc")
    assert not (tmp_path.parent / "outside").exists()
    archive.write_bytes(archive.read_bytes()[:200])
    with pytest.raises(CommandError, match="damaged or not a Stepwise backup"):
        restore(archive, "--force")


def test_a_database_with_data_is_not_replaced_without_force(archive):
    PersonFactory()
    assert database_holds_data()
    with pytest.raises(CommandError, match="already holds data.*--force"):
        restore(archive)
