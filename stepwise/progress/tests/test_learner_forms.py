"""The self-assessment form: what a page being read shows, and what a sending is checked
against. In memory: no database here."""

from django.utils.datastructures import MultiValueDict

from stepwise.progress.forms.learner import SelfAssessmentForm
from stepwise.progress.states import RecordState

from .factories import make_enrolment, make_record


def _records():
    return [
        make_record(11, RecordState.ONGOING, "1.1", reflection="Watched twice"),
        make_record(12, RecordState.AWAITING_CONFIRMATION, "1.2", reflection="Done"),
        make_record(13, RecordState.NOT_STARTED, "1.3"),
    ]


def test_a_page_being_read_shows_what_is_saved_without_a_field_per_row():
    records = _records()
    form = SelfAssessmentForm(None, records=records, version=make_enrolment().version)
    # The rows are stamped markup: a page being read needs no Django field for each.
    assert form.fields == {}
    assert [form.shown(record) for record in records] == [
        ("ongoing", "Watched twice"),
        ("", "Done"),
        ("", ""),
    ]
    assert form.row_errors(records[0]) == ("", "")
    assert not form.errors


def test_answers_kept_while_signed_out_are_shown_over_what_is_saved():
    records = _records()
    kept = {"answer-11": "achieved", "reflection-11": "Kept text", "answer-13": "ongoing"}
    form = SelfAssessmentForm(None, records=records, version=make_enrolment().version, initial=kept)
    assert form.shown(records[0]) == ("achieved", "Kept text")
    assert form.shown(records[1]) == ("", "Done")
    assert form.shown(records[2]) == ("ongoing", "")


def test_a_sending_is_checked_field_by_field_and_shown_as_sent():
    records = _records()
    sent = MultiValueDict(
        {"answer-11": ["maybe"], "reflection-11": ["x" * 5001], "answer-13": ["achieved"]}
    )
    form = SelfAssessmentForm(sent, records=records, version=make_enrolment().version)
    assert set(form.fields) == {
        f"{kind}-{pk}" for pk in (11, 12, 13) for kind in ("answer", "reflection")
    }
    assert not form.is_valid()
    assert form.row_errors(records[0]) == (
        "Choose Achieved or On going for 1.1",
        "Reflection on 1.1 must be 5000 characters or fewer",
    )
    assert form.shown(records[0]) == ("maybe", "x" * 5001)
    assert form.shown(records[2]) == ("achieved", "")
