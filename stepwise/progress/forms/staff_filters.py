"""The filters of the educators' lists (GET forms: filters live in the address, so a
filtered list can be bookmarked or shared, and works without JavaScript)."""

from django import forms

from stepwise.progress.states import EnrolmentState

SEARCH_MAX = 100


class LearnerFilterForm(forms.Form):
    """Narrow the learners offered for enrolment (a GET form: filters live in the address)."""

    q = forms.CharField(
        label="Name or email",
        required=False,
        max_length=SEARCH_MAX,
        error_messages={"max_length": f"Search must be {SEARCH_MAX} characters or fewer"},
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
    )
    unit = forms.TypedChoiceField(
        label="Unit",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a unit from the list"},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "All units")] + [(u.pk, u.name) for u in units]

    def filters(self) -> dict:
        """Every valid filter, so one bad value loses none of the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"search": (data.get("q") or "").strip(), "unit_id": data.get("unit")}


class EnrolmentFilterForm(LearnerFilterForm):
    framework = forms.TypedChoiceField(
        label="Framework",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a framework from the list"},
    )
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *EnrolmentState.choices],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    overdue = forms.BooleanField(label="Only overdue", required=False)

    def __init__(self, *args, units, frameworks, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        self.fields["framework"].choices = [("", "All frameworks")] + [
            (f.pk, f.title) for f in frameworks
        ]

    def filters(self) -> dict:
        filters = super().filters()
        data = getattr(self, "cleaned_data", {})
        filters.update(
            framework_id=data.get("framework"),
            state=data.get("state") or None,
            overdue=bool(data.get("overdue")),
        )
        return filters
