"""A section page: every proficiency with its guidance and state, and one form that
self-assesses all the ones the learner may answer in a single call."""

import re

import pytest
from django.urls import reverse

from stepwise.frameworks.models import FrameworkVersion, TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import RecordEvent
from stepwise.progress.services import (
    enrolment_create,
    enrolment_sign_off,
    enrolment_withdraw,
    sign_off_request,
)
from stepwise.progress.states import RecordEventKind, RecordState

from .conftest import build_version
from .learner_support import (
    PIN,
    achieve,
    ask,
    confirm,
    confirm_everything_needed,
    read,
    records,
    reject,
    sign_in_redirect,
)


def url(enrolment, section) -> str:
    return reverse("progress:section", args=[enrolment.pk, section.pk])


def first_section(enrolment):
    return enrolment.version.sections.get(position=1)


def in_section(enrolment, position=1):
    return [r for r in records(enrolment) if r.proficiency.section.position == position]


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_anonymous_people_are_asked_to_sign_in(client, enrolment):
    assert sign_in_redirect(client.get(url(enrolment, first_section(enrolment))))


def test_another_learners_enrolment_or_another_versions_section_is_not_found(
    client_for, learner, trust, enrolment
):
    someone = MembershipFactory(trust=trust, is_learner=True).person
    assert client_for(someone).get(url(enrolment, first_section(enrolment))).status_code == 404
    elsewhere = build_version(slug="other").sections.first()
    assert client_for(learner).get(url(enrolment, elsewhere)).status_code == 404
    response = client_for(learner).post(url(enrolment, elsewhere), {})
    assert response.status_code == 404


def test_it_shows_each_proficiency_with_guidance_and_the_versions_own_answers(
    client_for, learner, trust, educator
):
    version = build_version(slug="custom")
    FrameworkVersion.objects.filter(pk=version.pk).update(
        achieved_label="Competent", ongoing_label="Still learning"
    )
    version.refresh_from_db()
    proficiency = version.proficiencies.get(code="1.1")
    type(proficiency).objects.filter(pk=proficiency.pk).update(
        guidance="Watch the patient, not the monitor."
    )
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    enrolment = enrolment_create(
        learner=learner, version=version, trust=trust, educator=educator, by=educator
    )

    html = read(client_for(learner).get(url(enrolment, first_section(enrolment))))

    for code in ("1.1", "1.2", "1.3", "1.4"):
        assert f"Statement {code}" in html
    assert 'Guidance<span class="nhsuk-u-visually-hidden"> for 1.1</span>' in html
    assert "Watch the patient, not the monitor." in html
    assert html.count('class="stepwise-answer"') == 4 and html.count("-guidance") == 1
    assert "Competent" in html and "Still learning" in html
    # One row each: the two answers inline, the reflection one tap away in a Details.
    assert html.count('type="radio"') == 8
    assert html.count("nhsuk-radios--inline") == 4
    assert html.count("<textarea") == 4
    for record in in_section(enrolment):
        details = f'stepwise-answer__details" id="record-{record.pk}-reflection"'
        assert f'<details class="nhsuk-details {details}' in html
    # Nothing is answered yet, and the radios say so: no "Not started" tag on every row.
    assert "Not started" not in main_of(html)


def test_confirmed_and_waiting_proficiencies_show_their_state_and_no_inputs(
    client_for, learner, assessor, enrolment
):
    first, second, *_ = in_section(enrolment)
    confirm(enrolment, [first], assessor)
    ask(enrolment, [second], assessor)

    html = read(client_for(learner).get(url(enrolment, first_section(enrolment))))

    assert f'name="answer-{first.pk}"' not in html
    assert f'name="answer-{second.pk}"' not in html
    assert html.count('type="radio"') == 4
    assert re.search(r'nhsuk-tag--green"\s*>\s*Confirmed', html)
    assert re.search(r'nhsuk-tag--purple"\s*>\s*Waiting for confirmation', html)
    assert reverse("progress:record_reopen", args=[enrolment.pk, first.pk]) in html
    assert reverse("progress:record_reopen", args=[enrolment.pk, second.pk]) not in html


def test_one_submission_saves_every_answer_in_one_go(client_for, learner, enrolment):
    first, second, third, _fourth = in_section(enrolment)
    client = client_for(learner)
    page = url(enrolment, first_section(enrolment))

    response = client.post(
        page,
        {
            f"answer-{first.pk}": "achieved",
            f"reflection-{first.pk}": "Set up the monitoring myself",
            f"answer-{second.pk}": "ongoing",
            f"reflection-{second.pk}": "",
            f"answer-{third.pk}": "achieved",
        },
    )

    assert response.status_code == 302 and response.url == page
    states = {r.pk: (r.state, r.reflection) for r in in_section(enrolment)}
    assert states[first.pk] == (RecordState.ACHIEVED, "Set up the monitoring myself")
    assert states[second.pk] == (RecordState.ONGOING, "")
    assert states[third.pk] == (RecordState.ACHIEVED, "")
    assert RecordEvent.objects.filter(kind=RecordEventKind.SELF_ASSESSED).count() == 3
    html = read(client.get(page))
    assert "3 answers saved" in html
    assert (
        reverse("progress:request_confirmation", args=[enrolment.pk])
        + (f"?section={first.proficiency.section_id}")
        in html
    )
    # The page remembers the answers for next time.
    assert re.search(
        rf'id="id_answer-{first.pk}" name="answer-{first.pk}"[^>]*value="achieved" checked', html
    )


def test_sending_the_same_answers_again_changes_nothing(client_for, learner, enrolment):
    first = in_section(enrolment)[0]
    client = client_for(learner)
    page = url(enrolment, first_section(enrolment))
    answers = {f"answer-{first.pk}": "achieved", f"reflection-{first.pk}": "Done"}
    client.post(page, answers)
    response = client.post(page, answers)
    assert response.status_code == 302
    assert RecordEvent.objects.count() == 1
    assert "Your answers were already saved" in read(client.get(page))


def test_a_decision_made_meanwhile_is_an_error_and_nothing_is_saved(
    client_for, learner, assessor, enrolment
):
    first, second, *_ = in_section(enrolment)
    client = client_for(learner)
    page = url(enrolment, first_section(enrolment))
    client.get(page)  # the learner opens the page...
    confirm(enrolment, [second], assessor)  # ...an assessor confirms 1.2 meanwhile...
    events = RecordEvent.objects.count()

    response = client.post(  # ...and the learner's page still had 1.2 to answer.
        page,
        {f"answer-{first.pk}": "achieved", f"answer-{second.pk}": "ongoing"},
    )

    html = read(response)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "1.2 could not be self-assessed: it is already confirmed by" in html
    assert assessor.full_name in html
    assert RecordEvent.objects.count() == events
    first.refresh_from_db()
    assert first.state == RecordState.NOT_STARTED


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Choose an answer for at least one proficiency"),
        ({"answer-FIRST": "confirmed"}, "Choose Achieved or On going assessment for 1.1"),
        ({"reflection-FIRST": "Notes"}, "Choose an answer for 1.1 to save your reflection"),
        (
            {"answer-FIRST": "achieved", "reflection-FIRST": "x" * 5001},
            "Reflection on 1.1 must be 5000 characters or fewer",
        ),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_saved(
    client_for, learner, enrolment, answers, message
):
    first = in_section(enrolment)[0]
    data = {key.replace("FIRST", str(first.pk)): value for key, value in answers.items()}
    response = client_for(learner).post(url(enrolment, first_section(enrolment)), data)
    html = read(response)
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert message in html
    assert not RecordEvent.objects.exists()


def test_a_rejected_proficiency_can_be_answered_again_and_links_to_its_plan(
    client_for, learner, assessor, enrolment
):
    first = in_section(enrolment)[0]
    reject(enrolment, first, assessor)
    html = read(client_for(learner).get(url(enrolment, first_section(enrolment))))
    assert f'name="answer-{first.pk}"' in html
    plans = reverse("progress:action_plans", args=[enrolment.pk])
    assert f'href="{plans}#plan-{first.pk}">Action plan' in html
    assert re.search(r'nhsuk-tag--red"\s*>\s*Rejected', html)


@pytest.mark.parametrize(
    ("ending", "notice", "refusal"),
    [
        ("withdraw", "This enrolment was withdrawn on", "This enrolment is withdrawn"),
        ("sign off", "This enrolment was signed off on", "This enrolment is signed off"),
    ],
)
def test_a_closed_enrolment_is_read_only_and_refuses_answers(
    client_for, learner, assessor, educator, enrolment, ending, notice, refusal
):
    first = in_section(enrolment)[0]
    if ending == "withdraw":
        achieve(enrolment, [first])
        enrolment_withdraw(enrolment=enrolment, by=educator)
    else:
        confirm_everything_needed(enrolment, assessor)
        sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)
        enrolment_sign_off(
            enrolment=enrolment,
            by=educator,
            declaration_agreed=True,
            registration_body=PIN[0],
            registration_number=PIN[1],
        )
    first.refresh_from_db()
    before = first.state
    client = client_for(learner)
    page = url(enrolment, first_section(enrolment))

    html = read(client.get(page))
    assert notice in html
    assert 'type="radio"' not in html
    assert "Save answers" not in html
    assert "change-answer" not in html

    response = client.post(page, {f"answer-{first.pk}": "ongoing"})
    assert f"{refusal}, so it cannot be changed." in read(response)
    first.refresh_from_db()
    assert first.state == before


def test_it_links_to_the_next_and_previous_sections(client_for, learner, enrolment):
    first, second, third = enrolment.version.sections.order_by("position")
    client = client_for(learner)
    html = main_of(read(client.get(url(enrolment, first))))
    assert url(enrolment, second) in html and 'rel="prev"' not in html
    html = read(client.get(url(enrolment, second)))
    assert url(enrolment, first) in html and url(enrolment, third) in html
    html = read(client.get(url(enrolment, third)))
    assert 'rel="next"' not in html


@pytest.mark.parametrize("size", [120, 500])
def test_a_section_costs_the_same_however_many_proficiencies(
    client_for, learner, trust, educator, assessor, size, django_assert_max_num_queries
):
    # One section holding the whole framework: the page lists every proficiency.
    version = build_version(slug=f"big-{size}", sections=1, per_section=size)
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
    confirm(enrolment, every[:3], assessor)
    achieve(enrolment, every[3 : size // 2])
    client = client_for(learner)
    page = url(enrolment, version.sections.get())
    client.get(page)
    with django_assert_max_num_queries(12):
        html = read(client.get(page))
    assert html.count("<textarea") == size - 3


def test_save_and_go_to_the_next_section_saves_then_moves_on(client_for, learner, enrolment):
    first = in_section(enrolment)[0]
    client = client_for(learner)
    page = url(enrolment, first_section(enrolment))
    assert "Save and go to the next section" in read(client.get(page))

    response = client.post(page, {f"answer-{first.pk}": "achieved", "then": "next"})

    second_section = enrolment.version.sections.get(position=2)
    assert response.status_code == 302
    assert response.url == url(enrolment, second_section)
    first.refresh_from_db()
    assert first.state == RecordState.ACHIEVED


def test_the_last_section_has_no_next_to_go_to(client_for, learner, enrolment):
    last = enrolment.version.sections.order_by("-position").first()
    html = read(client_for(learner).get(url(enrolment, last)))
    assert "Save and go to the next section" not in html
    assert "Save answers" in html
