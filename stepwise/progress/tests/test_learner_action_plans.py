"""Every open action plan on one page: tick the actions done and answer the rejected
proficiencies again, all with one Save."""

import re

import pytest
from django.urls import reverse

from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Action, Decision, RecordEvent
from stepwise.progress.services import action_mark_done, enrolment_create, enrolment_withdraw
from stepwise.progress.states import RecordEventKind, RecordState

from .conftest import build_version
from .learner_support import achieve, ask, decide, read, records, reject, sign_in_redirect


def url(enrolment) -> str:
    return reverse("progress:action_plans", args=[enrolment.pk])


def records_by_pk(enrolment) -> dict:
    return {record.pk: record for record in records(enrolment)}


def actions_of(record) -> list[Action]:
    return list(Action.objects.filter(plan__record=record).order_by("pk"))


@pytest.fixture
def rejected(enrolment, assessor):
    """1.1 and 2.2 rejected, each with a one-action plan."""
    every = records(enrolment)
    decisions = [reject(enrolment, every[0], assessor), reject(enrolment, every[5], assessor)]
    return [records_by_pk(enrolment)[decision.record_id] for decision in decisions]


def test_anonymous_people_are_asked_to_sign_in(client, enrolment):
    assert sign_in_redirect(client.get(url(enrolment)))


def test_another_learners_enrolment_is_not_found(client_for, trust, enrolment):
    someone = MembershipFactory(trust=trust, is_learner=True).person
    assert client_for(someone).get(url(enrolment)).status_code == 404
    assert client_for(someone).post(url(enrolment), {}).status_code == 404


def test_it_lists_every_open_plan_with_its_answer_controls(
    client_for, learner, assessor, enrolment, rejected
):
    html = read(client_for(learner).get(url(enrolment)))

    for record in rejected:
        assert f'id="plan-{record.pk}"' in html
        assert f'name="answer-{record.pk}"' in html
        action = actions_of(record)[0]
        box = re.search(rf'name="done" type="checkbox" value="{action.pk}"[^>]*>', html)
        assert box and "checked" not in box.group() and "disabled" not in box.group()
    assert html.count("Practise under supervision") == 2
    assert f"Action plan from {assessor.full_name}" in html
    assert "Not yet" in html  # the assessor's feedback
    assert "Save and ask for confirmation" in html


def test_without_plans_it_says_so(client_for, learner, enrolment):
    html = read(client_for(learner).get(url(enrolment)))
    assert "You have no open action plans" in html
    assert 'type="checkbox"' not in html


def test_one_save_marks_actions_done_and_answers_again(client_for, learner, enrolment, rejected):
    first, second = rejected
    actions = [actions_of(first)[0], actions_of(second)[0]]

    response = client_for(learner).post(
        url(enrolment),
        {
            "done": [a.pk for a in actions],
            f"answer-{first.pk}": "achieved",
            f"reflection-{first.pk}": "Did it with my supervisor twice",
            f"answer-{second.pk}": "achieved",
            "then": "ask",
        },
    )

    assert response.url == reverse("progress:request_confirmation", args=[enrolment.pk])
    assert all(action.done_at for action in Action.objects.all())
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.reflection) == (
        RecordState.ACHIEVED,
        "Did it with my supervisor twice",
    )
    assert second.state == RecordState.ACHIEVED
    assert RecordEvent.objects.filter(kind=RecordEventKind.ACTION_DONE).count() == 2
    # And both are ready to send, ticked.
    html = read(response.client.get(response.url))
    assert "2 actions marked as done and 2 answers saved" in html
    ticked = set(re.findall(r'name="records" type="checkbox" value="(\d+)" checked', html))
    assert ticked == {str(first.pk), str(second.pk)}


def test_actions_alone_can_be_saved_and_done_ones_stay_listed(
    client_for, learner, enrolment, rejected
):
    first = rejected[0]
    action = actions_of(first)[0]
    client = client_for(learner)
    response = client.post(url(enrolment), {"done": [action.pk]})
    assert response.status_code == 302
    html = read(client.get(url(enrolment)))
    assert "1 action marked as done" in html
    # Still rejected, so still listed: the action as done, and not to tick again.
    box = re.search(rf'name="done" type="checkbox" value="{action.pk}"[^>]*>', html)
    assert "checked" in box.group() and "disabled" in box.group()
    first.refresh_from_db()
    assert first.state == RecordState.REJECTED


def test_a_plan_answered_again_leaves_once_its_actions_are_done(
    client_for, learner, enrolment, rejected
):
    first = rejected[0]
    achieve(enrolment, [first])
    html = read(client_for(learner).get(url(enrolment)))
    assert f'id="plan-{first.pk}"' in html  # its action is not done yet
    action_mark_done(action=actions_of(first)[0], by=learner)
    html = read(client_for(learner).get(url(enrolment)))
    assert f'id="plan-{first.pk}"' not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tick an action you have done or choose an answer"),
        ({"done": ["OTHER"]}, "Select actions from the list"),
        # "²" passes str.isdigit() but int() cannot read it (found by tests/fuzz: a 500).
        ({"done": ["²", "9" * 5000]}, "Select actions from the list"),
        ({"answer-FIRST": "confirmed"}, "Choose Achieved or On going for 1.1"),
    ],
)
def test_bad_choices_are_explained_and_nothing_is_saved(
    client_for, learner, assessor, trust, educator, offered, enrolment, rejected, data, message
):
    someone = MembershipFactory(trust=trust, is_learner=True).person
    theirs = enrolment_create(
        learner=someone, version=offered, trust=trust, educator=educator, by=educator
    )
    other = Action.objects.get(plan__decision=reject(theirs, records(theirs)[0], assessor))
    names = {"OTHER": other.pk}
    sent = {
        key.replace("FIRST", str(rejected[0].pk)): [names.get(v, v) for v in value]
        if isinstance(value, list)
        else value
        for key, value in data.items()
    }
    events = RecordEvent.objects.count()

    response = client_for(learner).post(url(enrolment), sent)

    html = read(response)
    assert response.status_code == 200 and "<title>Error: " in html
    assert message.replace("On going", enrolment.version.ongoing_label) in html
    assert RecordEvent.objects.count() == events
    assert not Action.objects.filter(done_at__isnull=False).exists()


def test_a_withdrawn_enrolment_shows_the_plans_and_refuses(
    client_for, learner, educator, enrolment, rejected
):
    enrolment_withdraw(enrolment=enrolment, by=educator)
    client = client_for(learner)
    html = read(client.get(url(enrolment)))
    assert "This enrolment was withdrawn on" in html
    assert "Save and ask for confirmation" not in html
    action = actions_of(rejected[0])[0]
    response = client.post(url(enrolment), {"done": [action.pk]})
    assert "This enrolment is withdrawn, so it cannot be changed." in read(response)
    action.refresh_from_db()
    assert action.done_at is None


@pytest.mark.parametrize("size", [120, 500])
def test_the_page_costs_the_same_however_many_plans(
    client_for, learner, trust, educator, assessor, size, django_assert_max_num_queries
):
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
    chosen = every[: size // 10]
    request = ask(enrolment, chosen, assessor)
    decide(request, assessor, [(record, Decision.Outcome.REJECTED) for record in chosen])
    client = client_for(learner)
    client.get(url(enrolment))
    with django_assert_max_num_queries(12):
        html = read(client.get(url(enrolment)))
    assert html.count('class="stepwise-plan"') == size // 10
