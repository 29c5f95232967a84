import io
import zipfile

from django.test import TestCase

from stepwise.privacy.services import subject_access_request


def make_export(person, by, trust=None):
    """An export asked for and made by the (immediate) worker."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = subject_access_request(person=person, by=by, trust=trust)
    export.refresh_from_db()
    return export


def opened(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
