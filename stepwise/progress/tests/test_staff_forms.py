"""The review form on its own: what it turns a post into, and what it refuses."""

from types import SimpleNamespace

from stepwise.progress.forms.staff import ReviewForm

from .staff_helpers import PIN, date_fields, in_days

ASSESSOR = SimpleNamespace(registration_body="NMC", registration_number="09B1234D")


def item(record_id, code):
    return SimpleNamespace(
        record_id=record_id, record=SimpleNamespace(proficiency=SimpleNamespace(code=code))
    )


ITEMS = [item(1, "1.1"), item(2, "1.2")]


def form(**data):
    posted = {"shown": "1,2", "outcome_1": "confirmed", "outcome_2": "confirmed", **PIN}
    posted.update(data)
    return ReviewForm(posted, items=ITEMS, person=ASSESSOR)


def test_unbound_it_confirms_everything_and_fills_in_the_registration():
    unbound = ReviewForm(items=ITEMS, person=ASSESSOR)
    assert unbound["outcome_1"].value() == "confirmed"
    assert unbound["registration_number"].value() == "09B1234D"
    assert unbound["shown"].value() == "1,2"


def test_it_turns_a_post_into_item_decisions():
    bound = form(
        outcome_2="rejected",
        note_2="Not yet",
        action_2_1="Practise",
        **date_fields("action_2_1_due", in_days(5)),
        action_2_2="",
        action_2_3="Read the policy",
        **date_fields("action_2_3_due", in_days(1)),
    )
    assert bound.is_valid(), bound.errors
    confirmed, rejected = bound.decisions()
    assert (confirmed.record_id, confirmed.outcome, confirmed.actions) == (1, "confirmed", [])
    assert rejected.note == "Not yet"
    assert [(a.description, a.due_on) for a in rejected.actions] == [
        ("Practise", in_days(5)),
        ("Read the policy", in_days(1)),
    ]
    assert bound.shown_ids() == {1, 2}


def test_the_registration_number_is_tidied_and_checked():
    bound = form(registration_number=" 12a 3456b ")
    assert bound.is_valid()
    assert bound.cleaned_data["registration_number"] == "12A3456B"
    assert "registration_number" in form(registration_number="12").errors


def test_a_forged_shown_list_is_read_as_nothing_shown():
    assert form(shown="1,x,;drop").shown_ids() == {1}
    assert ReviewForm(items=ITEMS, person=ASSESSOR).shown_ids() == set()


def test_each_row_problem_is_on_its_own_field():
    bound = form(
        outcome_1="rejected",
        action_1_1="Practise",
        outcome_2="rejected",
        **date_fields("action_2_2_due", in_days(2)),
    )
    assert not bound.is_valid()
    assert bound.errors["action_1_1_due"] == ["Enter a due date for action 1 on 1.1"]
    assert bound.errors["action_2_2"] == ["Describe action 2 on 1.2"]
    assert "action_2_1" not in bound.errors
