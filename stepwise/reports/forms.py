"""The dashboard's filters: a GET form, so a filtered dashboard lives in its address (it can
be bookmarked or shared) and works without JavaScript."""

from dataclasses import dataclass
from datetime import date

from django import forms

from stepwise.core.forms import DateInputField


@dataclass(frozen=True)
class Filters:
    framework_id: int | None = None
    unit_id: int | None = None
    started_from: date | None = None
    started_to: date | None = None


class DashboardFilterForm(forms.Form):
    framework = forms.TypedChoiceField(
        label="Framework",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a framework from the list"},
    )
    unit = forms.TypedChoiceField(
        label="Unit",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a unit from the list"},
    )
    started_from = DateInputField(
        label="Started on or after", noun="start of the date range", required=False
    )
    started_to = DateInputField(
        label="Started on or before", noun="end of the date range", required=False
    )

    def __init__(self, *args, frameworks, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [("", "All frameworks")] + [
            (f.pk, f.title) for f in frameworks
        ]
        self.fields["unit"].choices = [("", "All units")] + [(u.pk, u.name) for u in units]

    def clean(self):
        data = super().clean()
        start, end = data.get("started_from"), data.get("started_to")
        if start and end and start > end:
            self.add_error(
                "started_to", "End of the date range must be the same as or after its start"
            )
        return data

    def filters(self) -> Filters:
        """Every valid filter, so one bad value loses none of the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            framework_id=data.get("framework"),
            unit_id=data.get("unit"),
            started_from=data.get("started_from"),
            started_to=data.get("started_to"),
        )
