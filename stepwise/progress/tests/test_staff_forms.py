"""The review form on its own: what it turns a post into, and what it refuses."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.http import QueryDict

from stepwise.progress.forms.review import (
    ReviewForm,
    add_months,
    confirm_undecided,
    due_on_choice,
    planned_ids,
)
from stepwise.progress.queries.staff import ReviewItem

from .staff_helpers import PIN, date_fields, in_days

ASSESSOR = SimpleNamespace(registration_body="NMC", registration_number="09B1234D")


def item(record_id, code, section_id=1):
    return ReviewItem(
        record_id=record_id,
        reflection="",
        code=code,
        statement=f"Statement {code}",
        guidance="",
        optional=False,
        section_id=section_id,
        section_code=str(section_id),
        section_title=f"Section {section_id}",
        evidence=[],
    )


ITEMS = [item(1, "1.1"), item(2, "1.2"), item(3, "2.1", section_id=2)]


def form(**data):
    posted = {"shown": "1,2,3", **{f"outcome_{i.record_id}": "confirmed" for i in ITEMS}, **PIN}
    posted.update(data)
    return ReviewForm(posted, items=ITEMS, person=ASSESSOR)


def test_unbound_nothing_is_decided_and_the_registration_is_filled_in():
    unbound = ReviewForm(items=ITEMS, person=ASSESSOR)
    assert unbound["outcome_1"].value() is None
    assert unbound["registration_number"].value() == "09B1234D"
    assert unbound["shown"].value() == "1,2,3"
    # No proficiency is being rejected, so none has action-plan fields of its own: the page
    # stamps a blank plan instead.
    assert unbound.item_fields(ITEMS[0])["actions"] is None


def test_shown_ids_skip_what_only_looks_like_a_number():
    # "²" passes str.isdigit() but int() cannot read it (found by tests/fuzz).
    assert form(shown="1,²,3, 2 ," + "9" * 5000).shown_ids() == {1, 2, 3}


def test_it_turns_a_post_into_item_decisions():
    bound = form(
        outcome_2="rejected",
        note_2="Not yet",
        action_2_1="Practise",
        action_2_1_when="2w",
        action_2_2="",
        action_2_3="Read the policy",
        action_2_3_when="date",
        **date_fields("action_2_3_due", in_days(1)),
    )
    assert bound.is_valid(), bound.errors
    first, rejected, third = bound.decisions()
    assert (first.record_id, first.outcome, first.actions) == (1, "confirmed", [])
    assert rejected.note == "Not yet"
    assert [(a.description, a.due_on) for a in rejected.actions] == [
        ("Practise", in_days(14)),
        ("Read the policy", in_days(1)),
    ]
    assert third.outcome == "confirmed"
    assert bound.shown_ids() == {1, 2, 3}


@pytest.mark.parametrize(
    ("choice", "days"), [("2w", 14), ("4w", 28)], ids=["two weeks", "four weeks"]
)
def test_the_common_due_dates_count_from_today(choice, days):
    assert due_on_choice(choice, date(2026, 5, 4)) == date(2026, 5, 4) + timedelta(days=days)


def test_three_months_is_the_same_day_or_the_months_last_day():
    assert due_on_choice("3m", date(2026, 5, 4)) == date(2026, 8, 4)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_a_common_choice_wins_over_a_date_typed_as_well():
    # A browser without :has() shows every date box; the choice made is the one kept.
    bound = form(
        outcome_1="rejected",
        action_1_1="Practise",
        action_1_1_when="4w",
        action_1_1_due_day="99",
    )
    assert bound.is_valid(), bound.errors
    assert bound.decisions()[0].actions[0].due_on == in_days(28)


def test_a_date_typed_without_a_choice_is_used():
    bound = form(
        outcome_1="rejected", action_1_1="Practise", **date_fields("action_1_1_due", in_days(3))
    )
    assert bound.is_valid(), bound.errors
    assert bound.decisions()[0].actions[0].due_on == in_days(3)


def test_each_row_problem_is_on_its_own_field():
    bound = form(
        outcome_1="rejected",
        action_1_1="Practise",
        action_1_1_when="date",
        action_1_2="Read",
        outcome_2="rejected",
        action_2_2_when="2w",
        outcome_3="rejected",
    )
    assert not bound.is_valid()
    assert bound.errors["action_1_1_due"] == ["Enter a due date for action 1 on 1.1"]
    assert bound.errors["action_1_2_when"] == ["Choose when action 2 on 1.1 is due"]
    assert bound.errors["action_2_2"] == ["Describe action 2 on 1.2"]
    assert "action_2_1" not in bound.errors
    assert bound.errors["action_3_1"] == ["Add at least one action to the action plan for 2.1"]


def test_a_forged_due_choice_is_refused():
    bound = form(outcome_1="rejected", action_1_1="Practise", action_1_1_when="next-year")
    assert bound.errors["action_1_1_when"] == ["Choose when action 1 on 1.1 is due"]


def test_what_is_typed_under_a_confirmation_is_ignored():
    bound = form(action_1_1="Something", action_1_1_when="nonsense", action_1_1_due_day="99")
    assert bound.is_valid(), bound.errors
    assert bound.decisions()[0].actions == []


def test_undecided_proficiencies_are_each_an_error_and_listed():
    bound = form(outcome_1="", outcome_3="")
    assert not bound.is_valid()
    assert bound.errors["outcome_1"] == ["Choose confirm or reject for 1.1"]
    assert bound.undecided() == [(1, "1.1"), (3, "2.1")]


def test_confirm_undecided_fills_in_only_what_was_not_chosen():
    posted = QueryDict(mutable=True)
    posted.update({"outcome_2": "rejected", "action_2_1": "Practise"})
    in_section = confirm_undecided(posted, ITEMS, section_id=1)
    assert (in_section["outcome_1"], in_section["outcome_2"]) == ("confirmed", "rejected")
    assert "outcome_3" not in in_section
    everything = confirm_undecided(posted, ITEMS)
    assert everything["outcome_3"] == "confirmed"
    assert everything["action_2_1"] == "Practise"
    assert "outcome_1" not in posted  # the post itself is left as it came


def test_planned_ids_are_rejections_and_typed_plans_only():
    data = {
        "outcome_1": "rejected",
        "outcome_2": "confirmed",
        "action_3_1": "Typed",
        "action_4_1": "",
        "action_x_1": "forged",
        "action_²_1": "forged",
        "note_5": "Feedback",
    }
    assert planned_ids(data) == {1, 3}


def test_as_typed_shows_what_was_posted_without_errors():
    posted = {"outcome_1": "rejected", "action_1_1": "Practise", "action_1_1_due_day": "31"}
    typed = ReviewForm.as_typed(posted, items=ITEMS, person=ASSESSOR)
    assert not typed.is_bound
    assert typed["outcome_1"].value() == "rejected"
    assert typed["action_1_1"].value() == "Practise"
    assert typed["action_1_1_due"].value() == ["31", None, None]
    assert typed["outcome_2"].value() is None
    assert not typed.errors


def test_the_registration_number_is_tidied_and_checked():
    bound = form(registration_number=" 12a 3456b ")
    assert bound.is_valid()
    assert bound.cleaned_data["registration_number"] == "12A3456B"
    assert "registration_number" in form(registration_number="12").errors


def test_a_forged_shown_list_is_read_as_nothing_shown():
    assert form(shown="1,x,;drop").shown_ids() == {1}
    assert ReviewForm(items=ITEMS, person=ASSESSOR).shown_ids() == set()
