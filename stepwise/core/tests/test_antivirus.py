"""Uploads scanned by a real clamd (started here on a signature of our own, as there is no
virus database offline): a clean file is kept, a matching one refused, and a scanner that
cannot answer refuses every file (fail closed)."""

import hashlib
import importlib
import logging
import pkgutil
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import stepwise
from stepwise.core.antivirus import UNAVAILABLE, scan, scan_upload
from stepwise.organisations.models import PeopleUpload
from stepwise.organisations.tests.upload_files import csv_bytes, person_row

CLAMD = Path("/usr/sbin/clamd")
SIGNATURE = "Stepwise.Test.Signature"
# clamd marks a signature outside the official database so.
FOUND = f"{SIGNATURE}.UNOFFICIAL"
# Not a real virus: a file our own test signature (its MD5 and size) names.
INFECTED = b"name,email\nStepwise test file that our own antivirus signature matches\n"
URL = reverse("organisations:bulk_upload")

pytestmark = pytest.mark.clamav


def ping(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(str(path))
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


@contextmanager
def running_clamd():
    """A clamd of our own in a temporary folder; yields the STEPWISE_CLAMD address."""
    if not CLAMD.exists():
        pytest.skip(f"ClamAV's daemon is not installed at {CLAMD}: apt-get install clamav-daemon")
    # A short path: a Unix socket's name must fit in 108 bytes.
    folder = Path(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"))
    database = folder / "db"
    database.mkdir()
    digest = hashlib.md5(INFECTED).hexdigest()  # noqa: S324 - ClamAV's .hdb format is MD5
    (database / "stepwise.hdb").write_text(f"{digest}:{len(INFECTED)}:{SIGNATURE}\n")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"Foreground yes\nLocalSocket {sock}\nDatabaseDirectory {database}\n"
        f"TemporaryDirectory {folder}\nLogFile {folder / 'clamd.log'}\n"
    )
    process = subprocess.Popen(  # noqa: S603 - a fixed program and our own config
        [str(CLAMD), "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not ping(sock):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log}")
            time.sleep(0.2)
        yield f"unix://{sock}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def clamd():
    with running_clamd() as address:
        yield address


@pytest.fixture
def admin_client(client_for, trust_admin):
    return client_for(trust_admin)


def post(admin_client, data: bytes):
    return admin_client.post(URL, {"file": SimpleUploadedFile("people.csv", data)})


def test_scan_finds_the_signature_and_passes_a_clean_file(clamd):
    assert scan(SimpleUploadedFile("a.csv", INFECTED), clamd) == FOUND
    assert scan(SimpleUploadedFile("b.csv", b"name,email\n"), clamd) is None


@pytest.mark.django_db
def test_a_clean_upload_is_kept(settings, clamd, admin_client):
    settings.STEPWISE_CLAMD = clamd
    response = post(admin_client, csv_bytes([person_row(1)]))
    assert response.status_code == 302
    assert PeopleUpload.objects.count() == 1


@pytest.mark.django_db
def test_an_infected_upload_is_refused_and_not_kept(settings, clamd, admin_client, caplog):
    settings.STEPWISE_CLAMD = clamd
    with caplog.at_level(logging.INFO, logger="stepwise.security"):
        response = post(admin_client, INFECTED)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "nhsuk-error-summary" in page
    assert f"This file contains a virus ({FOUND}). It has not been kept" in page
    assert PeopleUpload.objects.count() == 0
    events = [r.security_event for r in caplog.records if hasattr(r, "security_event")]
    assert any(e["event"] == "upload_virus_found" and e["virus"] == FOUND for e in events)


@pytest.mark.django_db
def test_a_scanner_that_cannot_answer_refuses_every_file(settings, admin_client, caplog):
    settings.STEPWISE_CLAMD = f"unix://{tempfile.gettempdir()}/stepwise-no-clamd.sock"
    with caplog.at_level(logging.ERROR, logger="stepwise.core.antivirus"):
        response = post(admin_client, csv_bytes([person_row(1)]))
    assert response.status_code == 200
    assert UNAVAILABLE in unescape(response.content.decode())
    assert PeopleUpload.objects.count() == 0
    assert any("Virus scanner unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_stopped_clamd_refuses_every_file(settings, admin_client):
    with running_clamd() as address:
        settings.STEPWISE_CLAMD = address
    # Stopped now: its address no longer answers.
    response = post(admin_client, csv_bytes([person_row(1)]))
    assert UNAVAILABLE in unescape(response.content.decode())
    assert PeopleUpload.objects.count() == 0


@pytest.mark.django_db
def test_without_stepwise_clamd_nothing_is_scanned(settings, admin_client):
    settings.STEPWISE_CLAMD = ""
    response = post(admin_client, INFECTED)
    assert "virus" not in unescape(response.content.decode())


def every_form_class():
    for module in pkgutil.walk_packages(stepwise.__path__, "stepwise."):
        if ".forms" in module.name and ".tests" not in module.name:
            importlib.import_module(module.name)
    pending, found = [forms.Form], set()
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in found:
                found.add(subclass)
                pending.append(subclass)
    return found


def test_every_upload_field_is_scanned():
    """A new upload field without the scan would let unscanned files in."""
    upload_fields = [
        (form.__qualname__, name, field)
        for form in every_form_class()
        if form.__module__.startswith("stepwise.")
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    ]
    assert len(upload_fields) >= 7
    for form, name, field in upload_fields:
        assert scan_upload in field.validators, f"{form}.{name} is not scanned for viruses"
