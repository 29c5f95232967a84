"""The assessor's review of a confirmation request: a decision on every waiting proficiency in
one form. Each starts undecided; "Confirm all in this section" and "Confirm everything else"
fill in the ones not yet decided, keeping what the assessor chose. A rejection has an action
plan whose due dates are offered as common choices, with a date as the last.

Choices come from the items the view has loaded, so the form adds no queries.
"""

import copy
from calendar import monthrange
from datetime import date, timedelta

from django import forms
from django.utils import timezone

from stepwise.core.forms import DateInputField, whole_number
from stepwise.progress.forms.staff import NOTE_MAX, RegistrationForm
from stepwise.progress.models import Decision
from stepwise.progress.services.confirmation import ActionInput, ItemDecision

# Action rows offered under each rejection; blank ones are ignored.
ACTION_ROWS = 3
ACTION_MAX = 1000

CONFIRMED, REJECTED = Decision.Outcome.CONFIRMED.value, Decision.Outcome.REJECTED.value
OUTCOMES = [(CONFIRMED, "Confirm"), (REJECTED, "Reject")]

# When an action is due: a date input is three boxes, so common choices come first.
ANOTHER_DATE = "date"
DUE_CHOICES = [
    ("2w", "In 2 weeks"),
    ("4w", "In 4 weeks"),
    ("3m", "In 3 months"),
    (ANOTHER_DATE, "Another date"),
]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def due_on_choice(choice: str, today: date) -> date:
    """The date a preset due-date choice stands for, counted from the day it is saved."""
    return {
        "2w": today + timedelta(weeks=2),
        "4w": today + timedelta(weeks=4),
        "3m": add_months(today, 3),
    }[choice]


def outcome_name(record_id: int) -> str:
    return f"outcome_{record_id}"


def confirm_undecided(data, items, *, section_id: int | None = None):
    """A copy of the post with each proficiency not yet decided (in one section, or all of
    them) set to Confirm. Rejections and confirmations already chosen are kept."""
    data = data.copy()
    for item in items:
        if section_id is not None and item.section_id != section_id:
            continue
        if not data.get(outcome_name(item.record_id)):
            data[outcome_name(item.record_id)] = CONFIRMED
    return data


class ReviewForm(RegistrationForm):
    """Every waiting proficiency of a request: confirmed, or rejected with an action plan of
    one or more actions."""

    # The proficiencies the assessor saw, so that one decided meanwhile by someone else is
    # noticed rather than silently left out.
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items, typed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["shown"].initial = ",".join(str(item.record_id) for item in items)
        # An action plan's nine fields are made only for the proficiencies being rejected or
        # with something typed in their plan: on a long request that is a few, and the page
        # stamps every empty plan from BlankPlan (ADR 4).
        source = self.data if self.is_bound else (typed or {})
        with_plans = planned_ids(source)
        outcome, note = outcome_field(), note_field()
        for item in items:
            record_id, code = item.record_id, item.code
            self.fields[outcome_name(record_id)] = for_proficiency(
                outcome,
                label=f"Your decision on {code}",
                required=f"Choose confirm or reject for {code}",
                invalid_choice=f"Choose confirm or reject for {code}",
            )
            self.fields[f"note_{record_id}"] = for_proficiency(
                note,
                label=f"Feedback on {code} for the learner (optional)",
                max_length=f"Feedback on {code} must be {NOTE_MAX} characters or fewer",
            )
            if record_id in with_plans:
                self.fields.update(plan_fields(record_id, code))

    @classmethod
    def as_typed(cls, data, **kwargs) -> "ReviewForm":
        """An unbound form showing what was posted, unchecked: for a page sent back before
        anything is saved (a section confirmed without JavaScript), so it shows no errors."""
        form = cls(typed=data, **kwargs)
        form.initial = {
            name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
            for name, field in form.fields.items()
        }
        return form

    @staticmethod
    def action_name(record_id: int, row: int) -> str:
        return f"action_{record_id}_{row}"

    @staticmethod
    def when_name(record_id: int, row: int) -> str:
        return f"action_{record_id}_{row}_when"

    @staticmethod
    def due_name(record_id: int, row: int) -> str:
        return f"action_{record_id}_{row}_due"

    def plan_names(self, record_id: int) -> list[str]:
        return [
            name
            for row in range(1, ACTION_ROWS + 1)
            for name in (
                self.action_name(record_id, row),
                self.when_name(record_id, row),
                self.due_name(record_id, row),
            )
        ]

    def item_fields(self, item) -> dict:
        """The bound fields of one item, for the template; `actions` is None when its plan
        is empty and has no fields of its own."""
        record_id = item.record_id
        actions = None
        if self.action_name(record_id, 1) in self.fields:
            actions = [
                (
                    self[self.action_name(record_id, row)],
                    self[self.when_name(record_id, row)],
                    self[self.due_name(record_id, row)],
                )
                for row in range(1, ACTION_ROWS + 1)
            ]
        return {
            "outcome": self[outcome_name(record_id)],
            "note": self[f"note_{record_id}"],
            "actions": actions,
        }

    def shown_ids(self) -> set[int]:
        raw = self.data.get("shown", "") if self.is_bound else ""
        return {n for part in raw.split(",") if (n := whole_number(part)) is not None}

    def undecided(self) -> list[tuple[int, str]]:
        """(record id, code) of each proficiency with neither Confirm nor Reject chosen."""
        return [
            (item.record_id, item.code)
            for item in self.items
            if self.is_bound and not self.data.get(outcome_name(item.record_id))
        ]

    def clean(self):
        cleaned = super().clean()
        self.plans: dict[int, list[ActionInput]] = {}
        today = timezone.localdate()
        for item in self.items:
            record_id, code = item.record_id, item.code
            names = self.plan_names(record_id)
            if cleaned.get(outcome_name(record_id)) != REJECTED:
                # A confirmation has no action plan: whatever was typed there is ignored.
                for name in names:
                    self._errors.pop(name, None)
                    cleaned.pop(name, None)
                continue
            self.plans[record_id] = self._plan(record_id, code, cleaned, today)
            if not self.plans[record_id] and not any(name in self._errors for name in names):
                self.add_error(
                    self.action_name(record_id, 1),
                    f"Add at least one action to the action plan for {code}",
                )
        return cleaned

    def _plan(self, record_id: int, code: str, cleaned, today: date) -> list[ActionInput]:
        actions = []
        for row in range(1, ACTION_ROWS + 1):
            name = self.action_name(record_id, row)
            when_name, due_name = self.when_name(record_id, row), self.due_name(record_id, row)
            when = cleaned.get(when_name)
            if when and when != ANOTHER_DATE:
                # A common choice was made: a date typed as well (every box shows in a
                # browser that cannot hide them) is not the one chosen.
                self._errors.pop(due_name, None)
                cleaned[due_name] = due_on_choice(when, today)
            if any(n in self._errors for n in (name, when_name, due_name)):
                continue
            description = (cleaned.get(name) or "").strip()
            due_on = cleaned.get(due_name)
            if description and due_on is None:
                if when == ANOTHER_DATE:
                    self.add_error(due_name, self.fields[due_name].error_messages["required"])
                else:
                    self.add_error(when_name, f"Choose when action {row} on {code} is due")
            elif due_on is not None and not description:
                self.add_error(name, f"Describe action {row} on {code}")
            elif description:
                actions.append(ActionInput(description=description, due_on=due_on))
        return actions

    def decisions(self) -> list[ItemDecision]:
        """What to pass to request_decide, once the form is valid."""
        return [
            ItemDecision(
                record_id=item.record_id,
                outcome=self.cleaned_data[outcome_name(item.record_id)],
                note=self.cleaned_data.get(f"note_{item.record_id}", ""),
                actions=self.plans.get(item.record_id, []),
            )
            for item in self.items
        ]


def planned_ids(data) -> set[int]:
    """The proficiencies a post rejects, or has typed something into the action plan of."""
    ids = set()
    for name, value in data.items():
        kind, _, rest = name.partition("_")
        record_id = rest.partition("_")[0]
        planned = kind == "action" or (kind == "outcome" and value == REJECTED)
        if planned and value and record_id.isascii() and record_id.isdecimal():
            ids.add(int(record_id))
    return ids


def outcome_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=OUTCOMES, widget=forms.RadioSelect(attrs={"class": "nhsuk-radios--inline"})
    )


def note_field() -> forms.CharField:
    return forms.CharField(
        required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


def for_proficiency(field: forms.Field, *, label: str, **messages: str) -> forms.Field:
    """A copy of `field` labelled for one proficiency, with its own error messages. Making a
    choice field costs about 28 µs and a copy 2 µs, and a whole Step has 115 of each. The
    copies of one form share the widget, which rendering only reads."""
    copied = copy.copy(field)
    copied.label = label
    copied.error_messages = {**field.error_messages, **messages}
    return copied


def plan_fields(record_id: int, code: str) -> dict[str, forms.Field]:
    """One proficiency's action plan: each action's text, when it is due, and a date."""
    fields: dict[str, forms.Field] = {}
    for row in range(1, ACTION_ROWS + 1):
        fields[ReviewForm.action_name(record_id, row)] = forms.CharField(
            label=f"Action {row}",
            required=False,
            max_length=ACTION_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={
                "max_length": f"Action {row} on {code} must be {ACTION_MAX} characters or fewer"
            },
        )
        fields[ReviewForm.when_name(record_id, row)] = forms.ChoiceField(
            label=f"Action {row} due",
            required=False,
            choices=DUE_CHOICES,
            widget=forms.RadioSelect(attrs={"class": "nhsuk-radios--inline"}),
            error_messages={"invalid_choice": f"Choose when action {row} on {code} is due"},
        )
        fields[ReviewForm.due_name(record_id, row)] = DateInputField(
            label=f"Action {row} due date",
            noun=f"due date for action {row} on {code}",
            required=False,
            not_in_past=True,
        )
    return fields


class BlankPlan(forms.Form):
    """An action plan with nothing in it, named for record id 0: the page renders it once
    and stamps it, renamed, for every proficiency whose plan is empty (ADR 4)."""

    PREFIX = "action_0_"
    ROWS = ACTION_ROWS

    def __init__(self):
        super().__init__()
        self.fields.update(plan_fields(0, ""))

    def actions(self) -> list[tuple]:
        return [
            (
                self[ReviewForm.action_name(0, row)],
                self[ReviewForm.when_name(0, row)],
                self[ReviewForm.due_name(0, row)],
            )
            for row in range(1, ACTION_ROWS + 1)
        ]
