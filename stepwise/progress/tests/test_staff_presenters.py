"""The staff pages' presenters, on objects built in memory: no database needed."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from stepwise.frameworks.diff import ProficiencyChange, VersionDiff
from stepwise.progress.models import ConfirmationRequest
from stepwise.progress.presenters import staff, staff_records
from stepwise.progress.states import EnrolmentState, RecordState

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def person(name, pk=1):
    return SimpleNamespace(pk=pk, full_name=name, email=f"{name.split()[0].lower()}@nhs.net")


def request(pk=7, *, assessor=None, unit=None, days=3, items=2):
    enrolment = SimpleNamespace(
        learner=person("Amara Okafor", 5),
        version="Step 1 version 1.0",
        unit=unit,
        unit_id=unit.pk if unit else None,
    )
    return SimpleNamespace(
        pk=pk,
        enrolment=enrolment,
        enrolment_id=3,
        assessor=assessor,
        assessor_id=assessor.pk if assessor else None,
        unit=unit,
        unit_id=unit.pk if unit else None,
        item_count=items,
        requested_at=NOW - timedelta(days=days),
        state=ConfirmationRequest.State.WAITING,
        closed_at=None,
    )


UNIT = SimpleNamespace(pk=4, name="General ICU")


def test_names_and_plurals_read_naturally():
    assert staff.names([]) == ""
    assert staff.names(["A"]) == "A"
    assert staff.names(["A", "B", "C"]) == "A, B and C"
    assert staff.proficiencies(1) == "1 proficiency"
    assert staff.proficiencies(3) == "3 proficiencies"


def waiting_row(pk=7, *, assessor=None, unit=None, days=3, items=2):
    """A row of the To review list as its query gives it (`queries.staff.to_review_rows`)."""
    return SimpleNamespace(
        pk=pk,
        requested_at=NOW - timedelta(days=days),
        item_count=items,
        assessor_id=assessor.pk if assessor else None,
        learner_name="Amara Okafor",
        framework_title="Step 1",
        version_label="1.0",
        assessor_name=assessor.full_name if assessor else None,
        unit_name=unit.name if unit else None,
    )


def test_request_rows_say_to_whom_how_many_and_how_long():
    ben = person("Ben Thompson", 2)
    rows = staff.request_rows(
        [waiting_row(assessor=ben, days=9), waiting_row(8, unit=UNIT, days=1, items=1)],
        viewer_id=2,
        now=NOW,
        old_after=timedelta(days=7),
    )
    assert rows[0].sent_to == "You"
    assert rows[0].waiting == "9 days" and rows[0].old
    assert rows[0].items == "2 proficiencies"
    assert rows[0].href == "/to-review/7/"
    assert rows[0].learner == "Amara Okafor"
    assert rows[0].framework == "Step 1 version 1.0"
    assert rows[1].sent_to == "Any assessor in General ICU"
    assert rows[1].items == "1 proficiency" and not rows[1].old
    other = staff.request_rows(
        [waiting_row(assessor=ben)], viewer_id=9, now=NOW, old_after=timedelta(7)
    )
    assert other[0].sent_to == "Ben Thompson"


def test_review_counts():
    assert staff.review_counts({"waiting": 0, "old": 0}) == "Nothing is waiting for you to review."
    assert staff.review_counts({"waiting": 1, "old": 1}) == (
        "1 request waiting, 1 of it for more than 7 days."
    )
    assert staff.review_counts({"waiting": 12, "old": 3}) == (
        "12 requests waiting, 3 of them for more than 7 days."
    )
    assert staff.review_counts({"waiting": 2, "old": 0}) == "2 requests waiting."


def test_decided_and_closed_messages_name_who_and_when():
    decisions = [
        SimpleNamespace(
            outcome="confirmed",
            assessor=person("Ben Thompson"),
            at=NOW,
            record_id=1,
            record=SimpleNamespace(proficiency=SimpleNamespace(code="1.2")),
        ),
        SimpleNamespace(
            outcome="rejected",
            assessor=person("Ben Thompson"),
            at=NOW,
            record_id=2,
            record=SimpleNamespace(proficiency=SimpleNamespace(code="1.3")),
        ),
    ]
    assert staff.decided_message(decisions, "Amara Okafor") == (
        "You confirmed 1 proficiency and rejected 1 with an action plan for Amara Okafor. "
        "We have told them."
    )
    closed = request()
    closed.state = ConfirmationRequest.State.DECIDED
    assert staff.closed_message(closed, decisions) == (
        "This request has already been decided by Ben Thompson on 20 March 2026, 12pm."
    )
    closed.state, closed.closed_at = ConfirmationRequest.State.WITHDRAWN, NOW
    assert staff.closed_message(closed, []) == "This request was withdrawn on 20 March 2026, 12pm."
    message = staff.decided_elsewhere(decisions, {2})
    assert message.startswith("1.3 was decided by Ben Thompson on 20 March 2026, 12pm while")
    assert "Nothing was saved" in message


def test_learner_hints_give_the_unit_and_current_frameworks():
    learners = [
        SimpleNamespace(
            person_id=1,
            unit=UNIT,
            unit_id=4,
            person=SimpleNamespace(
                open_enrolments=[SimpleNamespace(framework=SimpleNamespace(title="Step 1"))]
            ),
        ),
        SimpleNamespace(person_id=2, unit=None, unit_id=None, person=SimpleNamespace()),
    ]
    assert staff.learner_hints(learners) == {
        1: "General ICU; already enrolled on Step 1",
        2: "No unit",
    }


def test_enrolled_message_lists_up_to_ten_names():
    enrolments = [SimpleNamespace(learner=person(f"Learner {n}")) for n in range(12)]
    message = staff.enrolled_message(enrolments, "Step 1 version 1.0")
    assert message.startswith("12 learners enrolled on Step 1 version 1.0: Learner 0, ")
    assert message.endswith("Learner 9 and 2 more.")


def test_enrolment_rows_show_progress_and_overdue():
    enrolment = SimpleNamespace(
        pk=3,
        learner=person("Amara Okafor"),
        version="Step 1 version 1.0",
        unit=None,
        unit_id=None,
        state=EnrolmentState.ACTIVE,
        due_on=date(2026, 3, 1),
        is_open=True,
    )
    row = staff.enrolment_rows([enrolment], {3: (4, 12)}, date(2026, 3, 20))[0]
    assert row.progress == "4 of 12 confirmed"
    assert row.overdue
    assert row.due == "1 March 2026"
    assert row.tag["text"] == "In progress"
    enrolment.state, enrolment.is_open = EnrolmentState.SIGNED_OFF, False
    assert not staff.enrolment_rows([enrolment], {}, date(2026, 3, 20))[0].overdue


def record(pk, code, section, state=RecordState.NOT_STARTED, optional=False, decision=None):
    proficiency = SimpleNamespace(
        code=code,
        statement=f"Statement {code}",
        optional=optional,
        section=section,
        section_id=section.pk,
    )
    return SimpleNamespace(
        pk=pk,
        proficiency=proficiency,
        state=state,
        decision=decision,
        decision_id=1 if decision else None,
    )


def test_sections_group_records_and_say_who_confirmed():
    first = SimpleNamespace(pk=1, code="1", title="Respiratory")
    second = SimpleNamespace(pk=2, code="2", title="Cardiovascular")
    decision = SimpleNamespace(
        assessor=person("Ben Thompson"),
        registration_number="NMC 12A3456B",
        at=NOW,
        prior_attainment_source="",
    )
    records = [
        record(10, "1.1", first, RecordState.CONFIRMED, decision=decision),
        record(11, "1.2", first),
        record(12, "2.1", second, optional=True),
    ]
    enrolment = SimpleNamespace(pk=3)
    views = staff_records.section_views(enrolment, records)
    assert [v.heading for v in views] == ["1 Respiratory", "2 Cardiovascular"]
    assert views[0].confirmed == "1 of 2 confirmed"
    line = views[0].records[0]
    assert line.by == "Ben Thompson (NMC 12A3456B)"
    assert line.when == "20 March 2026, 12pm"
    assert line.href == "/learners/3/proficiencies/10/"
    assert views[1].records[0].optional
    done = staff_records.completion_of(records, 1)
    assert done == {
        "required": 2,
        "required_confirmed": 1,
        "optional_confirmed": 0,
        "optional_minimum": 1,
    }
    assert staff_records.completion_text(done) == (
        "1 of 2 required proficiencies confirmed; 0 optional confirmed (at least 1 needed)"
    )


def test_move_counts_match_the_service():
    same = SimpleNamespace()
    diff = VersionDiff(
        unchanged=[(same, same)] * 5,
        changed=[
            ProficiencyChange(same, same, ("statement",)),
            ProficiencyChange(same, same, ("guidance",)),
        ],
        added=[same],
        removed=[same, same],
    )
    counts = staff_records.move_counts(diff)
    assert counts == {"carried": 6, "reassess": 1, "added": 1, "removed": 2}
    assert staff_records.move_hint(counts) == (
        "6 carried over with their results, 1 changed and need assessing again, 1 new, 2 removed"
    )


def test_manage_actions_follow_the_state():
    enrolment = SimpleNamespace(pk=3, state=EnrolmentState.ACTIVE, is_open=True)
    texts = [a.text for a in staff_records.manage_actions(enrolment, may_move=True)]
    assert texts == ["Move to a newer version", "Withdraw enrolment"]
    enrolment.state = EnrolmentState.SIGN_OFF_REQUESTED
    texts = [a.text for a in staff_records.manage_actions(enrolment, may_move=True)]
    assert texts == ["Sign off or return", "Withdraw enrolment"]
    enrolment.state, enrolment.is_open = EnrolmentState.SIGNED_OFF, False
    assert staff_records.manage_actions(enrolment, may_move=True) == []


def test_sign_off_status_names_who_and_when():
    learner = person("Amara Okafor")
    enrolment = SimpleNamespace(
        learner=learner, state=EnrolmentState.SIGNED_OFF, signed_off_at=NOW, withdrawn_at=None
    )
    latest = SimpleNamespace(
        decided_by=person("Chris Educator"),
        decided_by_id=1,
        requested_at=NOW,
        decided_at=NOW,
        comments="",
    )
    assert staff_records.sign_off_status(enrolment, latest) == (
        "Signed off by Chris Educator on 20 March 2026, 12pm."
    )
    enrolment.state = EnrolmentState.ACTIVE
    assert staff_records.sign_off_status(enrolment, None) == (
        "Amara Okafor has not asked for sign-off yet."
    )
    latest.comments = "Add evidence"
    assert "returned it on 20 March 2026, 12pm" in staff_records.sign_off_status(enrolment, latest)


def test_history_items_say_what_changed():
    event = SimpleNamespace(
        at=NOW,
        get_kind_display=lambda: "Withdrawn",
        actor=person("Chris Educator"),
        from_state=EnrolmentState.ACTIVE,
        to_state=EnrolmentState.WITHDRAWN,
        note="Left the unit",
    )
    item = staff_records.history_items([event])[0]
    assert item.note == "In progress to Withdrawn; Left the unit"
    assert item.by == "Chris Educator"


def test_evidence_is_described_by_kind_and_size_in_djangos_words():
    item = SimpleNamespace(
        pk=5, original_name="Audit.pdf", size=3 * 1024 * 1024, get_kind_display=lambda: "PDF"
    )
    link = staff.evidence_links([item])[0]
    assert (link.name, link.href) == ("Audit.pdf", "/evidence/5/")
    # filesizeformat keeps number and unit together with a non-breaking space.
    assert link.description == "PDF, 3.0\xa0MB"
