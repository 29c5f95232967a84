"""Reviewing a request: every proficiency confirmed or rejected in one form, rejections with
an action plan, the assessor's registration remembered, and races lost with a clear message."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.frameworks.models import Proficiency
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import (
    Action,
    ConfirmationRequest,
    Decision,
    Evidence,
    ProficiencyRecord,
)
from stepwise.progress.queries import staff as queries
from stepwise.progress.services import confirmation_withdraw
from stepwise.progress.states import RecordState

from .conftest import build_version
from .staff_helpers import (
    PIN,
    ask,
    confirm,
    date_fields,
    enrol,
    in_days,
    read,
    records,
    reject,
    review_post,
)


def url(request) -> str:
    return reverse("progress:review", args=[request.pk])


@pytest.fixture
def waiting(enrolment, assessor):
    """Three proficiencies sent to the persona assessor."""
    return ask(enrolment, records(enrolment)[:3], assessor=assessor, reflection="Line one\nTwo")


def post(client, request, **fields):
    return client.post(url(request), review_post(request, **fields))


def nothing_saved(request):
    assert not Decision.objects.exists()
    assert not Action.objects.exists()
    request.refresh_from_db()
    assert request.state == ConfirmationRequest.State.WAITING


class TestAccess:
    def test_anonymous_people_are_sent_to_sign_in(self, client, waiting):
        response = client.get(url(waiting))
        assert response.status_code == 302
        assert reverse("accounts:sign_in") in response.url

    def test_a_learner_gets_a_403(self, client_for, waiting, learner):
        assert client_for(learner).get(url(waiting)).status_code == 403

    def test_another_trusts_request_is_a_404(self, client_for, waiting, other_trust):
        outsider = MembershipFactory(trust=other_trust, is_educator=True).person
        assert client_for(outsider).get(url(waiting)).status_code == 404

    def test_an_unknown_request_is_a_404(self, client_for, educator, db):
        response = client_for(educator).get(reverse("progress:review", args=[999999]))
        assert response.status_code == 404

    def test_an_assessor_may_not_open_a_request_named_to_someone_else(
        self, client_for, waiting, trust
    ):
        colleague = MembershipFactory(trust=trust, unit=trust.units[0], is_assessor=True).person
        assert client_for(colleague).get(url(waiting)).status_code == 403
        assert client_for(colleague).post(url(waiting), review_post(waiting)).status_code == 403
        nothing_saved(waiting)

    def test_another_units_assessor_may_not_decide_a_pool_request(
        self, client_for, enrolment, trust
    ):
        request = ask(enrolment, records(enrolment)[:1], unit=trust.units[0])
        elsewhere = MembershipFactory(trust=trust, unit=trust.units[1], is_assessor=True).person
        assert client_for(elsewhere).get(url(request)).status_code == 403
        assert client_for(elsewhere).post(url(request), review_post(request)).status_code == 403
        nothing_saved(request)

    def test_the_units_assessors_and_any_educator_may_decide_a_pool_request(
        self, client_for, enrolment, trust, assessor, educator
    ):
        request = ask(enrolment, records(enrolment)[:1], unit=trust.units[0])
        assert client_for(assessor).get(url(request)).status_code == 200
        assert client_for(educator).get(url(request)).status_code == 200

    def test_a_learner_who_is_also_an_assessor_may_not_decide_their_own(
        self, client_for, trust, educator, offered
    ):
        both = MembershipFactory(
            trust=trust, unit=trust.units[0], is_learner=True, is_assessor=True
        ).person
        own = enrol(both, offered, trust, educator)
        request = ask(own, records(own)[:1], unit=trust.units[0])
        assert client_for(both).get(url(request)).status_code == 403


class TestItems:
    def test_the_waiting_proficiencies_in_the_learners_order_with_their_current_evidence(
        self, enrolment, assessor
    ):
        chosen = records(enrolment)[:3]
        request = ask(enrolment, chosen, assessor=assessor, reflection="On shift")
        now = timezone.now()

        def upload(record, name, *, minutes_ago=0, removed=False):
            return Evidence.objects.create(
                record=record,
                file=f"evidence/{name}",
                original_name=name,
                kind=Evidence.Kind.PDF,
                size=1024,
                uploaded_by=enrolment.learner,
                uploaded_at=now - timedelta(minutes=minutes_ago),
                removed_at=now if removed else None,
            )

        later = upload(chosen[0], "later.pdf")
        earlier = upload(chosen[0], "earlier.pdf", minutes_ago=5)
        upload(chosen[0], "removed.pdf", removed=True)
        upload(records(enrolment)[3], "not asked about.pdf")

        items = queries.review_items(request)

        assert [item.record_id for item in items] == [record.pk for record in chosen]
        first, proficiency = items[0], chosen[0].proficiency
        assert (first.code, first.statement, first.reflection) == (
            proficiency.code,
            proficiency.statement,
            "On shift",
        )
        assert (first.section_id, first.section_code, first.section_title) == (
            proficiency.section_id,
            proficiency.section.code,
            proficiency.section.title,
        )
        # Removed files and files on proficiencies not in the request are not shown.
        assert [file.pk for file in first.evidence] == [earlier.pk, later.pk]
        assert items[1].evidence == [] and items[2].evidence == []


class TestPage:
    def test_each_proficiency_is_a_compact_row_with_its_reflection_and_evidence_one_tap_away(
        self, client_for, waiting, assessor, enrolment
    ):
        first = records(enrolment)[0]
        evidence = Evidence.objects.create(
            record=first,
            file="evidence/1/abc",
            original_name="Airway audit.pdf",
            kind=Evidence.Kind.PDF,
            size=120 * 1024,
            uploaded_by=enrolment.learner,
        )
        html = read(client_for(assessor).get(url(waiting)))
        assert f"Review {enrolment.learner.full_name}'s proficiencies" in html
        for record in records(enrolment)[:3]:
            code = record.proficiency.code
            assert f"<strong>{code}</strong> {record.proficiency.statement}" in html
            assert f'name="outcome_{record.pk}"' in html
            # The action plan is on the page (shown by CSS once Reject is chosen), its due
            # date offered as common choices before a date.
            assert f'name="action_{record.pk}_3"' in html
            assert f'name="action_{record.pk}_1_when" type="radio" value="2w"' in html
            assert f'name="action_{record.pk}_3_due_day"' in html
            assert f"Action plan for {code}" in html
        # Nothing is decided for the assessor: they confirm or reject.
        assert "checked" not in html
        assert "0 to confirm, 3 not decided yet" in html
        # The reflection, evidence and feedback are folded under a marker saying what is there.
        assert "Reflection and 1 evidence file" in html
        assert "Reflection, no evidence" in html
        assert "<p>Line one</p><p>Two</p>" in html
        assert reverse("progress:evidence_download", args=[evidence.pk]) in html
        assert "Airway audit.pdf" in html and "PDF, 120.0\xa0KB" in html
        assert f"Feedback on {first.proficiency.code} for the learner (optional)" in html
        # One section: nothing to confirm a section at a time.
        assert "Confirm all in" not in html
        assert "Confirm everything else and save" in html
        # The registration they gave last time, to change if they need to.
        registration = f"{assessor.registration_body} {assessor.registration_number}"
        assert f"recorded with your registration, <strong>{registration}</strong>" in html
        assert "Change your registration" in html
        assert 'value="NMC" selected' in html
        assert "Sent to you on" in html and "Any assessor" not in html

    def test_each_row_has_its_own_labels_when_codes_hold_characters_escaped_in_html(
        self, client_for, enrolment, assessor
    ):
        # Rows after the first are the first's markup stamped with their own name and label
        # (ADR 4): the label must be found as the markup spells it ("A&amp;E").
        sent = records(enrolment)[:3]
        for number, record in enumerate(sent, start=1):
            # Published versions refuse changes through the model; this one is set up so.
            Proficiency.objects.filter(pk=record.proficiency_id).update(code=f"A&E.{number}")
        request = ask(enrolment, sent, assessor=assessor)
        html = read(client_for(assessor).get(url(request)))
        for number in (1, 2, 3):
            assert f"Feedback on A&E.{number} for the learner (optional)" in html

    def test_a_request_across_sections_offers_to_confirm_each_section(
        self, client_for, enrolment, assessor
    ):
        everything = records(enrolment)
        request = ask(enrolment, [everything[0], everything[1], everything[4]], assessor=assessor)
        html = read(client_for(assessor).get(url(request)))
        for section in {everything[0].proficiency.section, everything[4].proficiency.section}:
            assert f'value="{section.pk}" formaction="#section-{section.pk}"' in html
            assert f'id="section-{section.pk}"' in html
            assert f"Confirm all in {section.title}" in html

    def test_a_withdrawn_request_says_so(self, client_for, waiting, assessor, learner):
        confirmation_withdraw(request=waiting, by=learner)
        html = read(client_for(assessor).get(url(waiting)))
        assert "This request was withdrawn on" in html
        assert "Save decisions" not in html

    @pytest.mark.parametrize("size", [12, 120])
    def test_the_query_count_stays_the_same_however_many_items(
        self, size, client_for, trust, learner, educator, assessor, django_assert_max_num_queries
    ):
        from stepwise.frameworks.models import TrustFramework

        big = build_version(slug=f"big-{size}", sections=size // 12, per_section=12)
        TrustFramework.objects.create(trust=trust, framework=big.framework)
        enrolment = enrol(learner, big, trust, educator)
        chosen = records(enrolment)[:size]
        request = ask(enrolment, chosen, assessor=assessor)
        for record in chosen[:10]:
            Evidence.objects.create(
                record=record,
                file="evidence/x",
                original_name="notes.pdf",
                kind=Evidence.Kind.PDF,
                size=10,
                uploaded_by=learner,
            )
        client = client_for(assessor)
        with django_assert_max_num_queries(12):
            response = client.get(url(request))
        assert read(response).count('type="radio" value="confirmed"') == size
        section = chosen[0].proficiency.section_id
        with django_assert_max_num_queries(12):
            response = client.post(url(request), {"confirm_section": section})
        assert read(response).count('value="confirmed" checked') == 12
        bad = review_post(request, registration_number="nonsense")
        with django_assert_max_num_queries(14):
            response = client.post(url(request), bad)
        assert "Enter an NMC PIN in the correct format" in read(response)


class TestDeciding:
    def test_confirm_all_by_default_decides_everything_in_one_go(
        self, client_for, waiting, assessor, enrolment
    ):
        response = post(client_for(assessor), waiting)
        assert response.status_code == 302
        assert response.url == reverse("progress:to_review")
        assert Decision.objects.filter(outcome="confirmed", assessor=assessor).count() == 3
        waiting.refresh_from_db()
        assert waiting.state == ConfirmationRequest.State.DECIDED
        states = {r.state for r in records(enrolment)[:3]}
        assert states == {RecordState.CONFIRMED}
        assert Decision.objects.first().registration_number == "NMC 09B1234D"
        html = read(client_for(assessor).get(response.url))
        assert f"You confirmed 3 proficiencies for {enrolment.learner.full_name}" in html

    def test_rejecting_one_needs_an_action_plan_and_blank_rows_are_ignored(
        self, client_for, waiting, assessor, enrolment
    ):
        first, second, _third = records(enrolment)[:3]
        fields = reject(
            second,
            ("Practise suctioning with a mentor", in_days(14)),
            ("", None),
            ("Read the trust policy", in_days(0)),
        )
        fields[f"note_{second.pk}"] = "Nearly there"
        response = post(client_for(assessor), waiting, **fields)
        assert response.status_code == 302
        rejected = Decision.objects.get(outcome="rejected")
        assert rejected.record_id == second.pk
        assert rejected.note == "Nearly there"
        actions = list(rejected.action_plan.actions.order_by("due_on"))
        assert [a.description for a in actions] == [
            "Read the trust policy",
            "Practise suctioning with a mentor",
        ]
        assert Decision.objects.filter(outcome="confirmed").count() == 2
        html = read(client_for(assessor).get(response.url))
        assert "You confirmed 2 proficiencies and rejected 1 with an action plan" in html

    def test_actions_typed_under_a_confirmation_are_ignored(
        self, client_for, waiting, assessor, enrolment
    ):
        first = records(enrolment)[0]
        fields = reject(first, ("Something", None))
        fields[f"outcome_{first.pk}"] = "confirmed"
        fields[f"action_{first.pk}_1_due_day"] = "99"
        response = post(client_for(assessor), waiting, **fields)
        assert response.status_code == 302
        assert not Action.objects.exists()

    def test_the_registration_is_remembered_for_next_time(
        self, client_for, waiting, trust, enrolment
    ):
        newcomer = MembershipFactory(
            trust=trust,
            unit=trust.units[0],
            is_assessor=True,
            person=PersonFactory(registration_body="", registration_number=""),
        ).person
        request = ask(enrolment, records(enrolment)[3:4], unit=trust.units[0])
        client = client_for(newcomer)
        html = read(client.get(url(request)))
        assert 'value="" selected' in html
        post(client, request, registration_number="12 a3456b")
        newcomer.refresh_from_db()
        assert newcomer.registration == "NMC 12A3456B"


class TestConfirmingMany:
    """ "Confirm all in this section" and "Confirm everything else": one tap for many
    confirmations, keeping every rejection; without JavaScript the section button is a
    round trip that saves nothing."""

    @pytest.fixture
    def across(self, enrolment, assessor):
        everything = records(enrolment)
        chosen = [everything[0], everything[1], everything[4]]
        return ask(enrolment, chosen, assessor=assessor), chosen

    def test_confirm_everything_else_keeps_the_rejections_and_saves(
        self, client_for, across, assessor
    ):
        request, (first, second, third) = across
        fields = reject(second, ("Practise with a mentor", "2w"))
        data = {**review_post(request), **fields, "confirm_rest": "1"}
        del data[f"outcome_{first.pk}"], data[f"outcome_{third.pk}"]
        response = client_for(assessor).post(url(request), data)
        assert response.status_code == 302
        outcomes = dict(Decision.objects.values_list("record_id", "outcome"))
        assert outcomes == {first.pk: "confirmed", second.pk: "rejected", third.pk: "confirmed"}
        action = Action.objects.get()
        assert (action.description, action.due_on) == ("Practise with a mentor", in_days(14))

    def test_confirm_all_in_a_section_comes_back_with_it_filled_in_and_saves_nothing(
        self, client_for, across, assessor
    ):
        request, (first, second, third) = across
        data = {**review_post(request), **reject(second, ("Practise", None))}
        for record in (first, third):
            del data[f"outcome_{record.pk}"]
        data["confirm_section"] = str(first.proficiency.section_id)
        response = client_for(assessor).post(url(request), data)
        assert response.status_code == 200
        html = read(response)
        nothing_saved(request)
        assert "There is a problem" not in html and "<title>Error" not in html
        assert f'name="outcome_{first.pk}" type="radio" value="confirmed" checked' in html
        assert f'name="outcome_{second.pk}" type="radio" value="rejected" checked' in html
        assert re.search(rf'name="outcome_{third.pk}" type="radio" value="confirmed"\s*>', html)
        assert ">Practise</textarea>" in html
        assert "1 to reject, 1 to confirm, 1 not decided yet" in html

    def test_a_forged_section_is_not_a_shortcut(self, client_for, across, assessor, other_trust):
        request, (first, _second, _third) = across
        data = review_post(request)
        del data[f"outcome_{first.pk}"]
        data["confirm_section"] = "999999"
        response = client_for(assessor).post(url(request), data)
        assert f"Choose confirm or reject for {first.proficiency.code}" in read(response)
        nothing_saved(request)

    def test_saving_with_proficiencies_undecided_names_them_in_one_line(
        self, client_for, across, assessor
    ):
        request, (first, second, third) = across
        data = review_post(request)
        for record in (first, third):
            del data[f"outcome_{record.pk}"]
        html = read(client_for(assessor).post(url(request), data))
        nothing_saved(request)
        code = first.proficiency.code
        assert (
            f"Choose confirm or reject for {code} and 1 other not decided yet, or choose "
            "Confirm everything else and save"
        ) in html
        assert f'href="#id_outcome_{first.pk}"' in html
        assert f'href="#id_outcome_{third.pk}"' not in html
        # Each undecided row still says so beside its radios.
        assert f"Choose confirm or reject for {third.proficiency.code}" in html
        assert f'name="outcome_{second.pk}" type="radio" value="confirmed" checked' in html


class TestBadInput:
    def error_page(self, client, request, **fields) -> str:
        response = post(client, request, **fields)
        assert response.status_code == 200
        html = read(response)
        assert "There is a problem" in html
        assert "<title>Error: " in html
        nothing_saved(request)
        return html

    def test_a_rejection_without_an_action(self, client_for, waiting, assessor, enrolment):
        first = records(enrolment)[0]
        html = self.error_page(client_for(assessor), waiting, **reject(first))
        assert f"Add at least one action to the action plan for {first.proficiency.code}" in html
        assert f'href="#id_action_{first.pk}_1"' in html
        # What the assessor chose is kept, and so the action plan shows.
        assert 'value="rejected" checked' in html

    def test_an_action_due_in_the_past(self, client_for, waiting, assessor, enrolment):
        first = records(enrolment)[0]
        fields = reject(first, ("Practise", in_days(-1)))
        html = self.error_page(client_for(assessor), waiting, **fields)
        code = first.proficiency.code
        assert f"Due date for action 1 on {code} must be today or in the future" in html
        assert f'href="#id_action_{first.pk}_1_due_day"' in html
        assert 'value="Practise"' in html or ">Practise</textarea>" in html

    def test_an_action_without_a_due_date_or_a_date_without_an_action(
        self, client_for, waiting, assessor, enrolment
    ):
        first, second = records(enrolment)[:2]
        fields = {**reject(first, ("Practise", None)), **reject(second, ("", in_days(3)))}
        html = self.error_page(client_for(assessor), waiting, **fields)
        assert f"Enter a due date for action 1 on {first.proficiency.code}" in html
        assert f"Describe action 1 on {second.proficiency.code}" in html

    def test_an_impossible_due_date(self, client_for, waiting, assessor, enrolment):
        first = records(enrolment)[0]
        fields = reject(first, ("Practise", None))
        fields.update({f"action_{first.pk}_1_due_day": "31", f"action_{first.pk}_1_due_month": "2"})
        fields[f"action_{first.pk}_1_due_year"] = "2099"
        html = self.error_page(client_for(assessor), waiting, **fields)
        assert f"Due date for action 1 on {first.proficiency.code} must be a real date" in html

    def test_a_due_date_with_numbers_too_big_for_a_date(
        self, client_for, waiting, assessor, enrolment
    ):
        first = records(enrolment)[0]
        fields = reject(first, ("Practise", None))
        fields.update(
            {
                f"action_{first.pk}_1_due_day": "1",
                f"action_{first.pk}_1_due_month": "9" * 20,
                f"action_{first.pk}_1_due_year": "2099",
            }
        )
        html = self.error_page(client_for(assessor), waiting, **fields)
        assert f"Due date for action 1 on {first.proficiency.code} must be a real date" in html

    def test_a_bad_pin(self, client_for, waiting, assessor):
        html = self.error_page(client_for(assessor), waiting, registration_number="1234")
        assert "Enter an NMC PIN in the correct format" in html
        assert 'href="#id_registration_number"' in html

    def test_a_missing_register(self, client_for, waiting, assessor):
        html = self.error_page(client_for(assessor), waiting, registration_body="")
        assert "Select the register your number is on" in html

    def test_a_forged_outcome(self, client_for, waiting, assessor, enrolment):
        first = records(enrolment)[0]
        html = self.error_page(client_for(assessor), waiting, **{f"outcome_{first.pk}": "maybe"})
        assert f"Choose confirm or reject for {first.proficiency.code}" in html


class TestRaces:
    def test_someone_else_deciding_first_is_named_and_nothing_is_saved(
        self, client_for, waiting, assessor, educator, enrolment
    ):
        confirm(waiting, educator, records(enrolment)[:3])
        response = post(client_for(assessor), waiting)
        assert response.status_code == 200
        html = read(response)
        assert "Your decisions were not saved" in html
        assert f"already been decided by {educator.full_name} on" in html
        assert not Decision.objects.filter(assessor=assessor).exists()

    def test_a_double_click_saves_once(self, client_for, waiting, assessor):
        client = client_for(assessor)
        assert post(client, waiting).status_code == 302
        response = post(client, waiting)
        assert "Your decisions were not saved" in read(response)
        assert Decision.objects.count() == 3

    def test_an_item_decided_meanwhile_is_reported_and_nothing_is_saved(
        self, client_for, waiting, assessor, educator, enrolment
    ):
        first = records(enrolment)[0]
        shown = review_post(waiting)
        confirm(waiting, educator, [first])
        response = client_for(assessor).post(url(waiting), shown)
        html = read(response)
        assert response.status_code == 200
        assert f"{first.proficiency.code} was decided by {educator.full_name} on" in html
        assert "Nothing was saved" in html
        assert not Decision.objects.filter(assessor=assessor).exists()
        # The page now offers only what is still waiting.
        assert f'name="outcome_{first.pk}"' not in html
        assert ProficiencyRecord.objects.filter(request=waiting).count() == 2

    def test_a_withdrawn_enrolment_closes_the_request(
        self, client_for, waiting, assessor, educator, enrolment
    ):
        from stepwise.progress.services import enrolment_withdraw

        enrolment_withdraw(enrolment=enrolment, by=educator, note="Left")
        response = post(client_for(assessor), waiting)
        assert "Your decisions were not saved" in read(response)
        assert not Decision.objects.exists()


def test_the_pin_fields_are_kept_when_something_else_is_wrong(
    client_for, waiting, assessor, enrolment
):
    first = records(enrolment)[0]
    response = post(client_for(assessor), waiting, registration_number="77a1234z", **reject(first))
    assert 'value="77a1234z"' in read(response)
    assert PIN["registration_number"] != "77a1234z"
    assert date_fields("x", None) == {"x_day": "", "x_month": "", "x_year": ""}
