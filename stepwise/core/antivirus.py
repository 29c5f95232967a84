"""Virus scanning of files people upload (OWASP ASVS 5.0 V5.4.3), through clamd's INSTREAM
protocol. STEPWISE_CLAMD names the daemon (`unix:///run/clamav/clamd.ctl` or
`tcp://host:3310`); empty means no scanning. A file is refused, and nothing kept, if it holds a
virus or if it cannot be checked (fail closed): the validator raises a form error."""

import logging
import socket
import struct
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from stepwise.core.security_log import REFUSED, log_event

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
UNAVAILABLE = "Files cannot be checked for viruses at the moment. Try again later"


class ScannerError(Exception):
    """clamd could not be reached or did not give a clear answer."""


def _connect(address: str, timeout: float) -> socket.socket:
    parts = urlsplit(address)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parts.path)
        return sock
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    raise ScannerError(f"STEPWISE_CLAMD is not unix:///path or tcp://host:port: {address!r}")


def scan(file, address: str, timeout: float = 30) -> str | None:
    """The virus's name if clamd finds one in `file` (a Django File), else None."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            file.seek(0)
            for chunk in file.chunks(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as error:
        raise ScannerError(str(error)) from error
    finally:
        file.seek(0)
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: NAME FOUND", or "... ERROR" (e.g. the stream was too long).
    if answer == "stream: OK":
        return None
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        return answer.removeprefix("stream: ").removesuffix(" FOUND")
    raise ScannerError(answer or "no answer")


def scan_upload(file) -> None:
    """A form field validator: refuses a file with a virus, or any file while the scanner
    cannot answer. Does nothing when STEPWISE_CLAMD is empty."""
    address = settings.STEPWISE_CLAMD
    if not address or file is None:
        return
    try:
        virus = scan(file, address, settings.STEPWISE_CLAMD_TIMEOUT_SECONDS)
    except ScannerError as error:
        logger.error("Virus scanner unavailable at %s: %s", address, error)
        raise ValidationError(UNAVAILABLE, code="scanner_unavailable") from error
    if virus:
        log_event(
            "upload_virus_found",
            outcome=REFUSED,
            level=logging.WARNING,
            virus=virus,
            file_name=getattr(file, "name", ""),
        )
        raise ValidationError(
            "This file contains a virus (%(virus)s). It has not been kept",
            code="virus",
            params={"virus": virus},
        )
