"""Registering everyone in a checked people file: all of them or none, in one transaction.

The request checks the file and queues a `PeopleUpload`; a background task registers
everyone (bench/results.md: 5,000 people take seconds, too long to hold a page). The
outcome is that of `person_register` once per row (a new account and an invitation, or an
existing account invited to join the Trust), done with a handful of bulk inserts so that 5,000
people take about as many queries as five.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from stepwise.accounts.models import AccessLink, User
from stepwise.core.email import send_templated_emails
from stepwise.core.errors import ConflictError
from stepwise.notifications.models import Notification
from stepwise.organisations.invitations import invitation_to_join
from stepwise.organisations.models import (
    ROLE_FIELDS,
    Membership,
    MembershipEvent,
    Organisation,
    Role,
)
from stepwise.organisations.upload import tasks
from stepwise.organisations.upload.models import PeopleUpload
from stepwise.organisations.upload.queries import LOOKUP_CHUNK, trust_directory
from stepwise.organisations.upload.reading import Sheet, SheetRow
from stepwise.organisations.upload.validation import PersonRow, RowError, validate_rows

logger = logging.getLogger(__name__)

# The password invitation `person_register` sends; queued in batches here.
INVITATION_EMAIL = "accounts/emails/invitation"


class UploadRejected(Exception):
    """Some rows are wrong; nothing was registered."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors in the file")
        self.errors = errors


@dataclass(frozen=True)
class UploadResult:
    registered: int  # new accounts
    joined: int  # people who already had an account: invited to join, waiting to accept
    invited: int  # invitations to set a password (everyone new, and joiners without one)


def _check(sheet: Sheet, trust: Organisation) -> list[PersonRow]:
    directory = trust_directory(
        trust=trust, emails=(row.values.get("email", "") for row in sheet.rows)
    )
    people, errors = validate_rows(sheet.rows, directory)
    if errors:
        raise UploadRejected(errors)
    return people


def people_upload_start(
    *, sheet: Sheet, trust: Organisation, by: User, file_name: str
) -> PeopleUpload:
    """Check every row now (raising UploadRejected with every problem), then queue the
    registering. The task checks again as it registers, in case things moved meanwhile."""
    _check(sheet, trust)
    with transaction.atomic():
        upload = PeopleUpload.objects.create(
            trust=trust,
            uploaded_by=by,
            file_name=file_name[:255],
            people=len(sheet.rows),
            rows=[{"number": row.number, "values": row.values} for row in sheet.rows],
        )
        transaction.on_commit(
            lambda: tasks.register_uploaded_people.enqueue(upload_id=str(upload.pk))
        )
    return upload


def people_upload_run(*, upload_id) -> PeopleUpload:
    """Register everyone in a queued upload, once: a second worker finds it taken."""
    now = timezone.now()
    claimed = PeopleUpload.objects.filter(pk=upload_id, state=PeopleUpload.State.QUEUED).update(
        state=PeopleUpload.State.RUNNING, started_at=now
    )
    upload = PeopleUpload.objects.select_related("trust", "uploaded_by").get(pk=upload_id)
    if not claimed:
        return upload
    sheet = _stored_sheet(upload)
    failed = PeopleUpload.State.FAILED
    try:
        with transaction.atomic():
            result = people_bulk_register(sheet=sheet, trust=upload.trust, by=upload.uploaded_by)
            # Done in the registering's own transaction, and only if the upload is still
            # running: given up as stalled meanwhile (people_upload_fail_if_stalled), the
            # registering is rolled back, so its page's "nothing was imported" stays true.
            done = _finish(
                upload,
                state=PeopleUpload.State.DONE,
                registered=result.registered,
                joined=result.joined,
                invited=result.invited,
            )
            if not done:
                raise _GivenUp
    except _GivenUp:
        logger.warning("People upload %s was given up before it finished; rolled back", upload_id)
    except UploadRejected as rejected:
        _finish(upload, state=failed, problems=_problems(rejected.errors))
    except ConflictError as error:
        _finish(upload, state=failed, problems=[{"message": str(error)}])
    except Exception:
        logger.exception("People upload %s failed", upload_id)
        _finish(upload, state=failed, problems=[{"message": UNEXPECTED}])
        raise
    upload.refresh_from_db()
    return upload


def _stored_sheet(upload: PeopleUpload) -> Sheet:
    return Sheet(
        kind="stored",
        columns=tuple(upload.rows[0]["values"]) if upload.rows else (),
        rows=[SheetRow(row["number"], row["values"]) for row in upload.rows],
    )


class _GivenUp(Exception):
    """The upload stopped being this worker's while it was registering."""


UNEXPECTED = (
    "Something went wrong while registering these people, so nothing was imported. "
    "Upload the file again"
)
# Registering is one transaction: 10,000 people take about 12 s (bench/results.md). An upload
# running this long has lost its worker (killed, out of memory, restarted), and with it the
# transaction, so nothing was imported.
STALLED_AFTER = timedelta(minutes=10)
STALLED = (
    "Registering these people stopped before it finished, so nothing was imported. "
    "Upload the file again"
)


def people_upload_fail_if_stalled(*, upload: PeopleUpload, now=None) -> PeopleUpload:
    """Mark an upload failed if it has been running so long that its worker must have died,
    so that its page stops saying it is registering people. Nothing needs undoing: the worker's
    transaction died with it; a worker that is only slow rolls back when it finishes."""
    now = now or timezone.now()
    cutoff = now - STALLED_AFTER
    if upload.state != PeopleUpload.State.RUNNING or upload.started_at >= cutoff:
        return upload  # the page's usual case, without a query
    given_up = PeopleUpload.objects.filter(
        pk=upload.pk, state=PeopleUpload.State.RUNNING, started_at__lt=cutoff
    ).update(
        state=PeopleUpload.State.FAILED, finished_at=now, rows=[], problems=[{"message": STALLED}]
    )
    if given_up:
        logger.warning("People upload %s stalled; started at %s", upload.pk, upload.started_at)
    upload.refresh_from_db()
    return upload


def _problems(errors: list[RowError]) -> list[dict]:
    return [{"row": e.row, "column": e.column, "message": e.message} for e in errors]


def _finish(upload: PeopleUpload, **changes) -> bool:
    """Finish a running upload, emptying its rows (the people now hold the details, or the
    file must be uploaded again); False if it is not running (any more)."""
    running = PeopleUpload.objects.filter(pk=upload.pk, state=PeopleUpload.State.RUNNING)
    return bool(running.update(finished_at=timezone.now(), rows=[], **changes))


def people_bulk_register(*, sheet: Sheet, trust: Organisation, by: User) -> UploadResult:
    """Check every row against the Trust, then register everyone, or raise UploadRejected
    listing every problem. Emails go after the transaction commits."""
    try:
        with transaction.atomic():
            return _register(people=_check(sheet, trust), trust=trust, by=by)
    except IntegrityError as error:
        # Checked inside this transaction; only a registration made at the same moment
        # (which the unique constraints catch) can get here.
        raise ConflictError(
            "Someone else registered some of these people at the same moment, so nothing "
            "was imported. Upload the file again"
        ) from error


def _role_flags(roles: tuple[Role, ...]) -> dict[str, bool]:
    return {field: role in roles for role, field in ROLE_FIELDS.items()}


def _register(*, people: list[PersonRow], trust: Organisation, by: User) -> UploadResult:
    now = timezone.now()
    new_people = _create_people([row for row in people if row.existing is None], now)
    users = {person.email: person for person in new_people}
    users |= {row.email: _known_user(row) for row in people if row.existing}

    memberships = Membership.objects.bulk_create(
        [
            Membership(
                # Ids rather than objects: thousands of these are built.
                person_id=users[row.email].pk,
                trust_id=trust.pk,
                unit_id=row.unit.pk if row.unit else None,
                # Like person_register: someone with an account already is only invited,
                # and joins when they accept, themselves.
                state=_state_for(row),
                created_by_id=by.pk,
                created_at=now,
                **_role_flags(row.roles),
            )
            for row in people
        ]
    )
    _fill_membership_pks(memberships, trust)
    pairs = list(zip(people, memberships, strict=True))

    # An invitation to set a password for anyone who cannot sign in yet.
    invited = [
        (row, membership)
        for row, membership in pairs
        if row.existing is None or not row.existing.has_password
    ]
    asked = [(row, membership) for row, membership in pairs if row.existing is not None]
    events = [
        MembershipEvent.build(
            membership_id=membership.pk,
            kind=MembershipEvent.Kind.CREATED
            if row.existing is None
            else MembershipEvent.Kind.JOIN_INVITED,
            actor=by,
            to_state=membership.state,
            note=", ".join(role.label for role in row.roles),
            at=now,
        )
        for row, membership in pairs
    ]
    events += [
        MembershipEvent.build(
            membership_id=membership.pk, kind=MembershipEvent.Kind.INVITED, actor=by, at=now
        )
        for _row, membership in invited
    ]
    MembershipEvent.write_all(events)

    _expire_open_invitations(
        [row.existing.pk for row, _ in invited if row.existing is not None], now
    )
    links = [
        AccessLink.build(
            person=users[row.email],
            purpose=AccessLink.Purpose.INVITATION,
            created_by=by,
            trust=trust,
            unit=row.unit,
        )
        for row, membership in invited
    ]
    AccessLink.objects.bulk_create([link for link, _token in links])

    invitations = [
        {
            "to": row.email,
            "template": INVITATION_EMAIL,
            "context": {
                "person": users[row.email],
                "trust": trust,
                "token": token,
                "invited_by": by,
            },
        }
        for (row, _membership), (_link, token) in zip(invited, links, strict=True)
    ]
    to_join = [_invitation_to_join(row, membership, users, trust, by) for row, membership in asked]
    Notification.objects.bulk_create(
        [
            Notification(person_id=notice["person"].pk, text=notice["text"], url=notice["url"])
            for notice in to_join
        ]
    )
    join_emails = [
        {
            "to": notice["person"].email,
            "template": notice["email_template"],
            "context": {
                "person": notice["person"],
                "url": notice["url"],
                "text": notice["text"],
                **notice["context"],
            },
        }
        for notice in to_join
    ]
    send_templated_emails(invitations + join_emails)
    return UploadResult(registered=len(new_people), joined=len(asked), invited=len(invited))


def _state_for(row: PersonRow) -> str:
    return Membership.State.ACTIVE if row.existing is None else Membership.State.INVITED


def _invitation_to_join(row, membership, users, trust, by) -> dict:
    """The notice and email of an invitation to join, as person_register sends them."""
    membership.person = users[row.email]
    membership.trust = trust
    return invitation_to_join(membership, by=by)


def _known_user(row: PersonRow) -> User:
    """The existing account as far as memberships, links and emails need it (no query)."""
    person = User(pk=row.existing.pk, email=row.existing.email, full_name=row.existing.full_name)
    if not row.existing.has_password:
        person.set_unusable_password()
    return person


def _create_people(rows: list[PersonRow], now) -> list[User]:
    people = []
    for row in rows:
        person = User(
            email=row.email,
            full_name=row.full_name,
            job_title=row.job_title,
            registration_body=row.registration_body,
            registration_number=row.registration_number,
            date_joined=now,
        )
        # No password until they follow their invitation.
        person.set_unusable_password()
        people.append(person)
    User.objects.bulk_create(people)
    if any(person.pk is None for person in people):
        # Databases that cannot return keys from a bulk insert (SQLite before 3.35).
        emails = [person.email for person in people]
        pks: dict[str, int] = {}
        for start in range(0, len(emails), LOOKUP_CHUNK):
            chunk = emails[start : start + LOOKUP_CHUNK]
            pks |= dict(User.objects.filter(email__in=chunk).values_list("email", "pk"))
        for person in people:
            person.pk = pks[person.email]
    return people


def _fill_membership_pks(memberships: list[Membership], trust: Organisation) -> None:
    if all(membership.pk is not None for membership in memberships):
        return
    person_ids = [membership.person_id for membership in memberships]
    pks: dict[int, int] = {}
    for start in range(0, len(person_ids), LOOKUP_CHUNK):
        pks |= dict(
            Membership.objects.filter(
                trust=trust,
                state__in=[Membership.State.ACTIVE, Membership.State.INVITED],
                person_id__in=person_ids[start : start + LOOKUP_CHUNK],
            ).values_list("person_id", "pk")
        )
    for membership in memberships:
        membership.pk = pks[membership.person_id]


def _expire_open_invitations(person_ids: list[int], now) -> None:
    """Earlier invitations stop working once a new one is sent, as in invitation_send."""
    for start in range(0, len(person_ids), LOOKUP_CHUNK):
        AccessLink.objects.filter(
            person_id__in=person_ids[start : start + LOOKUP_CHUNK],
            purpose=AccessLink.Purpose.INVITATION,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
