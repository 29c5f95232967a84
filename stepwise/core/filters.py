"""The fields of the lists' filter forms. Filters are GET forms: a filtered list lives in its
address, so it can be bookmarked or shared, and works without JavaScript. Every filter is
optional, and a value not on its list gets the same kind of message everywhere."""

from collections.abc import Callable
from operator import attrgetter

from django import forms

SEARCH_MAX = 100


def search_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=SEARCH_MAX,
        error_messages={"max_length": f"Search must be {SEARCH_MAX} characters or fewer"},
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
    )


def choice_filter(label: str, what: str, choices=()) -> forms.ChoiceField:
    """One of fixed `choices` (the first meaning all); `what` names one in the message."""
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        error_messages={"invalid_choice": f"Choose a {what} from the list"},
    )


def object_filter(label: str, what: str) -> forms.TypedChoiceField:
    """One of the objects the form is given (a unit, a framework), by id; the form's
    __init__ sets the choices with `object_choices`."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": f"Choose a {what} from the list"},
    )


def object_choices(
    everything: str, objects, name: Callable[..., str] = attrgetter("name")
) -> list[tuple]:
    """The choices of an `object_filter`: `everything` (no filter), then each object."""
    return [("", everything)] + [(item.pk, name(item)) for item in objects]
