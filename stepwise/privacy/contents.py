"""What a subject access export holds: every table that is about the person, each as JSON and
as CSV (cells escaped: core.spreadsheet_cells), and their evidence files, certificate PDFs and
digital credentials, in one ZIP. Secrets (password and link hashes) are left out: they are not
information about the person, and would help someone who got hold of the file."""

import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from stepwise.accounts.models import (
    AccessLink,
    AccountEvent,
    SelfRegistration,
    SignedInSession,
    SingleSignOnLink,
    User,
)
from stepwise.certificates import credentials
from stepwise.certificates.keys import SigningKeyError
from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.core.models import AccessRecord
from stepwise.core.spreadsheet_cells import csv_chunks
from stepwise.feedback.models import Answer, Invitation, Respondent, Response
from stepwise.notifications.models import Notification
from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.passports.models import ImportedPassport, PriorAttainment
from stepwise.progress.models import (
    Action,
    ActionPlan,
    ConfirmationRequest,
    Decision,
    Enrolment,
    EnrolmentEvent,
    Evidence,
    EvidenceEvent,
    ProficiencyRecord,
    RecordEvent,
    RequestItem,
    SignOffRequest,
)
from stepwise.progress.moving_models import MoveProposal, MoveProposalEvent
from stepwise.training.models import Completion, PageOpening, TrainingEvent

# Never exported: they say nothing about the person, and some would only help an attacker.
SECRETS = {
    "password",
    "token_hash",
    "session_generation",
    "second_step_generation",
    "key_digest",
    "sealed_key",
}


@dataclass(frozen=True)
class Category:
    name: str  # the file name, without .json/.csv
    description: str  # for the README inside the ZIP
    rows: Callable[[User], models.QuerySet]


CATEGORIES = [
    Category(
        "profile",
        "Your account: name, email, job title, registration",
        lambda p: User.objects.filter(pk=p.pk),
    ),
    Category(
        "memberships",
        "Your roles at each Trust and unit, past and present",
        lambda p: Membership.objects.filter(person=p),
    ),
    Category(
        "membership_events",
        "Changes to those memberships: who, when",
        lambda p: MembershipEvent.objects.filter(membership__person=p),
    ),
    Category(
        "invitations_and_links",
        "Invitation and password links sent to you (not the links themselves)",
        lambda p: AccessLink.objects.filter(person=p),
    ),
    Category(
        "self_registrations",
        "Registrations through a Trust's link",
        lambda p: SelfRegistration.objects.filter(person=p),
    ),
    Category(
        "single_sign_on",
        "Single sign-on accounts (NHS CIS2, say) linked to yours, past and present",
        lambda p: SingleSignOnLink.objects.filter(person=p),
    ),
    Category(
        "signed_in_sessions",
        "Where you signed in: the device, its address, and when (not the session itself)",
        lambda p: SignedInSession.objects.filter(person=p),
    ),
    Category(
        "account_events",
        "Changes to your account: single sign-on linked and unlinked, devices signed out",
        lambda p: AccountEvent.objects.filter(person=p),
    ),
    Category(
        "enrolments", "Your enrolments on frameworks", lambda p: Enrolment.objects.filter(learner=p)
    ),
    Category(
        "enrolment_events",
        "The history of each enrolment",
        lambda p: EnrolmentEvent.objects.filter(enrolment__learner=p),
    ),
    Category(
        "proficiency_records",
        "Where you are with each proficiency, and your reflections",
        lambda p: ProficiencyRecord.objects.filter(enrolment__learner=p),
    ),
    Category(
        "record_events",
        "The history of each proficiency record",
        lambda p: RecordEvent.objects.filter(enrolment__learner=p),
    ),
    Category(
        "confirmation_requests",
        "Your requests to assessors",
        lambda p: ConfirmationRequest.objects.filter(enrolment__learner=p),
    ),
    Category(
        "confirmation_request_items",
        "What each request asked about",
        lambda p: RequestItem.objects.filter(request__enrolment__learner=p),
    ),
    Category(
        "decisions",
        "Assessors' decisions about your proficiencies",
        lambda p: Decision.objects.filter(record__enrolment__learner=p),
    ),
    Category(
        "action_plans",
        "Action plans after a rejection",
        lambda p: ActionPlan.objects.filter(record__enrolment__learner=p),
    ),
    Category(
        "actions",
        "The actions in those plans",
        lambda p: Action.objects.filter(plan__record__enrolment__learner=p),
    ),
    Category(
        "evidence",
        "Your evidence files (the files are in evidence/)",
        lambda p: Evidence.objects.filter(record__enrolment__learner=p),
    ),
    Category(
        "evidence_events",
        "Evidence files deleted under the retention rule",
        lambda p: EvidenceEvent.objects.filter(evidence__record__enrolment__learner=p),
    ),
    Category(
        "sign_off_requests",
        "Your requests for sign-off, and their answers",
        lambda p: SignOffRequest.objects.filter(enrolment__learner=p),
    ),
    Category(
        "moves",
        "Proposals to move an enrolment to another Trust",
        lambda p: MoveProposal.objects.filter(enrolment__learner=p),
    ),
    Category(
        "move_events",
        "The history of those proposals",
        lambda p: MoveProposalEvent.objects.filter(proposal__enrolment__learner=p),
    ),
    Category(
        "certificates",
        "Your certificates (PDFs in certificates/, credentials in credentials/)",
        lambda p: Certificate.objects.filter(holder=p),
    ),
    Category(
        "certificate_events",
        "The history of each certificate",
        lambda p: CertificateEvent.objects.filter(certificate__holder=p),
    ),
    Category(
        "passports",
        "Passports you imported from elsewhere",
        lambda p: ImportedPassport.objects.filter(learner=p),
    ),
    Category(
        "prior_attainments",
        "Proficiencies those passports carried",
        lambda p: PriorAttainment.objects.filter(learner=p),
    ),
    Category(
        "training_completions",
        "Training packages you completed",
        lambda p: Completion.objects.filter(person=p),
    ),
    Category(
        "training_pages_opened",
        "Training pages you opened",
        lambda p: PageOpening.objects.filter(person=p),
    ),
    Category(
        "training_events",
        "The history of your training completions",
        lambda p: TrainingEvent.objects.filter(completion__person=p),
    ),
    Category(
        "notifications",
        "Notices the service sent you",
        lambda p: Notification.objects.filter(person=p),
    ),
    Category(
        "feedback_responses",
        "Feedback you gave under your name",
        lambda p: Response.objects.filter(person=p),
    ),
    Category(
        "feedback_answers",
        "Your answers in that feedback",
        lambda p: Answer.objects.filter(response__person=p),
    ),
    Category(
        "feedback_invitations",
        "Feedback forms you were asked to answer",
        lambda p: Invitation.objects.filter(person=p),
    ),
    Category(
        "feedback_answered_anonymously",
        "Anonymous forms you answered (only that you did: the answers cannot be linked to you)",
        lambda p: Respondent.objects.filter(person=p),
    ),
    Category(
        "access_log",
        "Who else looked at your record, and when",
        lambda p: AccessRecord.objects.filter(subject=p),
    ),
]


def fields_of(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in SECRETS]


def rows_of(queryset: models.QuerySet) -> Iterable[dict]:
    names = fields_of(queryset.model)
    return queryset.order_by("pk").values(*names).iterator(chunk_size=1000)


def safe_file_name(name: str, fallback: str = "file") -> str:
    """A name uploaded by someone, fit for a path inside the ZIP: the last part only, letters,
    digits, dots, hyphens and underscores, never starting with a dot."""
    last = PurePosixPath(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.-]", "_", last, flags=re.ASCII).lstrip(".")[:100]
    return cleaned or fallback


README = """Everything Stepwise holds about {name} ({email}), made {made}.

Each table is here twice: as JSON (data/NAME.json) and as CSV (data/NAME.csv, which opens in a
spreadsheet; cells starting with = + - or @ have an apostrophe in front so they are not run).
Ids (…_id) point to rows of the other tables, or to things that are not about you (a framework,
a Trust) and are named where they matter.

{tables}

Files:
  evidence/      your evidence files, named by their id and the name they were uploaded with
  certificates/  your certificates as PDFs, named by serial
  credentials/   your certificates as Open Badges 3.0 digital credentials (VC-JWT)

Decisions, sign-offs and certificates are kept for as long as your professional record is
(docs/data-protection.md explains why). Ask your Trust's administrator if something here is wrong.
"""


def _write_table(archive: zipfile.ZipFile, category: Category, person: User) -> None:
    queryset = category.rows(person)
    names = fields_of(queryset.model)
    with archive.open(f"data/{category.name}.json", "w") as out:
        out.write(b"[")
        for number, row in enumerate(rows_of(queryset)):
            out.write(
                (b",\n" if number else b"\n") + json.dumps(row, cls=DjangoJSONEncoder).encode()
            )
        out.write(b"\n]\n")
    encoder = DjangoJSONEncoder()

    def cell(value):
        if value is None or isinstance(value, str | int | float | bool):
            return value
        if isinstance(value, dict | list):
            return json.dumps(value, cls=DjangoJSONEncoder)
        return encoder.default(value)

    with archive.open(f"data/{category.name}.csv", "w") as out:
        table = ([cell(row[name]) for name in names] for row in rows_of(queryset))
        for chunk in csv_chunks([names, *table]):
            out.write(chunk)


def _copy(storage_file, archive: zipfile.ZipFile, path: str) -> bool:
    try:
        with storage_file.open("rb") as source, archive.open(path, "w") as out:
            for block in iter(lambda: source.read(1024 * 1024), b""):
                out.write(block)
    except (OSError, ValueError):  # gone from storage (retention), or never stored
        return False
    return True


def write_export(person: User, handle) -> None:
    """Write the ZIP for `person` into the open binary file `handle`."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        tables = "\n".join(f"  {c.name}: {c.description}" for c in CATEGORIES)
        archive.writestr(
            "README.txt",
            README.format(
                name=person.full_name,
                email=person.email,
                made=timezone.localtime().strftime("%d %B %Y %H:%M"),
                tables=tables,
            ),
        )
        for category in CATEGORIES:
            _write_table(archive, category, person)
        for item in Evidence.objects.filter(record__enrolment__learner=person).order_by("pk"):
            if item.file_expired_at is None:
                _copy(
                    item.file, archive, f"evidence/{item.pk}-{safe_file_name(item.original_name)}"
                )
        for certificate in Certificate.objects.filter(holder=person).order_by("pk"):
            if certificate.pdf:
                _copy(certificate.pdf, archive, f"certificates/{certificate.serial}.pdf")
            try:
                token = credentials.signed_credential(certificate)
            except SigningKeyError:
                continue
            archive.writestr(f"credentials/{certificate.serial}.jwt", token)
