"""The whole-Step answer page: every proficiency a compact row, all saved with one press, in
pages of whole sections only when a framework is too long for one."""

import re

import pytest
from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import RecordEvent
from stepwise.progress.presenters import learner_answers
from stepwise.progress.services import enrolment_create, enrolment_withdraw
from stepwise.progress.states import RecordEventKind, RecordState

from .conftest import build_version
from .learner_support import achieve, ask, confirm, read, records, reject, sign_in_redirect


def url(enrolment, page=None) -> str:
    href = reverse("progress:answers", args=[enrolment.pk])
    return f"{href}?page={page}" if page else href


def checked(html: str) -> dict[str, str]:
    """{record id: answer} for every radio ticked on the page."""
    return dict(re.findall(r'name="answer-(\d+)" type="radio" value="(\w+)"\s*checked', html))


def enrol(learner, educator, assessor, trust, version):
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    return enrolment_create(
        learner=learner,
        version=version,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )


def test_anonymous_people_are_asked_to_sign_in(client, enrolment):
    assert sign_in_redirect(client.get(url(enrolment)))


def test_another_learners_enrolment_is_not_found(client_for, trust, enrolment):
    someone = MembershipFactory(trust=trust, is_learner=True).person
    assert client_for(someone).get(url(enrolment)).status_code == 404
    assert client_for(someone).post(url(enrolment), {}).status_code == 404


def test_every_section_is_on_one_page_a_row_each(client_for, learner, assessor, enrolment):
    every = records(enrolment)
    confirm(enrolment, every[:1], assessor)
    achieve(enrolment, every[1:2])

    html = read(client_for(learner).get(url(enrolment)))

    for heading in ("1 Section 1", "2 Section 2", "3 Section 3"):
        assert f">{heading}</h2>" in html
    assert html.count('class="stepwise-answer"') == 12
    # The confirmed one shows its state and the way to change it, not radios.
    assert html.count("nhsuk-radios--inline") == 11
    assert f'name="answer-{every[0].pk}"' not in html
    assert reverse("progress:record_reopen", args=[enrolment.pk, every[0].pk]) in html
    assert checked(html) == {str(every[1].pk): RecordState.ACHIEVED}
    # Each fieldset is described by its statement, and named for screen readers.
    assert f'aria-describedby="record-{every[1].pk}-statement"' in html
    assert 'Your answer<span class="nhsuk-u-visually-hidden"> for 1.2</span>' in html
    assert "Save and ask for confirmation" in html
    assert "page 1 of" not in html


def test_one_press_saves_every_section(client_for, learner, enrolment):
    every = records(enrolment)
    client = client_for(learner)
    data = {f"answer-{record.pk}": "achieved" for record in every}
    data[f"answer-{every[4].pk}"] = "ongoing"
    data[f"reflection-{every[4].pk}"] = "Practised twice, once more to go"

    response = client.post(url(enrolment), data)

    assert response.status_code == 302 and response.url == url(enrolment)
    states = {r.pk: (r.state, r.reflection) for r in records(enrolment)}
    assert states[every[4].pk] == (RecordState.ONGOING, "Practised twice, once more to go")
    assert sum(state == RecordState.ACHIEVED for state, _ in states.values()) == 11
    assert RecordEvent.objects.filter(kind=RecordEventKind.SELF_ASSESSED).count() == 12
    assert "12 answers saved" in read(client.get(url(enrolment)))


def test_save_and_ask_goes_straight_to_asking(client_for, learner, enrolment):
    first = records(enrolment)[0]
    response = client_for(learner).post(
        url(enrolment), {f"answer-{first.pk}": "achieved", "then": "ask"}
    )
    assert response.url == reverse("progress:request_confirmation", args=[enrolment.pk])
    first.refresh_from_db()
    assert first.state == RecordState.ACHIEVED


def test_a_page_opened_before_asking_still_saves(client_for, learner, assessor, enrolment):
    """The page shows "achieved" ticked for what is now waiting for confirmation (asked from
    another tab): sending it unchanged is not a change to refuse."""
    first, second, *_ = records(enrolment)
    achieve(enrolment, [first])
    client = client_for(learner)
    shown = checked(read(client.get(url(enrolment))))
    ask(enrolment, [first], assessor)

    data = {f"answer-{pk}": answer for pk, answer in shown.items()}
    data[f"reflection-{first.pk}"] = "Managed it on shift"
    data[f"answer-{second.pk}"] = "ongoing"
    response = client.post(url(enrolment), data)

    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == RecordState.ONGOING
    assert first.state == RecordState.AWAITING_CONFIRMATION


def test_a_real_change_to_something_waiting_is_refused(client_for, learner, assessor, enrolment):
    first, second, *_ = records(enrolment)
    ask(enrolment, [first], assessor)
    response = client_for(learner).post(
        url(enrolment), {f"answer-{first.pk}": "ongoing", f"answer-{second.pk}": "achieved"}
    )
    html = read(response)
    assert "1.1 could not be self-assessed: it is already waiting for confirmation" in html
    second.refresh_from_db()
    assert second.state == RecordState.NOT_STARTED


def test_a_bad_answer_is_shown_on_its_row_and_nothing_is_lost(client_for, learner, enrolment):
    first, second, *_ = records(enrolment)
    response = client_for(learner).post(
        url(enrolment),
        {
            f"answer-{first.pk}": "achieved",
            f"reflection-{first.pk}": "Kept when the page comes back",
            f"reflection-{second.pk}": "A reflection without an answer",
        },
    )
    html = read(response)
    assert response.status_code == 200 and "<title>Error: " in html
    assert f'href="#id_answer-{second.pk}"' in html
    assert "Choose an answer for 1.2 to save your reflection" in html
    assert f'class="stepwise-answer stepwise-answer--error" id="record-{second.pk}"' in html
    assert re.search(rf'id="record-{second.pk}-reflection"\s*open', html)
    assert "Kept when the page comes back" in html and "A reflection without an answer" in html
    assert checked(html) == {str(first.pk): "achieved"}
    assert not RecordEvent.objects.exists()


def test_a_rejected_proficiency_links_to_its_action_plan(client_for, learner, assessor, enrolment):
    first = records(enrolment)[0]
    reject(enrolment, first, assessor)
    html = read(client_for(learner).get(url(enrolment)))
    plans = reverse("progress:action_plans", args=[enrolment.pk])
    assert f'href="{plans}#plan-{first.pk}"' in html
    assert f'name="answer-{first.pk}"' in html


def test_a_withdrawn_enrolment_is_read_only(client_for, learner, educator, enrolment):
    first = records(enrolment)[0]
    achieve(enrolment, [first], reflection="Seen on shift")
    enrolment_withdraw(enrolment=enrolment, by=educator)
    client = client_for(learner)
    html = read(client.get(url(enrolment)))
    assert "This enrolment was withdrawn on" in html
    assert 'type="radio"' not in html and "Save answers" not in html
    assert "Seen on shift" in html  # the reflection can still be read
    response = client.post(url(enrolment), {f"answer-{first.pk}": "ongoing"})
    assert "This enrolment is withdrawn, so it cannot be changed." in read(response)


def test_a_long_framework_is_split_into_pages_of_whole_sections(
    client_for, learner, educator, assessor, trust, monkeypatch
):
    monkeypatch.setattr(learner_answers, "ROWS_PER_PAGE", 8)
    enrolment = enrol(learner, educator, assessor, trust, build_version(sections=3))
    client = client_for(learner)

    html = read(client.get(url(enrolment)))
    assert "Answer your proficiencies (page 1 of 2)" in html
    assert ">1 Section 1</h2>" in html and ">2 Section 2</h2>" in html
    assert "3 Section 3" not in html
    assert "Page 1 of 2: sections 1 to 2." in html
    assert re.search(r'href="[^"]*\?page=2"', html)  # the next page, by its sections
    assert html.count('class="stepwise-answer"') == 8
    assert "Save and continue" in html and "Save and ask for confirmation" not in html

    first = records(enrolment)[0]
    response = client.post(url(enrolment), {f"answer-{first.pk}": "achieved", "then": "next"})
    assert response.url == url(enrolment, 2)
    html = read(client.get(response.url))
    assert html.count('class="stepwise-answer"') == 4
    assert "Save and ask for confirmation" in html
    assert read(client.get(url(enrolment, "99"))).count('class="stepwise-answer"') == 8


@pytest.mark.parametrize("size", [120, 500])
def test_the_page_costs_the_same_however_many_proficiencies(
    client_for, learner, trust, educator, assessor, size, django_assert_max_num_queries
):
    version = build_version(slug=f"big-{size}", sections=4, per_section=size // 4)
    enrolment = enrol(learner, educator, assessor, trust, version)
    every = records(enrolment)
    confirm(enrolment, every[:3], assessor)
    reject(enrolment, every[3], assessor)
    achieve(enrolment, every[4 : size // 2])
    client = client_for(learner)
    client.get(url(enrolment))
    with django_assert_max_num_queries(12):
        html = read(client.get(url(enrolment)))
    # Whole sections up to 150 a page: 4 of 30 on one, or 125 (a section) on the first.
    assert html.count('class="stepwise-answer"') == {120: 120, 500: 125}[size]


class TestSavingByScript:
    """learner.js saves an answer as it is tapped: the same form, one row, a JSON reply."""

    def test_one_tapped_answer_is_saved_without_a_message_for_later(
        self, client_for, learner, enrolment
    ):
        first = records(enrolment)[0]
        client = client_for(learner)
        response = client.post(
            url(enrolment),
            {f"answer-{first.pk}": "achieved", f"reflection-{first.pk}": "With Sam"},
            headers={"accept": "application/json"},
        )
        assert response.status_code == 200 and response.json() == {"saved": 1}
        first.refresh_from_db()
        assert (first.state, first.reflection) == (RecordState.ACHIEVED, "With Sam")
        assert "answer saved" not in read(client.get(url(enrolment)))

    def test_a_problem_is_the_error_summarys_text(self, client_for, learner, assessor, enrolment):
        first = records(enrolment)[0]
        ask(enrolment, [first], assessor)
        response = client_for(learner).post(
            url(enrolment),
            {f"answer-{first.pk}": "ongoing"},
            headers={"accept": "application/json"},
        )
        assert response.status_code == 400
        assert response.json()["errors"][0].startswith("1.1 could not be self-assessed")

    def test_signed_out_it_is_told_so_and_the_page_keeps_the_answer(self, client, enrolment):
        first = records(enrolment)[0]
        response = client.post(
            url(enrolment),
            {f"answer-{first.pk}": "achieved"},
            headers={"accept": "application/json"},
        )
        assert response.status_code == 401 and response.json() == {"signed_out": True}
        first.refresh_from_db()
        assert first.state == RecordState.NOT_STARTED

    def test_the_section_and_action_plans_pages_answer_the_same_way(
        self, client_for, learner, assessor, enrolment
    ):
        first, second = records(enrolment)[:2]
        rejected = reject(enrolment, second, assessor).record
        client = client_for(learner)
        section = reverse("progress:section", args=[enrolment.pk, first.proficiency.section_id])
        plans = reverse("progress:action_plans", args=[enrolment.pk])
        json = {"accept": "application/json"}
        response = client.post(section, {f"answer-{first.pk}": "ongoing"}, headers=json)
        assert response.json() == {"saved": 1}
        response = client.post(plans, {f"answer-{rejected.pk}": "achieved"}, headers=json)
        assert response.json() == {"saved": 1}
        assert client.post(plans, {}, headers=json).status_code == 400
