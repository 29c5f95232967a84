"""Who may ask for an export, and who may see and download it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.core.models import AccessRecord
from stepwise.organisations.models import Membership
from stepwise.privacy.models import SubjectAccessExport, SubjectAccessExportEvent

from .factories import make_export, opened


def membership_of(person, trust):
    return Membership.objects.get(person=person, trust=trust)


def progress(export):
    return reverse("privacy:export_progress", args=[export.pk])


def download(export):
    return reverse("privacy:export_download", args=[export.pk])


def test_a_person_asks_for_their_own_data_and_downloads_it(
    client_for, learner, django_capture_on_commit_callbacks
):
    client = client_for(learner)
    page = client.get(reverse("privacy:my_data"))
    assert page.status_code == 200
    assert "Ask for a copy of your data" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:my_data"))
    export = SubjectAccessExport.objects.get()
    assert response.url == progress(export)
    assert "The copy of the data is ready" in client.get(progress(export)).content.decode()
    zipped = client.get(download(export))
    assert zipped.status_code == 200
    assert zipped["Content-Type"] == "application/zip"
    assert "attachment" in zipped["Content-Disposition"]
    assert "data/profile.json" in opened(b"".join(zipped.streaming_content))
    kinds = list(export.events.values_list("kind", flat=True))
    assert kinds == ["requested", "started", "made", "downloaded"]
    # Their own: nothing for the access log.
    assert not AccessRecord.objects.exists()


def test_a_trust_admin_asks_for_a_members_data_and_it_is_logged(
    client_for, learner, trust, trust_admin, django_capture_on_commit_callbacks
):
    client = client_for(trust_admin)
    member = membership_of(learner, trust)
    url = reverse("privacy:person_export", args=[member.pk])
    assert (
        client.get(reverse("organisations:person_detail", args=[member.pk]))
        .content.decode()
        .count(url)
        == 1
    )
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    export = SubjectAccessExport.objects.get()
    assert (export.person, export.requested_by, export.trust) == (learner, trust_admin, trust)
    assert response.url == progress(export)
    assert client.get(download(export)).status_code == 200
    logged = list(AccessRecord.objects.filter(subject=learner).values_list("what", flat=True))
    assert sorted(logged) == [
        "Asked for a subject access export",
        "Downloaded a subject access export",
        "Viewed their details and history",
    ]


def test_another_trusts_person_is_not_found(client_for, other_learner, other_trust, trust_admin):
    member = membership_of(other_learner, other_trust)
    url = reverse("privacy:person_export", args=[member.pk])
    assert client_for(trust_admin).get(url).status_code == 404
    assert client_for(trust_admin).post(url).status_code == 404
    assert not SubjectAccessExport.objects.exists()


def test_only_trust_admins_export_someone_else(client_for, learner, educator, trust):
    url = reverse("privacy:person_export", args=[membership_of(learner, trust).pk])
    assert client_for(educator).post(url).status_code == 403
    assert client_for(learner).post(url).status_code == 403


@pytest.mark.parametrize("who", ["learner", "assessor", "other_trust_admin", "platform_admin"])
def test_only_who_asked_sees_the_export(client_for, request, trust, trust_admin, learner, who):
    export = make_export(learner, trust_admin, trust)
    client = client_for(request.getfixturevalue(who))
    assert client.get(progress(export)).status_code == 404
    assert client.get(download(export)).status_code == 404
    assert not SubjectAccessExportEvent.objects.filter(kind="downloaded").exists()


def test_a_stalled_export_is_given_up_and_says_to_ask_again(client_for, learner):
    export = SubjectAccessExport.objects.create(
        person=learner,
        requested_by=learner,
        state=SubjectAccessExport.State.RUNNING,
        started_at=timezone.now() - timedelta(minutes=11),
    )
    client = client_for(learner)
    html = client.get(progress(export)).content.decode()
    assert "was not made" in html
    assert "Ask for it again" in html
    assert client.get(download(export)).status_code == 404
    export.refresh_from_db()
    assert export.state == "failed"


def test_a_running_export_is_not_ready_to_download(client_for, learner):
    export = SubjectAccessExport.objects.create(
        person=learner,
        requested_by=learner,
        state=SubjectAccessExport.State.RUNNING,
        started_at=timezone.now(),
    )
    client = client_for(learner)
    assert "Check again" in client.get(progress(export)).content.decode()
    assert client.get(download(export)).status_code == 404
