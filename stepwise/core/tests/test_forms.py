"""NHS form fields: the date input (day, month and year boxes, NHS-style messages, the macro it
renders through) and which macro renders choices."""

from datetime import date, timedelta

import pytest
from django import forms
from django.template import engines
from django.utils import timezone

from stepwise.core.forms import MAX_ID, DateInputField, error_list, field_params, whole_number


class DueForm(forms.Form):
    due_on = DateInputField(label="Due date", not_in_past=True)


class OptionalForm(forms.Form):
    started_on = DateInputField(label="Start date", required=False)


def posted(day="", month="", year="", form_class=DueForm, name="due_on"):
    return form_class({f"{name}_day": day, f"{name}_month": month, f"{name}_year": year})


def render(form, name="due_on") -> str:
    template = engines["jinja2"].from_string(
        '{% from "core/macros/forms.jinja" import field, error_summary %}'
        "{{ error_summary(form) }}{{ field(form[name]) }}"
    )
    return template.render({"form": form, "name": name})


def test_it_reads_day_month_and_year_into_a_date():
    future = timezone.localdate() + timedelta(days=30)
    form = posted(str(future.day), f"{future.month:02d}", str(future.year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == future


def test_spaces_around_the_numbers_are_forgiven():
    future = timezone.localdate() + timedelta(days=3)
    form = posted(f" {future.day} ", f"{future.month} ", f" {future.year}")
    assert form.is_valid()


def test_today_is_allowed_when_past_dates_are_not():
    today = timezone.localdate()
    assert posted(str(today.day), str(today.month), str(today.year)).is_valid()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter a due date"),
        ("", "3", "2099", "Due date must include a day"),
        ("12", "", "", "Due date must include a month and year"),
        ("31", "2", "2099", "Due date must be a real date"),
        ("1", "13", "2099", "Due date must be a real date"),
        ("first", "3", "2099", "Due date must be a real date"),
        ("-1", "3", "2099", "Due date must be a real date"),
        ("1", "3", "99", "Year must include 4 numbers"),
        ("1", "1", "2020", "Due date must be today or in the future"),
        # Numbers too big for a date were an OverflowError (a 500), not a message.
        ("99999999999999999999", "3", "2099", "Due date must be a real date"),
        ("1", "99999999999999999999", "2099", "Due date must be a real date"),
        ("1", "3", "9999", "Due date must be in 2200 or earlier"),
        ("1", "3", "0000", "Due date must be today or in the future"),
        ("²", "3", "2099", "Due date must be a real date"),
    ],
)
def test_each_mistake_gets_one_plain_message(day, month, year, message):
    form = posted(day, month, year)
    assert not form.is_valid()
    assert form.errors["due_on"] == [message]


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1899", "Start date must be in 1900 or later"),
        ("2201", "Start date must be in 2200 or earlier"),
    ],
)
def test_a_year_far_from_now_is_refused_and_its_box_marked(year, message):
    form = posted("1", "3", year, form_class=OptionalForm, name="started_on")
    assert form.errors["started_on"] == [message]
    assert error_list(form) == [{"text": message, "href": "#id_started_on_year"}]
    assert render(form, "started_on").count("nhsuk-input--error") == 1


def test_the_first_and_last_years_are_allowed():
    for year in ("1900", "2200"):
        assert posted("1", "3", year, form_class=OptionalForm, name="started_on").is_valid()


def test_yesterday_is_in_the_past():
    yesterday = timezone.localdate() - timedelta(days=1)
    form = posted(str(yesterday.day), str(yesterday.month), str(yesterday.year))
    assert form.errors["due_on"] == ["Due date must be today or in the future"]


def test_an_optional_date_may_be_left_empty_and_past_dates_are_fine_unless_refused():
    form = posted(form_class=OptionalForm, name="started_on")
    assert form.is_valid()
    assert form.cleaned_data["started_on"] is None
    form = posted("1", "1", "2020", form_class=OptionalForm, name="started_on")
    assert form.is_valid()
    assert form.cleaned_data["started_on"] == date(2020, 1, 1)


def test_messages_follow_the_noun_and_can_be_replaced():
    class ActionForm(forms.Form):
        due = DateInputField(
            label="Due date",
            noun="due date for action 2",
            error_messages={"required": "Enter when the action is due"},
        )

    form = ActionForm({"due_day": "1"})
    assert form.errors["due"] == ["Due date for action 2 must include a month and year"]
    assert ActionForm({}).errors["due"] == ["Enter when the action is due"]


def test_it_renders_through_the_nhs_date_input_macro():
    html = render(DueForm(initial={"due_on": date(2027, 3, 15)}))
    assert 'class="nhsuk-date-input"' in html
    assert "<legend" in html and "Due date" in html
    for part, value in (("day", "15"), ("month", "3"), ("year", "2027")):
        assert f'id="id_due_on_{part}"' in html
        assert f'name="due_on_{part}"' in html
        assert f'value="{value}"' in html
    assert 'inputmode="numeric"' in html
    assert "For example, 15 3 2027" in html
    assert "nhsuk-error-message" not in html


def test_an_error_marks_the_missing_boxes_and_the_summary_links_to_the_first():
    form = posted("12", "", "")
    assert not form.is_valid()
    html = render(form)
    assert "Due date must include a month and year" in html
    assert 'href="#id_due_on_month"' in html
    assert html.count("nhsuk-input--error") == 2
    assert 'value="12"' in html


def test_a_wrong_date_marks_every_box_and_links_to_the_day():
    form = posted("31", "2", "2099")
    form.is_valid()
    assert error_list(form) == [{"text": "Due date must be a real date", "href": "#id_due_on_day"}]
    html = render(form)
    assert html.count("nhsuk-input--error") == 3
    assert "nhsuk-form-group--error" in html


def test_field_params_name_the_macro_and_its_items():
    form = posted("1", "2", "99")
    form.is_valid()
    macro, params = field_params(form["due_on"], label_size="m")
    assert macro == "date-input"
    assert params["fieldset"]["legend"] == {"text": "Due date", "size": "m"}
    assert params["errorMessage"] == {"text": "Year must include 4 numbers"}
    assert [item["error"] for item in params["items"]] == [False, False, True]
    form = posted("31", "2", "2099")
    form.is_valid()
    assert all("error" not in item for item in field_params(form["due_on"])[1]["items"])
    assert [item["width"] for item in params["items"]] == [2, 2, 4]


def test_several_choices_render_as_checkboxes_and_one_choice_as_radios():
    class ChoiceForm(forms.Form):
        many = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )
        one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    form = ChoiceForm()
    assert field_params(form["many"])[0] == "checkboxes"
    assert field_params(form["one"])[0] == "radios"


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), (" 7 ", 7), (str(MAX_ID), MAX_ID), ("0", 0)],
)
def test_whole_number_reads_ascii_digits(text, number):
    assert whole_number(text) == number


# "²" and "٣" pass str.isdigit(); int() cannot read the first and refuses 5,000 digits.
@pytest.mark.parametrize(
    "text", ["", "-1", "1.0", "1e3", "²", "٣", str(MAX_ID + 1), "9" * 30, "9" * 5000, "1\x00"]
)
def test_whole_number_refuses_anything_else(text):
    assert whole_number(text) is None
