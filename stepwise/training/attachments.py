"""Attached files are PDFs only: checked by their first bytes, not their name, and by size."""

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024


def check_pdf(upload) -> None:
    if upload.size > MAX_BYTES:
        raise ValidationError({"attachment": ["The file must be 10 MB or smaller"]})
    upload.seek(0)
    start = upload.read(5)
    upload.seek(0)
    if start != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
        raise ValidationError({"attachment": ["The file must be a PDF"]})
