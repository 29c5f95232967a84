"""The access log (issue 12 point 4): staff looking at a learner's record, downloading their
evidence or certificate, exporting learners or revoking a certificate are written down (who,
what, when, from where); the learner's own looks are not. Append-only; learners see theirs,
Trust admins search their Trust's; retention removes only what is older than the setting."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from stepwise.certificates.tests.conftest import fresh_throttle, sign_off, signing_keys
from stepwise.core.models import AccessRecord, AppendOnlyError
from stepwise.progress.services import evidence_add
from stepwise.progress.tests.conftest import enrolment, offered, version
from stepwise.progress.tests.factories import records
from tests.security.world import PNG

__all__ = ["enrolment", "fresh_throttle", "offered", "signing_keys", "version"]


@pytest.fixture
def evidence(enrolment, learner):
    record = records(enrolment)[0]
    return evidence_add(
        record=record, by=learner, upload=SimpleUploadedFile("ward.png", PNG, "image/png")
    )


def download(client, evidence, **extra):
    response = client.get(reverse("progress:evidence_download", args=[evidence.pk]), **extra)
    assert response.status_code == 200
    return response


def test_staff_downloading_evidence_is_logged_with_who_what_when_and_where(
    client_for, assessor, learner, trust, evidence
):
    before = timezone.now()
    download(client_for(assessor), evidence, REMOTE_ADDR="10.1.2.3")
    entry = AccessRecord.objects.get()
    assert (entry.viewer, entry.subject, entry.trust_id) == (assessor, learner, trust.pk)
    assert entry.what == "Downloaded evidence (ward.png)"
    assert entry.address == "10.1.2.3"
    assert entry.path == reverse("progress:evidence_download", args=[evidence.pk])
    assert before <= entry.at <= timezone.now()


def test_the_address_is_the_clients_behind_a_trusted_proxy(
    client_for, assessor, evidence, settings
):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = 1
    download(
        client_for(assessor),
        evidence,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    assert AccessRecord.objects.get().address == "198.51.100.7"


def test_the_learner_looking_at_their_own_record_is_not_logged(client_for, learner, evidence):
    download(client_for(learner), evidence)
    assert not AccessRecord.objects.exists()


def test_opening_a_record_or_a_request_to_review_is_logged(
    client_for, educator, learner, enrolment
):
    record = records(enrolment)[0]
    path = reverse("progress:staff_record", args=[enrolment.pk, record.pk])
    assert client_for(educator).get(path).status_code == 200
    entry = AccessRecord.objects.get()
    assert (entry.viewer, entry.subject) == (educator, learner)
    assert entry.what.startswith(f"Viewed proficiency {record.proficiency.code}")


def test_certificate_downloads_and_revocation_by_staff_are_logged(
    client_for, learner, assessor, educator, trust_admin, enrolment
):
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)
    own = client_for(learner)
    assert own.get(reverse("certificates:download", args=[certificate.serial])).status_code == 200
    assert not AccessRecord.objects.exists()
    staff = client_for(educator)
    assert staff.get(reverse("certificates:download", args=[certificate.serial])).status_code == 200
    assert (
        staff.get(reverse("certificates:credential", args=[certificate.serial])).status_code == 200
    )
    response = client_for(trust_admin).post(
        reverse("certificates:revoke", args=[certificate.serial]), {"reason": "Issued in error"}
    )
    assert response.status_code == 302
    assert [e.what for e in AccessRecord.objects.order_by("pk")] == [
        f"Downloaded certificate {certificate.serial}",
        f"Downloaded the digital credential of certificate {certificate.serial}",
        f"Revoked certificate {certificate.serial}",
    ]
    assert {e.subject_id for e in AccessRecord.objects.all()} == {learner.pk}


def test_exporting_learners_is_logged(client_for, educator, trust, enrolment):
    path = reverse("reports:learners_export", args=["csv"]) + "?show=not_started"
    assert client_for(educator).get(path).status_code == 200
    entry = AccessRecord.objects.get()
    assert entry.subject is None and entry.trust_id == trust.pk
    assert entry.what == "Exported 1 learners (Not started, CSV)"


def test_the_log_is_append_only(client_for, assessor, evidence):
    download(client_for(assessor), evidence)
    entry = AccessRecord.objects.get()
    entry.what = "Nothing to see"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.filter(pk=entry.pk).update(what="Nothing to see")
    with pytest.raises(AppendOnlyError):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.get().what == "Downloaded evidence (ward.png)"


def test_the_learner_sees_who_viewed_their_record_and_nobody_elses(
    client_for, assessor, learner, evidence, other_learner
):
    download(client_for(assessor), evidence)
    page = client_for(learner).get(reverse("core:who_viewed")).content.decode()
    assert assessor.full_name in page and "Downloaded evidence (ward.png)" in page
    other = client_for(other_learner).get(reverse("core:who_viewed")).content.decode()
    assert "Nobody else has viewed your record." in other
    assert assessor.full_name not in other


def test_trust_admins_search_their_trusts_log_only(
    client_for, assessor, educator, learner, trust_admin, other_trust_admin, enrolment, evidence
):
    download(client_for(assessor), evidence)
    record = records(enrolment)[1]
    client_for(educator).get(reverse("progress:staff_record", args=[enrolment.pk, record.pk]))
    admin = client_for(trust_admin)
    everything = admin.get(reverse("organisations:access_log")).content.decode()
    assert "2 entries" in everything
    found = admin.get(reverse("organisations:access_log"), {"q": assessor.email}).content
    assert "1 entry" in found.decode() and "ward.png" in found.decode()
    elsewhere = client_for(other_trust_admin).get(reverse("organisations:access_log"))
    assert "No entries" in elsewhere.content.decode()
    assert learner.full_name not in elsewhere.content.decode()


def test_retention_removes_only_entries_older_than_the_setting(
    client_for, assessor, evidence, settings
):
    settings.STEPWISE_ACCESS_LOG_DAYS = 30
    client = client_for(assessor)
    download(client, evidence)
    download(client, evidence)
    old, recent = AccessRecord.objects.order_by("pk")
    # Backdate one entry as time would (the model refuses updates: the test goes around it).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AccessRecord._meta.db_table} SET at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=31), old.pk],
        )
    call_command("expire_access_log")
    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_search_the_database_cannot_hold_is_explained_not_a_500(client_for, trust_admin):
    """Found by the fuzzer on PostgreSQL: a NUL character in the search was a server error."""
    response = client_for(trust_admin).get(reverse("organisations:access_log"), {"q": "Ann\x00e"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and "Null characters are not allowed" in page
    long = client_for(trust_admin).get(reverse("organisations:access_log"), {"q": "x" * 101})
    assert "Search must be 100 characters or fewer" in long.content.decode()
