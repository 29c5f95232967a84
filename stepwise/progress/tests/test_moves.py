"""The moves a record or an enrolment may make are declared once (states.py); the services
refuse every move from a state the declaration does not allow, and write no event for it."""

# The shared fixtures of moving_support are imported here, then named as test arguments.
# ruff: noqa: F811

import pytest

from stepwise.core.errors import ConflictError
from stepwise.progress.models import (
    Enrolment,
    EnrolmentEvent,
    Evidence,
    ProficiencyRecord,
    RecordEvent,
    SignOffRequest,
)
from stepwise.progress.moving_models import MoveProposal
from stepwise.progress.services import (
    confirmation_request,
    confirmation_withdraw,
    enrolment_change_details,
    enrolment_move_version,
    enrolment_sign_off,
    enrolment_withdraw,
    evidence_add,
    evidence_remove,
    record_reopen,
    records_self_assess,
    sign_off_request,
    sign_off_return,
    sign_off_withdraw,
)
from stepwise.progress.services.moving import enrolment_move_confirm, enrolment_move_decline
from stepwise.progress.states import (
    ENROLMENT_MOVES,
    MOVES,
    EnrolmentEventKind,
    EnrolmentState,
    RecordEventKind,
    RecordState,
)

from .conftest import build_version
from .factories import CONFIRM, REJECT, achieve, confirm_everything_required, decide, records
from .learner_support import PIN, upload
from .moving_support import joined, new_educator, new_offer, propose  # noqa: F401 - fixtures


def test_every_kind_that_moves_a_record_or_an_enrolment_is_declared():
    # An action done is about an action of a plan; enrolling starts a new enrolment.
    assert set(MOVES) == set(RecordEventKind) - {RecordEventKind.ACTION_DONE}
    assert set(ENROLMENT_MOVES) == set(EnrolmentEventKind) - {EnrolmentEventKind.ENROLLED}
    assert {state for states in MOVES.values() for state in states} <= set(RecordState)
    assert {state for states in ENROLMENT_MOVES.values() for state in states} <= set(EnrolmentState)


# What each service does with a record, given the test's people (`who`): each returns a
# function that tries the move of one kind on `record`.
def _asked(enrolment, record, who):
    """`record` waiting in a request, as the learner's asking leaves it."""
    achieve(enrolment, who["learner"], [record])
    return confirmation_request(
        enrolment=enrolment, by=who["learner"], record_ids=[record.pk], assessor=who["assessor"]
    )


def _self_assess(enrolment, record, who, state):
    answer = RecordState.ONGOING if state != RecordState.ONGOING else RecordState.ACHIEVED
    records_self_assess(enrolment=enrolment, by=who["learner"], answers=[(record.pk, answer, "")])


def _request(enrolment, record, who, state):
    confirmation_request(
        enrolment=enrolment, by=who["learner"], record_ids=[record.pk], assessor=who["assessor"]
    )


def _withdraw(enrolment, record, who, state):
    confirmation_withdraw(request=who["request"], by=who["learner"])


def _confirm(enrolment, record, who, state):
    decide(who["request"], who["assessor"], [(record, CONFIRM)])


def _reject(enrolment, record, who, state):
    decide(who["request"], who["assessor"], [(record, REJECT)])


def _reopen(enrolment, record, who, state):
    record_reopen(record=ProficiencyRecord.objects.get(pk=record.pk), by=who["learner"])


def _add_evidence(enrolment, record, who, state):
    evidence_add(record=record, by=who["learner"], upload=upload())


def _remove_evidence(enrolment, record, who, state):
    evidence_remove(evidence=Evidence.objects.get(pk=who["evidence"].pk), by=who["learner"])


def _newer(enrolment, who):
    if "newer" not in who:
        who["newer"] = build_version(framework=enrolment.version.framework, label="2.0")
    return who["newer"]


def _move_version(enrolment, record, who, state):
    enrolment_move_version(enrolment=enrolment, version=_newer(enrolment, who), by=who["educator"])


RECORD_ATTEMPTS = {
    RecordEventKind.SELF_ASSESSED: _self_assess,
    RecordEventKind.CONFIRMATION_REQUESTED: _request,
    RecordEventKind.REQUEST_WITHDRAWN: _withdraw,
    RecordEventKind.CONFIRMED: _confirm,
    RecordEventKind.REJECTED: _reject,
    RecordEventKind.REOPENED: _reopen,
    RecordEventKind.CARRIED_OVER: _move_version,
    RecordEventKind.NEEDS_REASSESSMENT: _move_version,
    RecordEventKind.EVIDENCE_ADDED: _add_evidence,
    RecordEventKind.EVIDENCE_REMOVED: _remove_evidence,
}
# Prior attainment is refused the same way by the passports app (its tests).
NEEDS_A_REQUEST = {
    RecordEventKind.REQUEST_WITHDRAWN,
    RecordEventKind.CONFIRMED,
    RecordEventKind.REJECTED,
}


def test_every_declared_record_move_of_this_app_is_tried_below():
    assert set(RECORD_ATTEMPTS) == set(MOVES) - {RecordEventKind.PRIOR_ATTAINMENT}


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        (kind, state)
        for kind in RECORD_ATTEMPTS
        for state in RecordState
        if state not in MOVES[kind]
    ],
)
def test_a_record_cannot_move_from_a_state_not_declared(
    kind, state, enrolment, learner, assessor, educator
):
    who = {"learner": learner, "assessor": assessor, "educator": educator}
    record = _record_in(state, kind, enrolment, who)
    _refused(kind, state, enrolment, record, who)


@pytest.mark.parametrize("kind", list(RECORD_ATTEMPTS))
def test_the_services_take_a_records_moves_from_the_declaration(
    kind, monkeypatch, enrolment, learner, assessor, educator
):
    """Taking a state out of MOVES is enough for the service to refuse a move from it, and
    putting it back lets the same move through."""
    state = MOVES[kind][0]
    who = {"learner": learner, "assessor": assessor, "educator": educator}
    record = _record_in(state, kind, enrolment, who)
    monkeypatch.setitem(MOVES, kind, [s for s in MOVES[kind] if s != state])
    _refused(kind, state, enrolment, record, who)

    monkeypatch.undo()
    RECORD_ATTEMPTS[kind](enrolment, record, who, state)
    if "newer" in who:  # the whole enrolment moved version
        assert Enrolment.objects.get(pk=enrolment.pk).version == who["newer"]
    else:
        assert RecordEvent.objects.filter(kind=kind, record=record, from_state=state).exists()


def _record_in(state, kind, enrolment, who):
    record = records(enrolment)[0]
    if kind in NEEDS_A_REQUEST:
        who["request"] = _asked(enrolment, record, who)
    if kind == RecordEventKind.EVIDENCE_REMOVED:
        who["evidence"] = evidence_add(record=record, by=who["learner"], upload=upload())
    # Put there directly, keeping its request: only the state is in question.
    ProficiencyRecord.objects.filter(pk=record.pk).update(state=state)
    record.refresh_from_db()
    return record


def _refused(kind, state, enrolment, record, who):
    before = RecordEvent.objects.filter(kind=kind).count()
    with pytest.raises(ConflictError):
        RECORD_ATTEMPTS[kind](enrolment, record, who, state)
    record.refresh_from_db()
    assert record.state == state
    assert RecordEvent.objects.filter(kind=kind).count() == before


def _change_details(enrolment, who):
    enrolment_change_details(
        enrolment=enrolment,
        by=who["educator"],
        due_on=None,
        educator=who["educator"],
        assessors=[who["assessor"]],
    )


def _enrolment_move_version(enrolment, who):
    enrolment_move_version(enrolment=enrolment, version=_newer(enrolment, who), by=who["educator"])


def _ask_sign_off(enrolment, who):
    sign_off_request(enrolment=enrolment, by=who["learner"], declaration_agreed=True)


def _withdraw_sign_off(enrolment, who):
    sign_off_withdraw(enrolment=enrolment, by=who["learner"])


def _return_sign_off(enrolment, who):
    sign_off_return(enrolment=enrolment, by=who["educator"], comments="Add more evidence")


def _sign_off(enrolment, who):
    enrolment_sign_off(
        enrolment=enrolment,
        by=who["educator"],
        declaration_agreed=True,
        registration_body=PIN[0],
        registration_number=PIN[1],
    )


def _withdraw_enrolment(enrolment, who):
    enrolment_withdraw(enrolment=enrolment, by=who["educator"])


def _confirm_move(enrolment, who):
    enrolment_move_confirm(proposal=who["proposal"], by=who["learner"])


ENROLMENT_ATTEMPTS = {
    EnrolmentEventKind.DETAILS_CHANGED: _change_details,
    EnrolmentEventKind.VERSION_CHANGED: _enrolment_move_version,
    EnrolmentEventKind.SIGN_OFF_REQUESTED: _ask_sign_off,
    EnrolmentEventKind.SIGN_OFF_WITHDRAWN: _withdraw_sign_off,
    EnrolmentEventKind.SIGN_OFF_RETURNED: _return_sign_off,
    EnrolmentEventKind.SIGNED_OFF: _sign_off,
    EnrolmentEventKind.WITHDRAWN: _withdraw_enrolment,
    EnrolmentEventKind.MOVED_TRUST: _confirm_move,
}
# The educator's decision claims a waiting sign-off request before it moves the enrolment.
NEEDS_A_SIGN_OFF_REQUEST = {EnrolmentEventKind.SIGN_OFF_RETURNED, EnrolmentEventKind.SIGNED_OFF}


def test_every_declared_enrolment_move_is_tried_below():
    assert set(ENROLMENT_ATTEMPTS) == set(ENROLMENT_MOVES)


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        (kind, state)
        for kind in ENROLMENT_ATTEMPTS
        for state in EnrolmentState
        if state not in ENROLMENT_MOVES[kind]
    ],
)
def test_an_enrolment_cannot_move_from_a_state_not_declared(
    kind,
    state,
    enrolment,
    learner,
    assessor,
    educator,
    other_trust,
    joined,
    new_educator,
    new_offer,
):
    who = {"learner": learner, "assessor": assessor, "educator": educator}
    _enrolment_in(state, kind, enrolment, who, other_trust, new_educator)
    _enrolment_refused(kind, state, enrolment, who)


@pytest.mark.parametrize("kind", list(ENROLMENT_ATTEMPTS))
def test_the_services_take_an_enrolments_moves_from_the_declaration(
    kind,
    monkeypatch,
    enrolment,
    learner,
    assessor,
    educator,
    other_trust,
    joined,
    new_educator,
    new_offer,
):
    state = ENROLMENT_MOVES[kind][0]
    who = {"learner": learner, "assessor": assessor, "educator": educator}
    if kind == EnrolmentEventKind.SIGN_OFF_REQUESTED:
        confirm_everything_required(enrolment, learner, assessor)
    _enrolment_in(state, kind, enrolment, who, other_trust, new_educator)
    monkeypatch.setitem(ENROLMENT_MOVES, kind, [s for s in ENROLMENT_MOVES[kind] if s != state])
    _enrolment_refused(kind, state, enrolment, who)

    monkeypatch.undo()
    ENROLMENT_ATTEMPTS[kind](enrolment, who)
    assert EnrolmentEvent.objects.filter(kind=kind, enrolment=enrolment).exists()


def _enrolment_in(state, kind, enrolment, who, other_trust, new_educator):
    if kind == EnrolmentEventKind.MOVED_TRUST:
        who["proposal"] = propose(enrolment, other_trust, new_educator)
    if kind in NEEDS_A_SIGN_OFF_REQUEST:
        SignOffRequest.objects.create(
            enrolment=enrolment, educator=who["educator"], learner_declaration="I agree"
        )
    Enrolment.objects.filter(pk=enrolment.pk).update(state=state)
    enrolment.refresh_from_db()


def _enrolment_refused(kind, state, enrolment, who):
    before = EnrolmentEvent.objects.filter(kind=kind).count()
    with pytest.raises(ConflictError):
        ENROLMENT_ATTEMPTS[kind](enrolment, who)
    enrolment.refresh_from_db()
    assert enrolment.state == state
    assert EnrolmentEvent.objects.filter(kind=kind).count() == before


def test_a_move_proposals_history_says_from_which_state_to_which(
    enrolment, learner, other_trust, joined, new_educator, new_offer
):
    proposal = propose(enrolment, other_trust, new_educator)
    enrolment_move_decline(proposal=proposal, by=learner)
    waiting, declined = MoveProposal.State.WAITING, MoveProposal.State.DECLINED
    assert [(e.kind, e.from_state, e.to_state) for e in proposal.events.all()] == [
        ("proposed", "", waiting),
        ("declined", waiting, declined),
    ]
