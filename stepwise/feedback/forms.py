"""The service team's forms: a questionnaire's settings and its questions."""

from django import forms
from django.core.exceptions import ValidationError

from stepwise.core.forms import DateInputField, whole_number
from stepwise.feedback.building import CHOICE_KINDS, LIKERT_POINTS
from stepwise.feedback.builtin import AGREEMENT
from stepwise.feedback.models import Form, Question
from stepwise.organisations.models import Cohort, Organisation, Role


class NewForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title"},
        help_text="People see it as the page's heading, for example “Your first month”.",
    )
    anonymous = forms.BooleanField(
        label="Anonymous: answers keep no link to the person who gave them",
        required=False,
        help_text="Results are then shown only for groups of 5 or more.",
    )


class RowsField(forms.ModelMultipleChoiceField):
    """Refuses an id too big for a database integer before looking it up: SQLite raises
    OverflowError on an `in` lookup holding one (found by tests/fuzz)."""

    def _check_values(self, value):
        for pk in value:
            digits = str(pk).strip().removeprefix("-")
            if digits.isdigit() and whole_number(digits) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class FormSettings(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymous = forms.BooleanField(
        label="Anonymous: answers keep no link to the person who gave them", required=False
    )
    trigger = forms.ChoiceField(
        label="When are people asked?",
        choices=Form.Trigger.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when people are asked"},
    )
    send_on = DateInputField(
        label="Date to ask (when asked by the team)", required=False, noun="date to ask"
    )
    roles = forms.MultipleChoiceField(
        label="Roles asked (none selected: every role)",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trusts = RowsField(
        label="Trusts asked (none selected: every Trust)",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.TRUST).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cohorts = RowsField(
        label="Cohorts asked (none selected: every cohort)",
        queryset=Cohort.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("trigger") == Form.Trigger.ON_DATE and not cleaned.get("send_on"):
            self.add_error("send_on", "Enter the date to ask people")
        return cleaned


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of question",
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of question"},
    )
    text = forms.CharField(
        label="Question", max_length=500, error_messages={"required": "Enter the question"}
    )
    hint = forms.CharField(label="Hint (optional)", max_length=500, required=False)
    required = forms.BooleanField(label="An answer is required", required=False)
    choices = forms.CharField(
        label="Answers to choose from, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For choice questions, and the 5 labels of an agreement scale from lowest "
        "to highest (left empty, the scale is Strongly disagree to Strongly agree).",
    )
    key = forms.SlugField(
        label="Comparison key (optional)",
        max_length=40,
        required=False,
        help_text="Questions sharing a key are compared across forms, such as paper and digital.",
        error_messages={"invalid": "Comparison key can only have letters, numbers, - and _"},
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        lines = [line.strip() for line in cleaned.get("choices", "").splitlines()]
        lines = [line for line in lines if line]
        if kind == Question.Kind.LIKERT:
            lines = lines or list(AGREEMENT)
            if len(lines) != LIKERT_POINTS:
                self.add_error("choices", "Enter exactly 5 labels for an agreement scale")
        elif kind in CHOICE_KINDS and len(lines) < 2:
            self.add_error("choices", "Enter at least 2 answers to choose from")
        elif kind not in CHOICE_KINDS:
            lines = lines if kind == Question.Kind.LIKERT else []
        cleaned["choice_list"] = lines
        return cleaned
