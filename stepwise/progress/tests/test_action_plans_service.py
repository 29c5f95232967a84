"""The action plans page's one Save (`action_plans_answer`): the ticked actions marked done and
the rejected proficiencies answered again in one transaction, each with its event, and
nothing half-saved when any part of it is refused."""

import pytest

from stepwise.core.errors import ConflictError
from stepwise.core.tests.concurrency import at_once
from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import Action, RecordEvent
from stepwise.progress.services import action_plans_answer, enrolment_create
from stepwise.progress.states import RecordEventKind, RecordState

from .learner_support import ask, records, reject

ACHIEVED = RecordState.ACHIEVED


@pytest.fixture
def rejected(enrolment, assessor):
    """1.1 and 2.2 rejected, each with a one-action plan."""
    every = records(enrolment)
    decisions = [reject(enrolment, every[0], assessor), reject(enrolment, every[5], assessor)]
    by_pk = {record.pk: record for record in records(enrolment)}
    return [by_pk[decision.record_id] for decision in decisions]


def action_of(record) -> Action:
    return Action.objects.get(plan__record=record)


def test_one_call_marks_the_actions_done_and_answers_again(enrolment, learner, rejected):
    first, second = rejected

    done, changed = action_plans_answer(
        enrolment=enrolment,
        by=learner,
        done=[action_of(first).pk, action_of(second).pk],
        answers=[(first.pk, ACHIEVED, "With my supervisor"), (second.pk, ACHIEVED, "")],
    )

    assert (done, changed) == (2, 2)
    assert not Action.objects.filter(done_at=None).exists()
    assert {action.done_by for action in Action.objects.all()} == {learner}
    for record in rejected:
        record.refresh_from_db()
        assert record.state == ACHIEVED
    events = RecordEvent.objects.filter(enrolment=enrolment)
    done_events = events.filter(kind=RecordEventKind.ACTION_DONE)
    # Each action's event keeps the record's state when it was done: still rejected.
    assert sorted(done_events.values_list("record_id", "from_state", "to_state")) == sorted(
        (record.pk, RecordState.REJECTED, RecordState.REJECTED) for record in rejected
    )
    answered = events.filter(kind=RecordEventKind.SELF_ASSESSED, from_state=RecordState.REJECTED)
    assert sorted(answered.values_list("record_id", "to_state", "note")) == sorted(
        [(first.pk, ACHIEVED, "With my supervisor"), (second.pk, ACHIEVED, "")]
    )


def test_a_refusal_midway_leaves_nothing_half_saved(enrolment, learner, assessor, rejected):
    # Given, beside the two rejected, a proficiency sent for confirmation since the page was
    # opened: answering it is refused (it waits for the assessor)
    first, second = rejected
    waiting = records(enrolment)[10]
    ask(enrolment, [waiting], assessor)
    events = RecordEvent.objects.count()

    # When the one Save sends both actions done and three answers, the waiting one last
    with pytest.raises(ConflictError):
        action_plans_answer(
            enrolment=enrolment,
            by=learner,
            done=[action_of(first).pk, action_of(second).pk],
            answers=[
                (first.pk, ACHIEVED, "With my supervisor"),
                (second.pk, ACHIEVED, ""),
                (waiting.pk, RecordState.ONGOING, ""),
            ],
        )

    # Then nothing of it is saved: the actions, the two answers before it and their events
    # were all in the same transaction
    assert not Action.objects.filter(done_at__isnull=False).exists()
    for record in rejected:
        record.refresh_from_db()
        assert record.state == RecordState.REJECTED
    assert RecordEvent.objects.count() == events


def test_another_enrolments_action_is_refused_and_nothing_saved(
    enrolment, learner, assessor, educator, trust, offered, rejected
):
    someone = MembershipFactory(trust=trust, is_learner=True).person
    theirs = enrolment_create(
        learner=someone, version=offered, trust=trust, educator=educator, by=educator
    )
    other = Action.objects.get(plan__decision=reject(theirs, records(theirs)[0], assessor))

    with pytest.raises(ConflictError, match="not part of this enrolment"):
        action_plans_answer(
            enrolment=enrolment,
            by=learner,
            done=[action_of(rejected[0]).pk, other.pk],
            answers=[(rejected[0].pk, ACHIEVED, "")],
        )

    assert not Action.objects.filter(done_at__isnull=False).exists()
    rejected[0].refresh_from_db()
    assert rejected[0].state == RecordState.REJECTED


def test_only_the_learner_answers_their_plans(enrolment, educator, rejected):
    with pytest.raises(ConflictError):
        action_plans_answer(
            enrolment=enrolment, by=educator, done=[action_of(rejected[0]).pk], answers=[]
        )
    assert not Action.objects.filter(done_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_the_same_plans_mark_each_action_once(enrolment, learner, rejected):
    first, second = rejected
    done = [action_of(first).pk, action_of(second).pk]
    answers = [(first.pk, ACHIEVED, ""), (second.pk, ACHIEVED, "")]

    def save():
        return action_plans_answer(enrolment=enrolment, by=learner, done=done, answers=answers)

    results, errors = at_once(save, save)

    # One saves everything; the other finds the actions done and the answers given, or (on
    # a database that makes it wait and then sees the change) is told the records moved on
    assert (2, 2) in results
    assert all(result == (0, 0) for result in results if result != (2, 2))
    assert all(isinstance(error, ConflictError) for error in errors)
    assert len(results) + len(errors) == 2
    assert RecordEvent.objects.filter(kind=RecordEventKind.ACTION_DONE).count() == 2
    assert (
        RecordEvent.objects.filter(
            kind=RecordEventKind.SELF_ASSESSED, record__in=rejected, from_state=RecordState.REJECTED
        ).count()
        == 2
    )
