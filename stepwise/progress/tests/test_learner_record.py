"""A proficiency's own page: what it asks, the learner's reflection and evidence, action
plans, decisions and history; and changing a confirmed answer after a warning."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Action, Evidence, RecordEvent, SignOffRequest
from stepwise.progress.services import (
    enrolment_create,
    enrolment_withdraw,
    evidence_add,
    sign_off_request,
)
from stepwise.progress.states import EnrolmentState, RecordEventKind, RecordState

from .learner_support import (
    JPEG,
    PDF,
    PNG,
    achieve,
    ask,
    confirm,
    confirm_everything_needed,
    docx_bytes,
    read,
    records,
    reject,
    sign_in_redirect,
    upload,
)


def page(record) -> str:
    return reverse("progress:record", args=[record.enrolment_id, record.pk])


def reopen(record) -> str:
    return reverse("progress:record_reopen", args=[record.enrolment_id, record.pk])


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def first(enrolment):
    return records(enrolment)[0]


@pytest.fixture
def someone_else(trust):
    return MembershipFactory(trust=trust, is_learner=True).person


def test_anonymous_people_are_asked_to_sign_in(client, learner, assessor, enrolment, first):
    assert sign_in_redirect(client.get(page(first)))
    assert sign_in_redirect(client.get(reopen(first)))
    assert sign_in_redirect(client.post(page(first), {"file": upload()}))
    evidence = evidence_add(record=first, by=learner, upload=upload())
    second = records(enrolment)[1]
    reject(enrolment, second, assessor)
    action = Action.objects.get()
    assert sign_in_redirect(client.post(reverse("progress:evidence_remove", args=[evidence.pk])))
    assert sign_in_redirect(client.post(reverse("progress:action_done", args=[action.pk])))
    assert sign_in_redirect(client.post(reopen(second)))
    evidence.refresh_from_db()
    action.refresh_from_db()
    assert evidence.removed_at is None and action.done_at is None
    assert Evidence.objects.count() == 1


def test_another_learners_record_is_not_found(
    client_for, learner, someone_else, trust, educator, offered, first
):
    assert client_for(someone_else).get(page(first)).status_code == 404
    assert client_for(someone_else).get(reopen(first)).status_code == 404
    # Their own enrolment's id with someone else's record id is not found either.
    theirs = enrolment_create(
        learner=someone_else, version=offered, trust=trust, educator=educator, by=educator
    )
    forged = reverse("progress:record", args=[theirs.pk, first.pk])
    assert client_for(someone_else).get(forged).status_code == 404
    forged = reverse("progress:record", args=[first.enrolment_id, records(theirs)[0].pk])
    assert client_for(learner).get(forged).status_code == 404


def test_it_shows_everything_about_the_proficiency(client_for, learner, assessor, enrolment):
    first, second = records(enrolment)[:2]
    type(first.proficiency).objects.filter(pk=first.proficiency_id).update(
        guidance="Check the alarms first", evidence_hints="A signed observation record"
    )
    reject(enrolment, first, assessor)
    confirm(enrolment, [first], assessor)

    html = read(client_for(learner).get(page(first)))

    assert "Statement 1.1" in html
    assert "Check the alarms first" in html
    assert "A signed observation record" in html
    assert "Managed it on shift" in html  # the reflection
    # Decisions: who, their registration number, when, where.
    decisions = main_of(html).split(">Decisions<", 1)[1].split(">History<", 1)[0]
    assert decisions.count(assessor.full_name) == 2
    assert "NMC 09B1234D" in decisions
    assert enrolment.trust.name in decisions
    assert re.search(r'nhsuk-tag--red"\s*>\s*Rejected', decisions)
    assert re.search(r'nhsuk-tag--green"\s*>\s*Confirmed', decisions)
    # The action plan from the rejection.
    assert "Action plan from" in html and "Practise under supervision" in html
    # The whole history, oldest first.
    history = main_of(html).split(">History<", 1)[1]
    kinds = re.findall(r"What happened </span>([^<]+?)\s*</td>", history)
    assert kinds == [
        "Self-assessed",
        "Asked for confirmation",
        "Rejected with an action plan",
        "Self-assessed",
        "Asked for confirmation",
        "Confirmed",
    ]
    assert "Waiting for confirmation to Rejected" in history


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


class TestActions:
    def test_the_learner_marks_an_action_done(
        self, client_for, learner, assessor, enrolment, first
    ):
        reject(enrolment, first, assessor)
        action = Action.objects.get()
        client = client_for(learner)
        done = reverse("progress:action_done", args=[action.pk])
        assert done in read(client.get(page(first)))

        response = client.post(done)

        assert response.url == page(first)
        action.refresh_from_db()
        assert action.done_by == learner
        html = read(client.get(page(first)))
        assert "Action marked as done" in html
        assert done not in html
        assert RecordEvent.objects.filter(kind=RecordEventKind.ACTION_DONE).count() == 1
        client.post(done)
        assert "already marked as done" in read(client.get(page(first)))
        assert RecordEvent.objects.filter(kind=RecordEventKind.ACTION_DONE).count() == 1

    def test_overdue_actions_are_marked(self, client_for, learner, assessor, enrolment, first):
        reject(enrolment, first, assessor)
        Action.objects.update(due_on=timezone.localdate() - timedelta(days=1))
        html = read(client_for(learner).get(page(first)))
        assert re.search(r'nhsuk-tag--red"\s*>\s*Overdue', html)

    def test_someone_elses_action_is_not_found(
        self, client_for, someone_else, assessor, enrolment, first
    ):
        reject(enrolment, first, assessor)
        action = Action.objects.get()
        response = client_for(someone_else).post(reverse("progress:action_done", args=[action.pk]))
        assert response.status_code == 404
        action.refresh_from_db()
        assert action.done_at is None

    def test_a_withdrawn_enrolment_refuses_with_a_message(
        self, client_for, learner, assessor, educator, enrolment, first
    ):
        reject(enrolment, first, assessor)
        enrolment_withdraw(enrolment=enrolment, by=educator)
        action = Action.objects.get()
        client = client_for(learner)
        html = read(client.get(page(first)))
        assert "This enrolment was withdrawn on" in html
        assert 'type="file"' not in html
        response = client.post(reverse("progress:action_done", args=[action.pk]))
        assert "This enrolment is withdrawn, so it cannot be changed." in read(
            client.get(response.url)
        )
        action.refresh_from_db()
        assert action.done_at is None
        response = client.post(page(first), {"file": upload()})
        assert "This enrolment is withdrawn, so it cannot be changed." in read(response)
        assert not Evidence.objects.exists()


class TestChangingAConfirmedAnswer:
    def test_a_warning_comes_first(self, client_for, learner, assessor, enrolment, first):
        confirm(enrolment, [first], assessor)
        html = read(client_for(learner).get(reopen(first)))
        assert "nhsuk-card--warning" in html
        assert "the earlier confirmation stays in its history" in html
        assert "Change my answer" in html
        first.refresh_from_db()
        assert first.state == RecordState.CONFIRMED

    def test_confirming_reopens_and_keeps_the_confirmation_in_the_history(
        self, client_for, learner, assessor, enrolment, first
    ):
        confirm(enrolment, [first], assessor)
        client = client_for(learner)

        response = client.post(reopen(first))

        section = first.proficiency.section_id
        assert response.url == (
            reverse("progress:section", args=[enrolment.pk, section]) + f"#record-{first.pk}"
        )
        first.refresh_from_db()
        assert first.state == RecordState.ACHIEVED
        assert RecordEvent.objects.filter(kind=RecordEventKind.REOPENED).count() == 1
        html = read(client.get(page(first)))
        assert "Confirmed answer changed" in html
        assert re.search(r'nhsuk-tag--green"\s*>\s*Confirmed', html)  # the decision stays

    def test_a_waiting_sign_off_is_withdrawn(self, client_for, learner, assessor, enrolment, first):
        confirm_everything_needed(enrolment, assessor)
        sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        client = client_for(learner)
        assert "your request for sign-off, which is waiting, will be withdrawn" in read(
            client.get(reopen(first))
        )

        client.post(reopen(first))

        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.ACTIVE
        assert SignOffRequest.objects.get().state == SignOffRequest.State.WITHDRAWN

    def test_an_answer_that_is_not_confirmed_cannot_be_reopened(
        self, client_for, learner, enrolment, first
    ):
        achieve(enrolment, [first])
        client = client_for(learner)
        response = client.get(reopen(first))
        assert response.url == page(first)
        assert "not confirmed, so there is no confirmed answer to change" in read(
            client.get(response.url)
        )
        response = client.post(reopen(first))
        assert "1.1 could not be changed: it is already achieved" in read(client.get(response.url))
        assert not RecordEvent.objects.filter(kind=RecordEventKind.REOPENED).exists()

    def test_a_withdrawn_enrolment_cannot_be_reopened(
        self, client_for, learner, assessor, educator, enrolment, first
    ):
        confirm(enrolment, [first], assessor)
        enrolment_withdraw(enrolment=enrolment, by=educator)
        client = client_for(learner)
        response = client.get(reopen(first))
        assert "This enrolment was withdrawn on" in read(client.get(response.url))
        response = client.post(reopen(first))
        assert "This enrolment is withdrawn, so it cannot be changed." in read(
            client.get(response.url)
        )
        first.refresh_from_db()
        assert first.state == RecordState.CONFIRMED
