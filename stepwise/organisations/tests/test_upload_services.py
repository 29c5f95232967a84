import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.utils import timezone

from stepwise.accounts.models import AccessLink, User
from stepwise.accounts.services import invitation_check
from stepwise.accounts.tests.factories import PersonFactory
from stepwise.core.errors import ConflictError
from stepwise.notifications.models import Notification
from stepwise.organisations.models import Membership, MembershipEvent, PeopleUpload
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.organisations.tests.upload_files import csv_bytes, person_row
from stepwise.organisations.upload import services
from stepwise.organisations.upload.reading import read_people_file
from stepwise.organisations.upload.services import (
    UploadRejected,
    people_bulk_register,
    people_upload_run,
    people_upload_start,
)


def sheet(rows):
    return read_people_file(name="people.csv", data=csv_bytes(rows))


@pytest.fixture
def register(trust, trust_admin, django_capture_on_commit_callbacks):
    def run(rows):
        with django_capture_on_commit_callbacks(execute=True):
            return people_bulk_register(sheet=sheet(rows), trust=trust, by=trust_admin)

    return run


def test_everyone_gets_a_membership_an_event_and_an_invitation(register, trust, trust_admin):
    result = register([person_row(1, unit=trust.units[0].code, roles="learner; assessor")])
    assert (result.registered, result.joined, result.invited) == (1, 0, 1)

    membership = Membership.objects.get(person__email="person.1@nhs.net")
    assert (membership.trust, membership.unit, membership.state) == (
        trust,
        trust.units[0],
        Membership.State.ACTIVE,
    )
    assert membership.roles == ["learner", "assessor"]
    assert [(e.kind, e.actor, e.to_state, e.note) for e in membership.events.all()] == [
        (MembershipEvent.Kind.CREATED, trust_admin, "active", "Learner, Assessor"),
        (MembershipEvent.Kind.INVITED, trust_admin, "", ""),
    ]
    link = AccessLink.objects.get(person=membership.person)
    assert (link.purpose, link.trust, link.unit, link.created_by) == (
        AccessLink.Purpose.INVITATION,
        trust,
        trust.units[0],
        trust_admin,
    )
    assert link.expires_at > timezone.now() + timedelta(days=13)


def test_the_emailed_invitation_link_works(register):
    register([person_row(1)])
    [email] = mail.outbox
    assert email.to == ["person.1@nhs.net"]
    assert email.subject == "You have been invited to Stepwise by " + (
        "Northshire Teaching Hospitals NHS Foundation Trust"
    )
    token = re.search(r"/invitation/([^/\s]+)/", email.body)
    assert token, email.body
    link = invitation_check(token=token.group(1))
    assert link.person.email == "person.1@nhs.net"


def test_a_person_with_a_password_elsewhere_is_invited_and_does_not_join(
    register, trust, trust_admin, other_learner
):
    result = register([person_row(1, email=other_learner.email, full_name="Another Name")])
    assert (result.registered, result.joined, result.invited) == (0, 1, 0)
    other_learner.refresh_from_db()
    assert other_learner.full_name != "Another Name"  # their account is theirs
    # Their own answer starts the membership, not the file.
    membership = Membership.objects.get(person=other_learner, trust=trust)
    assert membership.state == Membership.State.INVITED
    assert not Membership.objects.current().filter(person=other_learner, trust=trust).exists()
    assert [(e.kind, e.actor, e.to_state) for e in membership.events.all()] == [
        (MembershipEvent.Kind.JOIN_INVITED, trust_admin, "invited")
    ]
    assert not AccessLink.objects.filter(person=other_learner).exists()
    [email] = mail.outbox
    assert email.subject == (
        "Northshire Teaching Hospitals NHS Foundation Trust invites you to join it on Stepwise"
    )
    assert "/invitations/" in email.body
    [notice] = Notification.objects.filter(person=other_learner)
    assert notice.url == "/invitations/"
    assert "invites you to join as learner" in notice.text


def test_a_person_who_never_set_a_password_gets_a_fresh_invitation(register, other_trust):
    person = PersonFactory(email="waiting@nhs.net")
    person.set_unusable_password()
    person.save()
    MembershipFactory(person=person, trust=other_trust, is_learner=True)
    old, _token = AccessLink.issue(person=person, purpose=AccessLink.Purpose.INVITATION)

    result = register([person_row(1, email="waiting@nhs.net")])
    assert (result.registered, result.joined, result.invited) == (0, 1, 1)
    old.refresh_from_db()
    assert old.is_expired
    fresh = AccessLink.objects.exclude(pk=old.pk).get(person=person)
    assert not fresh.is_expired
    # A password lets them sign in and answer the invitation to join; it does not accept.
    assert sorted(email.subject.split(" ")[0] for email in mail.outbox) == ["Northshire", "You"]
    assert Membership.objects.get(person=person, trust=fresh.trust).state == "invited"
    assert User.objects.filter(email="waiting@nhs.net").count() == 1


def test_a_bad_row_means_nobody_is_registered(register):
    before = User.objects.count(), Membership.objects.count(), MembershipEvent.objects.count()
    with pytest.raises(UploadRejected) as rejected:
        register([person_row(1), person_row(2, roles="nurse")])
    assert [str(error) for error in rejected.value.errors] == [
        "Row 3, roles: “nurse” is not a role. Use learner, assessor, educator or trust admin, "
        "separated by semicolons"
    ]
    after = User.objects.count(), Membership.objects.count(), MembershipEvent.objects.count()
    assert after == before
    assert mail.outbox == []


def test_someone_registering_at_the_same_moment_is_a_conflict(register, monkeypatch):
    def clash(**kwargs):
        User.objects.create_user(email="person.2@nhs.net", full_name="Fast")
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_register", clash)
    with pytest.raises(ConflictError, match="nothing was imported"):
        register([person_row(1), person_row(2)])
    assert not User.objects.filter(email__startswith="person.").exists()
    assert mail.outbox == []


def test_it_works_where_bulk_inserts_return_no_keys(register, monkeypatch, trust):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    register([person_row(n, unit=trust.units[0].name) for n in range(3)])
    memberships = Membership.objects.filter(person__email__startswith="person.")
    assert memberships.count() == 3
    assert MembershipEvent.objects.filter(membership__in=memberships).count() == 6
    assert AccessLink.objects.filter(person__email__startswith="person.").count() == 3


@pytest.mark.parametrize("count", [50, 500])
def test_the_import_takes_a_small_fixed_number_of_queries(
    count, trust, trust_admin, other_trust, django_assert_max_num_queries
):
    # Some of the file joins from another Trust, some of those without a password yet.
    for number in range(0, count, 10):
        person = PersonFactory(email=f"person.{number}@nhs.net")
        if number % 20:
            person.set_unusable_password()
            person.save()
        MembershipFactory(person=person, trust=other_trust, is_learner=True)
    rows = sheet([person_row(n, unit=trust.units[n % 2].name) for n in range(count)])
    # PostgreSQL inserts each table's rows in one statement. SQLite takes at most 999 values
    # in one, so Django splits each bulk insert into batches of about 70 rows: 500 people
    # then need ~30 queries, still nothing like one per row.
    limit = 10 if connection.vendor == "postgresql" else 40
    with django_assert_max_num_queries(limit):
        result = people_bulk_register(sheet=rows, trust=trust, by=trust_admin)
    assert result.registered + result.joined == count
    assert Membership.objects.filter(trust=trust).count() == count + 1


# The background half: queueing an upload, and the task that registers it


def start(trust, by, rows):
    return people_upload_start(sheet=sheet(rows), trust=trust, by=by, file_name="staff.csv")


def test_starting_checks_every_row_first(trust, trust_admin):
    with pytest.raises(UploadRejected):
        start(trust, trust_admin, [person_row(1), person_row(2, email="nope")])
    assert not PeopleUpload.objects.exists()


def test_a_started_upload_is_registered_by_the_task(
    trust, trust_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload = start(trust, trust_admin, [person_row(1), person_row(2)])
    upload.refresh_from_db()
    assert upload.state == PeopleUpload.State.DONE
    assert (upload.people, upload.registered, upload.joined, upload.invited) == (2, 2, 0, 2)
    assert upload.rows == []
    assert upload.started_at <= upload.finished_at
    assert Membership.objects.filter(trust=trust, person__email__startswith="person.").count() == 2
    assert len(mail.outbox) == 2


def test_an_upload_runs_once(trust, trust_admin):
    upload = start(trust, trust_admin, [person_row(1)])
    people_upload_run(upload_id=upload.pk)
    again = people_upload_run(upload_id=upload.pk)
    assert again.state == PeopleUpload.State.DONE
    assert Membership.objects.filter(person__email="person.1@nhs.net").count() == 1


def test_a_row_gone_wrong_since_the_check_fails_the_whole_upload(trust, trust_admin):
    upload = start(trust, trust_admin, [person_row(1), person_row(2)])
    MembershipFactory(trust=trust, person=PersonFactory(email="person.2@nhs.net"))
    upload = people_upload_run(upload_id=upload.pk)
    assert upload.state == PeopleUpload.State.FAILED
    assert upload.problems == [
        {
            "row": 3,
            "column": "email",
            "message": "person.2@nhs.net is already a member of Northshire Teaching Hospitals "
            "NHS Foundation Trust. Remove this row",
        }
    ]
    assert not User.objects.filter(email="person.1@nhs.net").exists()


def test_a_clash_at_the_last_moment_fails_the_upload(trust, trust_admin, monkeypatch):
    upload = start(trust, trust_admin, [person_row(1)])

    def clash(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(services, "_register", clash)
    upload = people_upload_run(upload_id=upload.pk)
    assert upload.state == PeopleUpload.State.FAILED
    assert "nothing was imported" in upload.problems[0]["message"]


def test_an_unexpected_error_fails_the_upload_and_is_raised(trust, trust_admin, monkeypatch):
    upload = start(trust, trust_admin, [person_row(1)])

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_register", broken)
    with pytest.raises(RuntimeError):
        people_upload_run(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.state == PeopleUpload.State.FAILED
    assert upload.problems == [{"message": services.UNEXPECTED}]
    assert not User.objects.filter(email="person.1@nhs.net").exists()
