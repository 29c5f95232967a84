"""Evidence on a proficiency's page: files and photos added (several at once), checked,
removed, and who may download them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Evidence, RecordEvent
from stepwise.progress.services import (
    evidence_add,
)

from .learner_support import (
    JPEG,
    PDF,
    PNG,
    achieve,
    ask,
    docx_bytes,
    read,
    records,
    sign_in_redirect,
    upload,
)


def page(record) -> str:
    return reverse("progress:record", args=[record.enrolment_id, record.pk])


@pytest.fixture
def first(enrolment):
    return records(enrolment)[0]


@pytest.fixture
def someone_else(trust):
    return MembershipFactory(trust=trust, is_learner=True).person


class TestEvidence:
    @pytest.mark.parametrize(
        ("name", "content", "kind"),
        [
            ("obs.pdf", PDF, Evidence.Kind.PDF),
            ("photo.png", PNG, Evidence.Kind.PNG),
            ("report.docx", docx_bytes(), Evidence.Kind.DOCX),
        ],
    )
    def test_the_learner_uploads_and_downloads_a_file(
        self, client_for, learner, first, name, content, kind
    ):
        client = client_for(learner)
        response = client.post(page(first), {"file": upload(name, content)})
        assert response.status_code == 302
        evidence = Evidence.objects.get()
        assert (evidence.kind, evidence.original_name) == (kind, name)
        html = read(client.get(page(first)))
        assert f"{name} has been added to 1.1" in html
        download = reverse("progress:evidence_download", args=[evidence.pk])
        assert download in html

        response = client.get(download)

        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == content

    @pytest.mark.parametrize(
        ("file", "message"),
        [
            (upload("fake.pdf", b"Just some text, honest"), "must be a PDF, PNG, JPEG or Word"),
            (upload("empty.pdf", b""), "The selected file is empty"),
            (
                upload("huge.pdf", PDF + b"0" * (50 * 1024 * 1024)),
                "The selected file must be smaller than 10 MB",
            ),
            (upload("zip.docx", b"PK\x03\x04not really a zip"), "must be a PDF, PNG, JPEG or Word"),
            (None, "Select a file to upload"),
        ],
    )
    def test_a_bad_file_is_explained_and_not_kept(self, client_for, learner, first, file, message):
        response = client_for(learner).post(page(first), {"file": file} if file else {})
        html = read(response)
        assert response.status_code == 200
        assert "<title>Error: " in html
        assert message in html
        assert re.search(r'<a href="#id_file"\s*>', html)
        assert not Evidence.objects.exists()

    def test_the_upload_offers_the_camera_and_states_the_size_limit(
        self, client_for, learner, first
    ):
        html = read(client_for(learner).get(page(first)))
        files = re.search(r'<input[^>]*name="file"[^>]*>', html).group()
        photo = re.search(r'<input[^>]*name="photo"[^>]*>', html).group()
        assert "multiple" in files and "application/pdf" in files
        assert 'capture="environment"' in photo and 'accept="image/jpeg,image/png"' in photo
        # learner.js makes a larger photo smaller, to this size, before it is sent.
        assert 'data-max-bytes="10485760"' in photo and 'data-max-bytes="10485760"' in files
        assert "each smaller than 10 MB" in html and "Photos must be smaller than 10 MB" in html
        assert 'enctype="multipart/form-data"' in html

    def test_several_files_and_a_photo_are_added_with_one_press(self, client_for, learner, first):
        client = client_for(learner)
        response = client.post(
            page(first),
            {
                "file": [upload("obs.pdf"), upload("chart.png", PNG, "image/png")],
                "photo": upload("image.jpg", JPEG, "image/jpeg"),
            },
        )
        assert response.status_code == 302
        assert sorted(Evidence.objects.values_list("original_name", "kind")) == [
            ("chart.png", Evidence.Kind.PNG),
            ("image.jpg", Evidence.Kind.JPEG),
            ("obs.pdf", Evidence.Kind.PDF),
        ]
        html = read(client.get(page(first)))
        assert "obs.pdf, chart.png and image.jpg have been added to 1.1" in html

    def test_one_bad_file_among_several_loses_nothing_else(self, client_for, learner, first):
        response = client_for(learner).post(
            page(first), {"file": [upload("good.pdf"), upload("fake.pdf", b"Not a PDF")]}
        )
        html = read(response)
        assert response.status_code == 200 and "<title>Error: " in html
        assert "fake.pdf: The selected file must be a PDF, PNG, JPEG or Word" in html
        assert "good.pdf has been added to 1.1" in html
        assert list(Evidence.objects.values_list("original_name", flat=True)) == ["good.pdf"]

    def test_a_double_tapped_upload_is_kept_once(self, client_for, learner, first):
        client = client_for(learner)
        client.post(page(first), {"file": upload("airway.pdf")})
        client.post(page(first), {"file": upload("airway.pdf")})
        assert Evidence.objects.filter(record=first).count() == 1
        assert RecordEvent.objects.filter(record=first, kind="evidence_added").count() == 1

    def test_the_same_file_later_or_a_different_file_is_kept(self, learner, first):
        evidence_add(record=first, by=learner, upload=upload("airway.pdf"))
        evidence_add(record=first, by=learner, upload=upload("checklist.pdf"))
        Evidence.objects.update(uploaded_at=timezone.now() - timedelta(minutes=5))
        evidence_add(record=first, by=learner, upload=upload("airway.pdf"))
        assert Evidence.objects.filter(record=first).count() == 3

    def test_evidence_cannot_change_while_waiting_for_confirmation(
        self, client_for, learner, assessor, enrolment, first
    ):
        evidence = evidence_add(record=first, by=learner, upload=upload())
        ask(enrolment, [first], assessor)
        client = client_for(learner)
        html = read(client.get(page(first)))
        assert 'type="file"' not in html
        assert reverse("progress:evidence_remove", args=[evidence.pk]) not in html

        response = client.post(page(first), {"file": upload("late.pdf")})
        assert "Evidence cannot change while a proficiency is waiting" in read(response)

        response = client.post(reverse("progress:evidence_remove", args=[evidence.pk]))
        assert "Evidence cannot change" in read(client.get(response.url))
        evidence.refresh_from_db()
        assert evidence.removed_at is None
        assert Evidence.objects.count() == 1

    def test_removing_hides_the_file_and_keeps_its_history(self, client_for, learner, first):
        evidence = evidence_add(record=first, by=learner, upload=upload("old.pdf"))
        client = client_for(learner)
        response = client.post(reverse("progress:evidence_remove", args=[evidence.pk]))
        assert response.url == page(first)
        evidence.refresh_from_db()
        assert evidence.removed_at is not None
        html = read(client.get(page(first)))
        assert "old.pdf has been removed" in html
        assert reverse("progress:evidence_download", args=[evidence.pk]) not in html
        assert "Evidence removed" in html
        download = client.get(reverse("progress:evidence_download", args=[evidence.pk]))
        assert download.status_code == 404
        # Removing twice is not possible: it is no longer there to remove.
        again = client.post(reverse("progress:evidence_remove", args=[evidence.pk]))
        assert again.status_code == 404

    def test_someone_elses_evidence_cannot_be_removed(
        self, client_for, learner, someone_else, first
    ):
        evidence = evidence_add(record=first, by=learner, upload=upload())
        response = client_for(someone_else).post(
            reverse("progress:evidence_remove", args=[evidence.pk])
        )
        assert response.status_code == 404
        evidence.refresh_from_db()
        assert evidence.removed_at is None

    def test_removing_needs_a_post(self, client_for, learner, first):
        evidence = evidence_add(record=first, by=learner, upload=upload())
        response = client_for(learner).get(reverse("progress:evidence_remove", args=[evidence.pk]))
        assert response.status_code == 405


class TestDownloadAccess:
    """Evidence goes only to the learner and to staff of the enrolment's Trust who work with
    them; everyone else gets a 404, as if it did not exist."""

    @pytest.fixture
    def evidence(self, learner, first):
        return evidence_add(
            record=first,
            by=learner,
            upload=upload('Obs "night" shift – Bay 3.pdf'),
        )

    def get(self, client, evidence):
        return client.get(reverse("progress:evidence_download", args=[evidence.pk]))

    def test_it_is_always_a_safe_download(self, client_for, learner, evidence):
        response = self.get(client_for(learner), evidence)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''Obs%20%22night%22%20shift%20%E2%80%93%20Bay%203.pdf"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]

    @pytest.mark.parametrize("who", ["educator", "assessor", "trust_admin"])
    def test_staff_who_work_with_the_learner_may_download(self, request, client_for, evidence, who):
        response = self.get(client_for(request.getfixturevalue(who)), evidence)
        assert response.status_code == 200

    def test_an_assessor_asked_to_confirm_may_download(
        self, client_for, trust, enrolment, first, evidence
    ):
        asked = MembershipFactory(trust=trust, unit=trust.units[1], is_assessor=True).person
        client = client_for(asked)
        assert self.get(client, evidence).status_code == 404
        ask(enrolment, [first], asked)
        assert self.get(client, evidence).status_code == 200

    def test_an_assessor_of_the_units_pool_may_download_once_asked(
        self, client_for, trust, learner, enrolment, first, evidence
    ):
        from stepwise.progress.services import confirmation_request

        pool = MembershipFactory(trust=trust, unit=trust.units[0], is_assessor=True).person
        client = client_for(pool)
        assert self.get(client, evidence).status_code == 404
        achieve(enrolment, [first])
        confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[first.pk], unit=trust.units[0]
        )
        assert self.get(client, evidence).status_code == 200

    def test_everyone_else_gets_not_found(
        self, client, client_for, trust, other_trust_admin, someone_else, evidence
    ):
        stranger = MembershipFactory(trust=trust, unit=trust.units[1], is_assessor=True).person
        for person in (other_trust_admin, someone_else, stranger):
            assert self.get(client_for(person), evidence).status_code == 404
        client.logout()
        assert sign_in_redirect(self.get(client, evidence))

    def test_staff_who_left_the_trust_get_not_found(self, client_for, educator, evidence):
        educator.memberships.update(state="ended")
        assert self.get(client_for(educator), evidence).status_code == 404

    def test_a_forged_id_is_not_found(self, client_for, learner):
        response = client_for(learner).get(reverse("progress:evidence_download", args=[99999]))
        assert response.status_code == 404
