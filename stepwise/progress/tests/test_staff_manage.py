"""Managing one enrolment: its progress and history, changing its due date, educator and
assessors, moving it to a newer version, withdrawing it, and reading one record."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.frameworks.models import (
    FrameworkVersion,
    Proficiency,
    Section,
    TrustFramework,
)
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Enrolment, EnrolmentEvent, Evidence
from stepwise.progress.services import enrolment_withdraw
from stepwise.progress.services.confirmation import ActionInput, ItemDecision
from stepwise.progress.states import EnrolmentState

from .conftest import build_version
from .staff_helpers import PIN, another_learner, ask, confirm, date_fields, enrol, in_days, read
from .staff_helpers import records as records_of


def manage_url(enrolment) -> str:
    return reverse("progress:enrolment_manage", args=[enrolment.pk])


def move_url(enrolment) -> str:
    return reverse("progress:enrolment_move", args=[enrolment.pk])


def withdraw_url(enrolment) -> str:
    return reverse("progress:enrolment_withdraw", args=[enrolment.pk])


def details_post(*, due_on, educator, assessors=()) -> dict:
    return {
        **date_fields("due_on", due_on),
        "educator": educator.pk,
        "assessors": [a.pk for a in assessors],
    }


def next_version(version, *, reword: str, drop: str, label="2.0") -> FrameworkVersion:
    """A newer published version keeping each proficiency's identity: one reworded, one
    dropped, one new."""
    new = FrameworkVersion.objects.create(
        framework=version.framework,
        label=label,
        minimum_optional=version.minimum_optional,
        created_by=version.created_by,
    )
    for old_section in version.sections.all():
        section = Section.objects.create(
            version=new,
            position=old_section.position,
            code=old_section.code,
            title=old_section.title,
            uuid=old_section.uuid,
        )
        for old in old_section.proficiencies.all():
            if old.code == drop:
                continue
            Proficiency.objects.create(
                version=new,
                section=section,
                position=old.position,
                uuid=old.uuid,
                code=old.code,
                statement=old.statement + (" (reworded)" if old.code == reword else ""),
                optional=old.optional,
            )
    Proficiency.objects.create(
        version=new, section=section, position=99, code="9.9", statement="Something new"
    )
    FrameworkVersion.objects.filter(pk=new.pk).update(
        state=FrameworkVersion.State.PUBLISHED, published_at=timezone.now()
    )
    new.refresh_from_db()
    return new


@pytest.fixture
def outsider(other_trust):
    return MembershipFactory(trust=other_trust, is_educator=True).person


class TestAccess:
    @pytest.mark.parametrize("name", ["manage", "move", "withdraw", "record"])
    def test_anonymous_wrong_role_and_other_trust(
        self, name, client, client_for, enrolment, learner, assessor, outsider
    ):
        record = records_of(enrolment)[0]
        url = {
            "manage": manage_url(enrolment),
            "move": move_url(enrolment),
            "withdraw": withdraw_url(enrolment),
            "record": reverse("progress:staff_record", args=[enrolment.pk, record.pk]),
        }[name]
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
        assert client_for(learner).get(url).status_code == 403
        assert client_for(assessor).get(url).status_code == 403
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.ACTIVE


class TestManage:
    def test_it_shows_the_enrolment_its_proficiencies_and_history(
        self, client_for, enrolment, educator, assessor
    ):
        first = records_of(enrolment)[0]
        confirm(ask(enrolment, [first], assessor=assessor), assessor, [first])
        html = read(client_for(educator).get(manage_url(enrolment)))
        assert enrolment.learner.full_name in html
        assert str(enrolment.version) in html
        assert "1 of 9 required proficiencies confirmed" in html
        assert assessor.full_name in html
        assert reverse("progress:staff_record", args=[enrolment.pk, first.pk]) in html
        assert (
            f"{assessor.full_name} ({PIN['registration_body']} {PIN['registration_number']})"
            in html
        )
        assert "1 Section 1 (1 of 4 confirmed)" in html
        assert "Enrolled" in html
        assert withdraw_url(enrolment) in html
        assert move_url(enrolment) not in html

    def test_changing_the_due_date_educator_and_assessors(
        self, client_for, enrolment, educator, assessor, trust
    ):
        other_educator = MembershipFactory(trust=trust, is_educator=True).person
        client = client_for(educator)
        due = in_days(60)
        response = client.post(
            manage_url(enrolment),
            details_post(due_on=due, educator=other_educator, assessors=[educator]),
        )
        assert response.status_code == 302
        enrolment.refresh_from_db()
        assert enrolment.due_on == due
        assert enrolment.educator == other_educator
        assert list(enrolment.assessors.all()) == [educator]
        assert EnrolmentEvent.objects.filter(enrolment=enrolment, kind="details_changed").exists()
        assert "enrolment has been saved" in read(client.get(response.url))

    def test_an_overdue_date_may_stay_but_a_new_one_must_not_be_in_the_past(
        self, client_for, enrolment, educator
    ):
        Enrolment.objects.filter(pk=enrolment.pk).update(due_on=in_days(-10))
        client = client_for(educator)
        kept = client.post(
            manage_url(enrolment), details_post(due_on=in_days(-10), educator=educator)
        )
        assert kept.status_code == 302
        moved = client.post(
            manage_url(enrolment), details_post(due_on=in_days(-5), educator=educator)
        )
        assert "Due date must be today or in the future" in read(moved)
        enrolment.refresh_from_db()
        assert enrolment.due_on == in_days(-10)

    def test_bad_details_are_explained_and_nothing_changes(
        self, client_for, enrolment, educator, learner
    ):
        client = client_for(educator)
        data = details_post(due_on=None, educator=learner)
        data.update({"due_on_day": "40", "due_on_month": "1", "due_on_year": "2099"})
        html = read(client.post(manage_url(enrolment), data))
        assert "Due date must be a real date" in html
        assert "Choose an educator from the list" in html
        enrolment.refresh_from_db()
        assert enrolment.educator == educator

    def test_a_day_too_big_for_a_date_is_a_message_not_an_error_page(
        self, client_for, enrolment, educator
    ):
        data = details_post(due_on=None, educator=educator)
        data.update({"due_on_day": "9" * 20, "due_on_month": "1", "due_on_year": "2099"})
        response = client_for(educator).post(manage_url(enrolment), data)
        assert response.status_code == 200
        html = read(response)
        assert "There is a problem" in html
        assert "Due date must be a real date" in html
        due_on = enrolment.due_on
        enrolment.refresh_from_db()
        assert enrolment.due_on == due_on

    def test_a_withdrawn_enrolment_cannot_be_changed(self, client_for, enrolment, educator):
        enrolment_withdraw(enrolment=enrolment, by=educator, note="Left")
        client = client_for(educator)
        html = read(client.get(manage_url(enrolment)))
        assert "Save changes" not in html
        assert withdraw_url(enrolment) not in html
        response = client.post(
            manage_url(enrolment), details_post(due_on=in_days(5), educator=educator)
        )
        assert "This enrolment is withdrawn, so it cannot be changed." in read(response)

    @pytest.mark.parametrize("size", [120, 500])
    def test_the_query_count_stays_the_same(
        self, size, client_for, trust, learner, educator, django_assert_max_num_queries
    ):
        version = build_version(slug=f"size-{size}", sections=10, per_section=size // 10)
        TrustFramework.objects.create(trust=trust, framework=version.framework)
        enrolment = enrol(learner, version, trust, educator, assessors=[educator])
        client = client_for(educator)
        with django_assert_max_num_queries(13):  # one of them the access log's entry
            response = client.get(manage_url(enrolment))
        assert read(response).count("progress/staff") == 0
        assert response.status_code == 200


class TestMove:
    def test_without_a_newer_version_there_is_nothing_to_move_to(
        self, client_for, enrolment, educator
    ):
        html = read(client_for(educator).get(move_url(enrolment)))
        assert "There is no newer published version" in html
        html = read(
            client_for(educator).post(move_url(enrolment), {"version": enrolment.version_id})
        )
        assert "Choose a newer published version from the list" in html

    def test_it_shows_what_would_change_then_moves(self, client_for, enrolment, educator, offered):
        newer = next_version(offered, reword="1.2", drop="2.1")
        client = client_for(educator)
        html = read(client.get(manage_url(enrolment)))
        assert move_url(enrolment) in html
        html = read(client.get(move_url(enrolment)))
        assert "Version 2.0" in html
        assert (
            "10 carried over with their results, 1 changed and need assessing again, "
            "1 new, 1 removed" in html
        )
        response = client.post(move_url(enrolment), {"version": newer.pk})
        assert response.status_code == 302
        enrolment.refresh_from_db()
        assert enrolment.version == newer
        html = read(client.get(response.url))
        assert f"moved to {newer}: 10 carried over, 1 to assess again, 1 new, 1 removed" in html

    def test_waiting_requests_block_the_move_with_a_clear_message(
        self, client_for, enrolment, educator, assessor, offered
    ):
        newer = next_version(offered, reword="1.2", drop="2.1")
        ask(enrolment, records_of(enrolment)[:1], assessor=assessor)
        html = read(client_for(educator).post(move_url(enrolment), {"version": newer.pk}))
        assert "Some proficiencies are waiting for confirmation" in html
        enrolment.refresh_from_db()
        assert enrolment.version == offered


class TestWithdraw:
    def test_a_reason_is_needed(self, client_for, enrolment, educator):
        html = read(client_for(educator).post(withdraw_url(enrolment), {"reason": " "}))
        assert "Enter why this enrolment is being withdrawn" in html
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.ACTIVE

    def test_withdrawing_keeps_everything_and_a_second_try_is_told(
        self, client_for, enrolment, educator
    ):
        client = client_for(educator)
        assert "will no longer be able to work on" in read(client.get(withdraw_url(enrolment)))
        response = client.post(withdraw_url(enrolment), {"reason": "Left the unit"})
        assert response.status_code == 302
        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.WITHDRAWN
        assert enrolment.records.count() == 12
        assert enrolment.events.get(kind="withdrawn").note == "Left the unit"
        html = read(client.post(withdraw_url(enrolment), {"reason": "Again"}))
        assert "This enrolment is already withdrawn." in html


class TestStaffRecord:
    def test_it_shows_the_statement_reflection_evidence_decisions_and_history(
        self, client_for, enrolment, educator, assessor
    ):
        first = records_of(enrolment)[0]
        request = ask(enrolment, [first], assessor=assessor, reflection="Did it on nights")
        from stepwise.progress.services import request_decide

        request_decide(
            request=request,
            by=assessor,
            items=[
                ItemDecision(
                    first.pk,
                    "rejected",
                    note="Not yet",
                    actions=[ActionInput("Shadow a senior nurse", in_days(7))],
                )
            ],
            **PIN,
        )
        evidence = Evidence.objects.create(
            record=first,
            file="evidence/1/x",
            original_name="Reflection.docx",
            kind=Evidence.Kind.DOCX,
            size=2048,
            uploaded_by=enrolment.learner,
        )
        url = reverse("progress:staff_record", args=[enrolment.pk, first.pk])
        html = read(client_for(educator).get(url))
        assert first.proficiency.statement in html
        assert "Did it on nights" in html
        assert reverse("progress:evidence_download", args=[evidence.pk]) in html
        assert "Word document, 2.0\xa0KB" in html
        assert "Rejected" in html and "Not yet" in html
        assert "Shadow a senior nurse" in html
        assert "Asked for confirmation" in html
        assert f"{assessor.full_name} (NMC 09B1234D)" in html

    def test_a_record_of_another_enrolment_is_a_404(
        self, client_for, enrolment, educator, trust, offered
    ):
        other = enrol(another_learner(trust), offered, trust, educator)
        theirs = records_of(other)[0]
        url = reverse("progress:staff_record", args=[enrolment.pk, theirs.pk])
        assert client_for(educator).get(url).status_code == 404
