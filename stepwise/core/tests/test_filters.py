"""The lists' filter fields: every filter optional, a bad value named in the same words."""

from types import SimpleNamespace

from django import forms

from stepwise.core.filters import choice_filter, object_choices, object_filter, search_field


class Filters(forms.Form):
    q = search_field("Name")
    unit = object_filter("Unit", "unit")
    state = choice_filter("Status", "status", [("", "All statuses"), ("open", "Open")])

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = object_choices("All units", units)


UNITS = [SimpleNamespace(pk=4, name="General ICU"), SimpleNamespace(pk=9, name="Cardiac ICU")]


def test_no_filter_is_required_and_a_unit_comes_back_as_its_id():
    assert Filters({}, units=UNITS).is_valid()
    form = Filters({"q": " ada ", "unit": "9", "state": "open"}, units=UNITS)
    assert form.is_valid()
    assert form.cleaned_data == {"q": "ada", "unit": 9, "state": "open"}
    assert form.fields["unit"].choices == [
        ("", "All units"),
        (4, "General ICU"),
        (9, "Cardiac ICU"),
    ]


def test_a_value_not_on_the_list_is_named_in_the_users_words():
    form = Filters({"q": "x" * 101, "unit": "5", "state": "shut"}, units=UNITS)
    assert not form.is_valid()
    assert form.errors == {
        "q": ["Search must be 100 characters or fewer"],
        "unit": ["Choose a unit from the list"],
        "state": ["Choose a status from the list"],
    }
