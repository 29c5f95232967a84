"""Asking for confirmation (and withdrawing a request). Asking for sign-off:
test_learner_sign_off_request.py."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import ConfirmationRequest, Enrolment
from stepwise.progress.services import (
    enrolment_create,
    enrolment_withdraw,
)
from stepwise.progress.states import RecordState

from .conftest import build_version
from .learner_support import (
    achieve,
    ask,
    read,
    records,
    sign_in_redirect,
)


def ask_url(enrolment) -> str:
    return reverse("progress:request_confirmation", args=[enrolment.pk])


def ticked(html: str) -> set[str]:
    return set(re.findall(r'name="records" type="checkbox" value="(\d+)" checked', html))


def states(enrolment) -> dict:
    return {r.proficiency.code: r.state for r in records(enrolment)}


class TestAskingForConfirmation:
    def test_anonymous_people_are_asked_to_sign_in(self, client, assessor, enrolment):
        assert sign_in_redirect(client.get(ask_url(enrolment)))
        request = ask(enrolment, records(enrolment)[:1], assessor)
        response = client.post(reverse("progress:request_withdraw", args=[request.pk]))
        assert sign_in_redirect(response)
        request.refresh_from_db()
        assert request.state == ConfirmationRequest.State.WAITING

    def test_another_learners_enrolment_is_not_found(self, client_for, trust, enrolment):
        someone = MembershipFactory(trust=trust, is_learner=True).person
        assert client_for(someone).get(ask_url(enrolment)).status_code == 404
        assert client_for(someone).post(ask_url(enrolment), {}).status_code == 404

    def test_it_lists_achieved_proficiencies_by_section_and_who_to_ask(
        self, client_for, learner, assessor, educator, trust, enrolment
    ):
        every = records(enrolment)
        achieve(enrolment, [every[0], every[1], every[5]])
        achieve(enrolment, [every[2]], state=RecordState.ONGOING)
        elsewhere = MembershipFactory(is_assessor=True).person  # another Trust's assessor
        colleague = MembershipFactory(trust=trust, is_learner=True, is_assessor=True).person

        html = read(client_for(learner).get(ask_url(enrolment)))

        assert "1.1 Statement 1.1" in html and "2.2 Statement 2.2" in html
        assert "Statement 1.3" not in html
        assert html.count('type="checkbox"') == 3
        assert re.search(r"<legend[^>]*>\s*1 Section 1\s*</legend>", html)
        assert re.search(r"<legend[^>]*>\s*2 Section 2\s*</legend>", html)
        assert "1 Section 1 (2 ready)" in html and "2 Section 2 (1 ready)" in html
        assert "3 achieved proficiencies in 2 sections are ready to send, and all of" in html
        assert f"Any assessor in {trust.units[0].name}" in html
        assert f"{assessor.full_name} (your assessor" in html
        assert f"{educator.full_name} (your educator" in html
        assert colleague.full_name in html
        assert elsewhere.full_name not in html
        assert learner.full_name not in html.split('name="send_to"')[1]

    def test_everything_ready_is_ticked_and_the_named_assessor_chosen(
        self, client_for, learner, assessor, trust, enrolment
    ):
        every = records(enrolment)
        achieve(enrolment, [every[0], every[1], every[5]])
        # Another assessor listed first by name does not change who is chosen.
        MembershipFactory(trust=trust, is_assessor=True, person__full_name="Aaron Abbott")

        html = read(client_for(learner).get(ask_url(enrolment)))

        assert ticked(html) == {str(every[0].pk), str(every[1].pk), str(every[5].pk)}
        assert re.search(rf'<option value="{assessor.pk}" selected', html)
        assert len(re.findall(r"<option [^>]*selected", html)) == 1
        # Everything ticked, so the sections start closed; no "select all" round trip.
        assert "<details" in html and " open>" not in html
        assert 'name="select"' not in html

    def test_a_section_link_ticks_only_that_section(self, client_for, learner, enrolment):
        every = records(enrolment)
        achieve(enrolment, [every[0], every[1], every[5]])
        client = client_for(learner)
        section = every[5].proficiency.section_id
        html = read(client.get(ask_url(enrolment) + f"?section={section}"))
        assert ticked(html) == {str(every[5].pk)}
        html = read(client.get(ask_url(enrolment) + "?section=nonsense"))
        assert ticked(html) == set()

    @pytest.mark.parametrize("unit", [True, False])
    def test_without_a_named_assessor_the_unit_or_nobody_is_chosen(
        self, client_for, learner, enrolment, unit
    ):
        enrolment.assessors.clear()
        if not unit:
            Enrolment.objects.filter(pk=enrolment.pk).update(unit=None)
        achieve(enrolment, records(enrolment)[:1])
        html = read(client_for(learner).get(ask_url(enrolment)))
        if unit:
            assert '<option value="unit" selected' in html
        else:
            assert '<option value="" selected' in html

    def test_one_press_sends_what_the_page_offers(self, client_for, learner, assessor, enrolment):
        every = records(enrolment)
        achieve(enrolment, every[:3])
        client = client_for(learner)
        html = read(client.get(ask_url(enrolment)))
        offered = {"records": sorted(ticked(html)), "send_to": str(assessor.pk)}

        response = client.post(ask_url(enrolment), offered)

        assert response.status_code == 302
        request = ConfirmationRequest.objects.get()
        assert (request.assessor, request.item_count) == (assessor, 3)

    def test_unticked_proficiencies_are_left_out_and_an_error_opens_the_list(
        self, client_for, learner, assessor, enrolment
    ):
        every = records(enrolment)
        achieve(enrolment, every[:2])
        client = client_for(learner)
        client.post(ask_url(enrolment), {"records": [every[1].pk], "send_to": assessor.pk})
        assert states(enrolment)["1.1"] == RecordState.ACHIEVED
        assert states(enrolment)["1.2"] == RecordState.AWAITING_CONFIRMATION

        html = read(client.post(ask_url(enrolment), {"send_to": assessor.pk}))

        assert "Select at least one achieved proficiency to send" in html
        assert re.search(r'<details class="[^"]*"\s*open>', html)
        assert ConfirmationRequest.objects.count() == 1

    def test_ids_that_only_look_like_numbers_are_a_message_not_a_500(
        self, client_for, learner, assessor, enrolment
    ):
        # Found by the fuzzer (tests/fuzz): "²" passes str.isdigit() but int() cannot read it,
        # nor 5,000 digits, so re-showing the ticked boxes raised.
        first = records(enrolment)[0]
        achieve(enrolment, [first])
        sent = {"records": ["²", "9" * 5000, first.pk], "send_to": assessor.pk}

        html = read(client_for(learner).post(ask_url(enrolment), sent))

        assert "<title>Error: " in html
        assert ticked(html) == {str(first.pk)}
        assert not ConfirmationRequest.objects.exists()

    def test_sending_to_a_named_assessor(self, client_for, learner, assessor, enrolment):
        every = records(enrolment)
        achieve(enrolment, every[:3])
        client = client_for(learner)

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                ask_url(enrolment),
                {"records": [every[0].pk, every[2].pk], "send_to": assessor.pk},
            )

        assert response.url == ask_url(enrolment)
        request = ConfirmationRequest.objects.get()
        assert (request.assessor, request.item_count) == (assessor, 2)
        assert states(enrolment)["1.1"] == RecordState.AWAITING_CONFIRMATION
        assert states(enrolment)["1.2"] == RecordState.ACHIEVED
        assert mail.outbox[-1].to == [assessor.email]
        html = read(client.get(ask_url(enrolment)))
        assert f"We have asked {assessor.full_name} to confirm 2 proficiencies" in html
        assert "Waiting for confirmation" in html and "1.1, 1.3" in html
        assert reverse("progress:request_withdraw", args=[request.pk]) in html

    def test_sending_to_the_units_pool(self, client_for, learner, trust, enrolment):
        first = records(enrolment)[0]
        achieve(enrolment, [first])
        client_for(learner).post(ask_url(enrolment), {"records": [first.pk], "send_to": "unit"})
        request = ConfirmationRequest.objects.get()
        assert (request.unit, request.assessor) == (trust.units[0], None)

    def test_without_a_unit_there_is_no_pool_to_ask(self, client_for, learner, enrolment):
        Enrolment.objects.filter(pk=enrolment.pk).update(unit=None)
        first = records(enrolment)[0]
        achieve(enrolment, [first])
        client = client_for(learner)
        assert "Any assessor in" not in read(client.get(ask_url(enrolment)))
        response = client.post(ask_url(enrolment), {"records": [first.pk], "send_to": "unit"})
        assert "Choose someone from the list" in read(response)
        assert not ConfirmationRequest.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"send_to": "ASSESSOR"}, "Select at least one achieved proficiency to send"),
            ({"records": ["FIRST"]}, "Choose who should confirm them"),
            ({"records": ["FIRST"], "send_to": "STRANGER"}, "Choose someone from the list"),
            ({"records": ["FIRST"], "send_to": "LEARNER"}, "Choose someone from the list"),
            ({"records": ["THEIRS"], "send_to": "ASSESSOR"}, "Select proficiencies from the list"),
            ({"records": ["x1"], "send_to": "ASSESSOR"}, "Select proficiencies from the list"),
        ],
    )
    def test_bad_choices_are_explained_and_nothing_is_sent(
        self,
        client_for,
        learner,
        assessor,
        trust,
        educator,
        offered,
        other_trust,
        enrolment,
        data,
        message,
    ):
        first = records(enrolment)[0]
        achieve(enrolment, [first])
        someone = MembershipFactory(trust=trust, is_learner=True).person
        theirs = enrolment_create(
            learner=someone, version=offered, trust=trust, educator=educator, by=educator
        )
        achieve(theirs, records(theirs)[:1])
        names = {
            "ASSESSOR": assessor.pk,
            "FIRST": first.pk,
            "THEIRS": records(theirs)[0].pk,
            "STRANGER": MembershipFactory(trust=other_trust, is_assessor=True).person.pk,
            "LEARNER": learner.pk,
        }
        sent = {
            key: [names.get(v, v) for v in value] if isinstance(value, list) else names[value]
            for key, value in data.items()
        }
        response = client_for(learner).post(ask_url(enrolment), sent)
        html = read(response)
        assert response.status_code == 200
        assert "<title>Error: " in html
        assert message in html
        assert not ConfirmationRequest.objects.exists()

    def test_a_proficiency_sent_meanwhile_is_an_error_and_nothing_is_sent(
        self, client_for, learner, assessor, enrolment
    ):
        first, second = records(enrolment)[:2]
        achieve(enrolment, [first, second])
        ask(enrolment, [first], assessor)  # from another tab, a moment ago

        response = client_for(learner).post(
            ask_url(enrolment), {"records": [first.pk, second.pk], "send_to": assessor.pk}
        )

        html = read(response)
        assert "1.1 could not be sent for confirmation: it is already waiting for" in html
        assert ConfirmationRequest.objects.count() == 1
        assert states(enrolment)["1.2"] == RecordState.ACHIEVED

    def test_withdrawing_a_waiting_request(self, client_for, learner, assessor, enrolment):
        first = records(enrolment)[0]
        request = ask(enrolment, [first], assessor)
        client = client_for(learner)
        withdraw = reverse("progress:request_withdraw", args=[request.pk])

        response = client.post(withdraw)

        assert response.url == ask_url(enrolment)
        request.refresh_from_db()
        assert request.state == ConfirmationRequest.State.WITHDRAWN
        assert states(enrolment)["1.1"] == RecordState.ACHIEVED
        assert "Your request has been withdrawn" in read(client.get(response.url))
        client.post(withdraw)
        assert "already been decided or withdrawn" in read(client.get(response.url))

    def test_someone_elses_request_cannot_be_withdrawn(
        self, client_for, trust, assessor, enrolment
    ):
        request = ask(enrolment, records(enrolment)[:1], assessor)
        someone = MembershipFactory(trust=trust, is_learner=True).person
        response = client_for(someone).post(reverse("progress:request_withdraw", args=[request.pk]))
        assert response.status_code == 404
        request.refresh_from_db()
        assert request.state == ConfirmationRequest.State.WAITING

    def test_a_withdrawn_enrolment_shows_no_form_and_refuses(
        self, client_for, learner, assessor, educator, enrolment
    ):
        first = records(enrolment)[0]
        achieve(enrolment, [first])
        enrolment_withdraw(enrolment=enrolment, by=educator)
        client = client_for(learner)
        html = read(client.get(ask_url(enrolment)))
        assert "This enrolment was withdrawn on" in html
        assert 'type="checkbox"' not in html
        response = client.post(ask_url(enrolment), {"records": [first.pk], "send_to": assessor.pk})
        assert "This enrolment is withdrawn, so it cannot be changed." in read(response)
        assert not ConfirmationRequest.objects.exists()

    def test_with_nothing_achieved_the_learner_is_told_what_to_do(
        self, client_for, learner, enrolment
    ):
        html = read(client_for(learner).get(ask_url(enrolment)))
        assert "You have no achieved proficiencies to send" in html


@pytest.mark.parametrize("size", [120, 500])
def test_the_page_costs_the_same_however_many_are_ready(
    client_for, learner, trust, educator, assessor, size, django_assert_max_num_queries
):
    version = build_version(slug=f"big-{size}", sections=10, per_section=size // 10)
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    enrolment = enrolment_create(
        learner=learner,
        version=version,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
    every = records(enrolment)
    ask(enrolment, every[:5], assessor)
    achieve(enrolment, every[5:])
    client = client_for(learner)
    client.get(ask_url(enrolment))
    # The layout's own, then the enrolment, the achieved records, who may be asked (and which
    # are the learner's assessors) and the waiting requests with their records. Whether a
    # learner must give a security code (ADR 17) is kept with the session.
    with django_assert_max_num_queries(10):
        html = read(client.get(ask_url(enrolment)))
    assert len(ticked(html)) == size - 5
