"""The filters of the educators' lists (GET forms: filters live in the address, so a
filtered list can be bookmarked or shared, and works without JavaScript)."""

from operator import attrgetter

from django import forms

from stepwise.core.filters import choice_filter, object_choices, object_filter, search_field
from stepwise.progress.states import EnrolmentState


class LearnerFilterForm(forms.Form):
    """Narrow the learners offered for enrolment (a GET form: filters live in the address)."""

    q = search_field("Name or email")
    unit = object_filter("Unit", "unit")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = object_choices("All units", units)

    def filters(self) -> dict:
        """Every valid filter, so one bad value loses none of the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"search": (data.get("q") or "").strip(), "unit_id": data.get("unit")}


class EnrolmentFilterForm(LearnerFilterForm):
    framework = object_filter("Framework", "framework")
    state = choice_filter("Status", "status", [("", "All statuses"), *EnrolmentState.choices])
    overdue = forms.BooleanField(label="Only overdue", required=False)

    def __init__(self, *args, units, frameworks, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        self.fields["framework"].choices = object_choices(
            "All frameworks", frameworks, attrgetter("title")
        )

    def filters(self) -> dict:
        filters = super().filters()
        data = getattr(self, "cleaned_data", {})
        filters.update(
            framework_id=data.get("framework"),
            state=data.get("state") or None,
            overdue=bool(data.get("overdue")),
        )
        return filters
