"""The dashboard's filters: a GET form, so a filtered dashboard lives in its address (it can
be bookmarked or shared) and works without JavaScript."""

from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from django import forms
from markupsafe import Markup, escape

from stepwise.core.filters import choice_filter, object_choices, object_filter
from stepwise.core.formatting import date as format_date
from stepwise.core.forms import DateInputField


@dataclass(frozen=True)
class Filters:
    framework_id: int | None = None
    version_id: int | None = None
    unit_id: int | None = None
    job_title: str = ""
    cohort_id: int | None = None
    started_from: date | None = None
    started_to: date | None = None


# The markup of filter forms with nothing chosen yet, by what it is made from (see
# DashboardFilterForm.remembered_markup). Bounded: past this many it starts again.
REMEMBERED: dict[tuple, Markup] = {}
REMEMBER_AT_MOST = 256

# What each filter is called in the address, beside the dates.
ADDRESS_NAMES = {
    "framework_id": "framework",
    "version_id": "version",
    "unit_id": "unit",
    "job_title": "job_title",
    "cohort_id": "cohort",
}


class DashboardFilterForm(forms.Form):
    framework = object_filter("Framework", "framework")
    version = object_filter("Framework version", "framework version")
    unit = object_filter("Unit", "unit")
    job_title = choice_filter("Learners' job role", "job role")
    cohort = object_filter("Cohort", "cohort")
    started_from = DateInputField(
        label="Started on or after", noun="start of the date range", required=False
    )
    started_to = DateInputField(
        label="Started on or before", noun="end of the date range", required=False
    )

    def __init__(
        self, *args, frameworks, units, versions=(), job_titles=(), cohorts=None, **kwargs
    ):
        """`versions` of those frameworks; `job_titles` the learners' job roles where known;
        `cohorts` only where the report covers more than one Trust (else no cohort filter)."""
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = object_choices(
            "All frameworks", frameworks, attrgetter("title")
        )
        self.fields["version"].choices = object_choices("All versions", versions, str)
        self._version_framework = {v.pk: v.framework_id for v in versions}
        self.fields["unit"].choices = object_choices("All units", units)
        self.fields["job_title"].choices = [("", "All job roles")] + [
            (title, title) for title in job_titles
        ]
        if cohorts is None:
            del self.fields["cohort"]
        else:
            self.fields["cohort"].choices = object_choices(
                "All cohorts", cohorts, lambda c: f"{c.name} (from {format_date(c.starts_on)})"
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("started_from"), data.get("started_to")
        if start and end and start > end:
            self.add_error(
                "started_to", "End of the date range must be the same as or after its start"
            )
        framework, version = data.get("framework"), data.get("version")
        if framework and version and self._version_framework.get(version) != framework:
            self.add_error(
                "version", "Choose a version of the framework you chose, or all versions"
            )
        return data

    def _markup_key(self, action: str, show: str) -> tuple:
        return (
            action,
            show,
            tuple(
                (
                    name,
                    type(field).__name__,
                    str(field.label),
                    str(field.help_text),
                    tuple((str(v), str(t)) for v, t in getattr(field, "choices", ())),
                )
                for name, field in self.fields.items()
            ),
        )

    def remembered_markup(self, action: str, show: str = "") -> Markup | None:
        """The form's markup when nothing is chosen (no filters in the address): the same
        for every request with the same choices, so it is kept between requests (rendering
        the NHS form macros was about a third of a dashboard's CPU). A form with choices
        made is rendered each time: what it shows depends on them and their errors."""
        if self.is_bound:
            return None
        return REMEMBERED.get(self._markup_key(action, show))

    def remember_markup(self, action: str, show: str, markup) -> Markup:
        if not self.is_bound:
            if len(REMEMBERED) >= REMEMBER_AT_MOST:
                REMEMBERED.clear()
            REMEMBERED[self._markup_key(action, show)] = escape(markup)
        return escape(markup)

    def filters(self) -> Filters:
        """Every valid filter, so one bad value loses none of the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            framework_id=data.get("framework"),
            version_id=data.get("version"),
            unit_id=data.get("unit"),
            job_title=data.get("job_title") or "",
            cohort_id=data.get("cohort"),
            started_from=data.get("started_from"),
            started_to=data.get("started_to"),
        )
