"""The review page's presenters, on objects built in memory: no database needed."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from stepwise.progress.forms.review import ReviewForm
from stepwise.progress.presenters import staff_review
from stepwise.progress.queries.staff import ReviewItem

from .staff_helpers import PIN

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
ASSESSOR = SimpleNamespace(registration_body="NMC", registration_number="09B1234D")
RESPIRATORY = SimpleNamespace(pk=1, code="1", title="Respiratory")
CARDIOVASCULAR = SimpleNamespace(pk=2, code="2", title="Cardiovascular")


def item(record_id, code, section, *, reflection="", evidence=()):
    return ReviewItem(
        record_id=record_id,
        reflection=reflection,
        code=code,
        statement=f"Statement {code}",
        guidance="",
        optional=False,
        section_id=section.pk,
        section_code=section.code,
        section_title=section.title,
        evidence=list(evidence),
    )


ITEMS = [
    item(1, "1.1", RESPIRATORY, reflection="On shift"),
    item(3, "2.1", CARDIOVASCULAR),
    item(2, "1.2", RESPIRATORY),
]


def bound(**data):
    return ReviewForm({"shown": "1,2,3", **PIN, **data}, items=ITEMS, person=ASSESSOR)


def test_the_request_line_says_to_whom_when_and_the_unit():
    unit = SimpleNamespace(name="General ICU")
    request = SimpleNamespace(
        enrolment=SimpleNamespace(unit=unit, unit_id=4),
        assessor=None,
        assessor_id=None,
        unit=unit,
        requested_at=NOW - timedelta(days=3),
    )
    line = staff_review.request_line(request, viewer_id=9, now=NOW)
    assert line.startswith("Sent to any assessor in General ICU on ")
    assert line.endswith("(3 days ago). Unit: General ICU.")
    request.assessor, request.assessor_id = SimpleNamespace(full_name="Ben Thompson"), 9
    assert staff_review.request_line(request, viewer_id=9, now=NOW).startswith("Sent to you on")
    other = staff_review.request_line(request, viewer_id=5, now=NOW)
    assert other.startswith("Sent to Ben Thompson on")


def test_the_marker_says_what_the_learner_gave():
    assert staff_review.learner_gave("Did it", 2) == "Reflection and 2 evidence files"
    assert staff_review.learner_gave("Did it", 0) == "Reflection, no evidence"
    assert staff_review.learner_gave("", 1) == "No reflection, 1 evidence file"
    assert staff_review.learner_gave("", 0) == "No reflection or evidence"


def test_rows_come_by_section_each_section_once_in_the_learners_order():
    form = ReviewForm(items=ITEMS, person=ASSESSOR)
    sections = staff_review.review_sections(ITEMS, form)
    assert [(s.heading, s.anchor) for s in sections] == [
        ("1 Respiratory", "section-1"),
        ("2 Cardiovascular", "section-2"),
    ]
    assert [row.code for row in sections[0].rows] == ["1.1", "1.2"]
    first = sections[0].rows[0]
    assert first.marker == "Reflection, no evidence"
    # As it first comes every part of a row is stamped (ADR 4).
    assert (first.outcome_stamp, first.note_plain, first.plan_plain) == ("", True, True)
    assert not first.details_open


def test_a_row_being_rejected_or_with_errors_goes_through_the_macros():
    form = bound(
        outcome_1="rejected",
        action_1_1="Practise",
        action_1_1_when="date",
        action_1_1_due_day="31",
        action_1_2="Read",
        outcome_2="confirmed",
        note_2="Good",
        outcome_3="maybe",
    )
    assert not form.is_valid()
    rows = {row.code: row for s in staff_review.review_sections(ITEMS, form) for row in s.rows}
    rejected = rows["1.1"]
    assert (rejected.outcome_stamp, rejected.plan_plain) == ("rejected", False)
    assert rejected.date_shown == [True, False, False]
    assert rejected.more_open
    assert rows["1.2"].details_open and not rows["1.2"].note_plain
    assert rows["1.2"].outcome_stamp == "confirmed" and rows["1.2"].plan_plain
    assert rows["2.1"].outcome_stamp is None


def test_the_counts_follow_the_form():
    assert (
        staff_review.decision_counts(ReviewForm(items=ITEMS, person=ASSESSOR))
        == "0 to confirm, 3 not decided yet"
    )
    form = bound(outcome_1="rejected", outcome_2="confirmed", outcome_3="confirmed")
    assert staff_review.decision_counts(form) == "1 to reject, 2 to confirm"


def test_undecided_rows_are_one_line_of_the_error_summary_where_the_first_would_be():
    form = bound(outcome_2="confirmed", registration_number="12")
    assert not form.is_valid()
    errors = staff_review.review_errors(form)
    assert errors == [
        {
            "text": "Enter an NMC PIN in the correct format: two numbers, a letter, four "
            "numbers and a letter, like 12A3456B",
            "href": "#id_registration_number",
        },
        {
            "text": "Choose confirm or reject for 1.1 and 1 other not decided yet, or choose "
            "Confirm everything else and save",
            "href": "#id_outcome_1",
        },
    ]


def test_one_undecided_row_is_its_own_error():
    form = bound(outcome_1="confirmed", outcome_2="confirmed")
    assert staff_review.review_errors(form) == [
        {"text": "Choose confirm or reject for 2.1", "href": "#id_outcome_3"}
    ]


def test_the_intro_counts_the_proficiencies():
    assert staff_review.review_intro(1) == "Confirm or reject this proficiency."
    assert "each of these 115 proficiencies" in staff_review.review_intro(115)
