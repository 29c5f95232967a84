"""Helpers for the learner page tests: moving records along the journey through the real
services, reading pages, and files to upload."""

import io
import zipfile
from datetime import timedelta
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from stepwise.progress.models import Decision
from stepwise.progress.services import (
    confirmation_request,
    records_self_assess,
    request_decide,
)
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.states import RecordState

PIN = ("NMC", "09B1234D")


def read(response) -> str:
    """The page as text, entities decoded (names like O'Neill are escaped in HTML)."""
    return unescape(response.content.decode())


def sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("accounts:sign_in"))


def records(enrolment) -> list:
    return list(
        enrolment.records.select_related("proficiency__section").order_by(
            "proficiency__section__position", "proficiency__position"
        )
    )


def achieve(enrolment, chosen, reflection="Managed it on shift", state=RecordState.ACHIEVED):
    return records_self_assess(
        enrolment=enrolment,
        by=enrolment.learner,
        answers=[(record.pk, state, reflection) for record in chosen],
    )


def ask(enrolment, chosen, assessor):
    achieve(enrolment, [r for r in chosen if r.state != RecordState.ACHIEVED])
    return confirmation_request(
        enrolment=enrolment,
        by=enrolment.learner,
        record_ids=[r.pk for r in chosen],
        assessor=assessor,
    )


def decide(request, assessor, outcomes, *, due_in_days=14):
    due = timezone.localdate() + timedelta(days=due_in_days)
    return request_decide(
        request=request,
        by=assessor,
        registration_body=PIN[0],
        registration_number=PIN[1],
        items=[
            ItemDecision(
                record_id=record.pk,
                outcome=outcome,
                note="Seen on shift" if outcome == Decision.Outcome.CONFIRMED else "Not yet",
                actions=[ActionInput("Practise under supervision", due)]
                if outcome == Decision.Outcome.REJECTED
                else [],
            )
            for record, outcome in outcomes
        ],
    )


def confirm(enrolment, chosen, assessor):
    request = ask(enrolment, chosen, assessor)
    return decide(request, assessor, [(r, Decision.Outcome.CONFIRMED) for r in chosen])


def reject(enrolment, record, assessor):
    request = ask(enrolment, [record], assessor)
    return decide(request, assessor, [(record, Decision.Outcome.REJECTED)])[0]


def confirm_everything_needed(enrolment, assessor):
    every = records(enrolment)
    chosen = [r for r in every if not r.proficiency.optional]
    chosen += [r for r in every if r.proficiency.optional][: enrolment.version.minimum_optional]
    confirm(enrolment, [r for r in chosen if r.state != RecordState.CONFIRMED], assessor)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name="evidence.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
