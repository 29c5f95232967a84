"""The Moving Trust presenters, without a database: objects stand in for loaded rows."""

from datetime import UTC, date, datetime
from types import SimpleNamespace as Row

from stepwise.organisations.models import Membership
from stepwise.progress.models import Decision
from stepwise.progress.presenters import move_proposals
from stepwise.progress.presenters import moving as presenters
from stepwise.progress.queries.prior_record import departure
from stepwise.progress.states import EnrolmentState, RecordState

A = Row(pk=1, name="Northshire Teaching Hospitals NHS Foundation Trust")
B = Row(pk=2, name="Riverside University Hospitals NHS Trust")
C = Row(pk=3, name="Hillside Community Health NHS Trust")
WHEN = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)


def proficiency(code, *, optional=False, section=1):
    return Row(
        code=code,
        statement=f"Statement {code}",
        optional=optional,
        section_id=section,
        section=Row(code=str(section), title=f"Section {section}"),
    )


def decision(record_id, *, outcome="confirmed", trust=A, source="", corrects_id=None, at=WHEN):
    return Row(
        record_id=record_id,
        outcome=outcome,
        assessor=Row(full_name="Ben Thompson"),
        registration_number="NMC 09B1234D",
        prior_attainment_source=source,
        trust=trust,
        trust_id=trust.pk,
        at=at,
        note="Well done",
        corrects_id=corrects_id,
        record=Row(proficiency=proficiency(f"1.{record_id}")),
    )


def move(trust, at=WHEN):
    return Row(trust=trust, trust_id=trust.pk, at=at, actor=Row(full_name="Sam Patel"))


def test_the_decider_names_the_assessor_and_their_registration():
    assert presenters.decider(decision(1)) == "Ben Thompson (NMC 09B1234D)"
    recognised = presenters.decider(decision(1, source="St Elsewhere, 2024"))
    assert recognised == "Recognised prior attainment: St Elsewhere, 2024"


def test_sections_say_who_decided_when_and_where():
    record = Row(pk=7, proficiency=proficiency("1.1"))
    waiting = Row(pk=8, proficiency=proficiency("1.2", optional=True))
    [section] = presenters.prior_sections(
        [(record, RecordState.CONFIRMED, decision(7)), (waiting, RecordState.ACHIEVED, None)]
    )
    assert section.heading == "1 Section 1"
    assert section.confirmed == "1 of 2 confirmed"
    confirmed, achieved = section.records
    assert (confirmed.by, confirmed.where) == ("Ben Thompson (NMC 09B1234D)", A.name)
    assert confirmed.when == "5 March 2026, 2:30pm"
    assert achieved.by == "" and achieved.optional


def test_a_decision_no_longer_standing_is_not_shown_as_the_decider():
    record = Row(pk=7, proficiency=proficiency("1.1"))
    [section] = presenters.prior_sections([(record, RecordState.ACHIEVED, decision(7))])
    assert section.records[0].by == "" and section.records[0].where == ""


def test_completion_counts_required_and_optional():
    lines = [
        (Row(proficiency=proficiency("1.1")), RecordState.CONFIRMED, None),
        (Row(proficiency=proficiency("1.2")), RecordState.ACHIEVED, None),
        (Row(proficiency=proficiency("1.3", optional=True)), RecordState.CONFIRMED, None),
    ]
    assert presenters.completion(lines, 1) == (
        "1 of 2 required proficiencies confirmed; 1 optional confirmed (at least 1 needed)"
    )


def test_whether_the_learner_is_still_at_that_trust():
    assert presenters.membership_there(None, A.name) == f"Not a member of {A.name}"
    left = Membership(state=Membership.State.ENDED, ended_on=date(2026, 1, 31))
    assert presenters.membership_there(left, A.name) == f"Left {A.name} on 31 January 2026"
    still = Membership(state=Membership.State.ACTIVE)
    assert presenters.membership_there(still, A.name) == f"Still a member of {A.name}"


def test_only_open_enrolments_elsewhere_can_move_here():
    here = Row(trust_id=B.pk, state=EnrolmentState.ACTIVE, trust=B)
    assert presenters.move_problem(here, B) == f"This enrolment is already at {B.name}."
    finished = Row(
        trust_id=A.pk,
        state=EnrolmentState.SIGNED_OFF,
        trust=A,
        get_state_display=lambda: "Signed off",
    )
    assert "is signed off, so it cannot move" in presenters.move_problem(finished, B)
    waiting = Row(trust_id=A.pk, state=EnrolmentState.SIGN_OFF_REQUESTED, trust=A)
    assert presenters.move_problem(waiting, B) == ""


def test_the_departure_is_the_last_move_from_here_and_goes_where_the_next_started():
    enrolment = Row(moves=[move(A), move(B), move(A)], trust=C)
    left = departure(A.pk, enrolment)
    assert left.event is enrolment.moves[2] and left.to_trust is C
    from_b = departure(B.pk, enrolment)
    assert from_b.to_trust is A
    assert departure(C.pk, enrolment) is None


def test_the_banner_says_nothing_after_is_shown():
    assert presenters.left_banner(B.name, WHEN) == (
        f"Moved to {B.name} on 5 March 2026. What happens after that is not shown."
    )


def test_the_state_when_it_left_and_the_decision_standing_then():
    first, second = Row(pk=1, state_then="rejected"), Row(pk=2, state_then=None)
    earlier = decision(1)
    later = decision(1, outcome=Decision.Outcome.REJECTED)
    lines = presenters.records_then([first, second], [earlier, later])
    assert lines == [(first, "rejected", later), (second, RecordState.NOT_STARTED, None)]


def test_decisions_here_are_only_this_trusts_newest_first():
    made = [
        decision(1, trust=C),
        decision(2),
        decision(3, corrects_id=2, outcome=Decision.Outcome.REJECTED),
    ]
    lines = presenters.decisions_here(made, A.pk)
    assert [line.proficiency for line in lines] == ["1.3 Statement 1.3", "1.2 Statement 1.2"]
    assert lines[0].note == "Corrects an earlier decision. Well done"
    assert lines[1].by == "Ben Thompson (NMC 09B1234D)"


# --- A proposed move: the staff's line and the learner's page ---------------------------------


def proposed(state="waiting", decided_by="Amara Okafor"):
    return Row(
        pk=9,
        state=state,
        from_trust=A,
        to_trust=B,
        educator=Row(full_name="Erin Walsh"),
        proposed_by=Row(full_name="Erin Walsh"),
        proposed_at=WHEN,
        decided_by=Row(full_name=decided_by),
        decided_by_id=1,
        decided_at=WHEN,
        enrolment=Row(version="Step 1 (version 1)"),
    )


def moves(*, proficiencies=3, confirmed=1, evidence=1, waiting=0, sign_off=False):
    return Row(
        proficiencies=proficiencies,
        confirmed=confirmed,
        evidence=evidence,
        waiting_requests=waiting,
        sign_off_waiting=sign_off,
    )


def test_the_staff_see_who_proposed_it_and_that_it_waits_for_the_learner():
    status = presenters.proposal_status(
        trust_name=B.name, by="Erin Walsh", at=WHEN, learner_name="Amara Okafor"
    )
    assert status == (
        f"Move to {B.name} proposed by Erin Walsh on 5 March 2026, 2:30pm: waiting for "
        "Amara Okafor to confirm"
    )


def test_the_learner_sees_what_moves_with_counts_in_words():
    assert move_proposals.what_moves(moves(proficiencies=1, evidence=2)) == [
        "Your enrolment, with its 1 proficiency (1 confirmed) and their history",
        "Your evidence: 2 files",
    ]
    assert move_proposals.what_is_withdrawn(moves(), proposed()) == []
    assert move_proposals.what_is_withdrawn(moves(waiting=2, sign_off=True), proposed()) == [
        f"2 requests for confirmation waiting at {A.name}: you can ask again at {B.name}",
        f"Your request for sign-off: you can ask again at {B.name}",
    ]


def test_an_answered_proposal_says_what_happened():
    assert move_proposals.outcome(proposed("confirmed")) == (
        f"You confirmed this move on 5 March 2026, 2:30pm. Your enrolment is at {B.name} now."
    )
    assert move_proposals.outcome(proposed("declined")).startswith("You declined this move on")
    assert move_proposals.outcome(proposed("withdrawn", decided_by="Erin Walsh")) == (
        "This proposal was withdrawn by Erin Walsh on 5 March 2026, 2:30pm. Nothing moved."
    )
