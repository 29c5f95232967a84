"""The answering page's form, built from a version's questions.

Each question is a field named `q<id>`. Anything posted that is not one of the version's
questions (a question id changed in the page) is refused with a message, as is any value
outside a question's choices or range."""

import re

from django import forms
from django.core.exceptions import ValidationError

from stepwise.feedback.models import Question
from stepwise.feedback.services import Given

FIELD = re.compile(r"^q(\d+)$")
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _label(number: int, question: Question) -> str:
    return f"{number}. {question.text}" + ("" if question.required else " (optional)")


def _field(number: int, question: Question) -> forms.Field:
    choose = f"Question {number}: select an answer"
    messages = {
        "required": choose,
        "invalid_choice": f"Question {number}: select one of the answers shown",
        "invalid_list": f"Question {number}: select from the answers shown",
    }
    common = {
        "label": _label(number, question),
        "required": question.required,
        "help_text": question.hint,
        "error_messages": messages,
    }
    kind = question.kind
    if kind == Question.Kind.LIKERT:
        choices = [(str(point), label) for point, label in enumerate(question.choices, 1)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.SINGLE:
        choices = [(str(index), label) for index, label in enumerate(question.choices)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.MULTIPLE:
        choices = [(str(index), label) for index, label in enumerate(question.choices)]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Question.Kind.RATING:
        choices = [(str(point), str(point)) for point in range(11)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    longest = SHORT_TEXT_MAX if kind == Question.Kind.SHORT_TEXT else LONG_TEXT_MAX
    messages = {
        "required": f"Question {number}: enter an answer",
        "max_length": f"Question {number}: answer in {longest} characters or fewer",
    }
    return forms.CharField(
        max_length=longest,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}) if kind == Question.Kind.LONG_TEXT else None,
        **{**common, "error_messages": messages},
    )


class AnswerForm(forms.Form):
    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[field_name(question)] = _field(number, question)

    def clean(self):
        cleaned = super().clean()
        if self.data:
            known = {field_name(question) for question in self.questions}
            posted = {key for key in self.data if FIELD.match(key)}
            if posted - known:
                raise ValidationError(
                    "Some answers were for questions that are not on this form. "
                    "Answer the questions shown."
                )
        return cleaned

    def given(self) -> dict[int, Given]:
        """The answers, by question id, in the service's terms."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, "", []):
                continue
            if question.kind == Question.Kind.MULTIPLE:
                answers[question.pk] = Given(numbers=tuple(sorted(int(item) for item in value)))
            elif question.is_text:
                answers[question.pk] = Given(text=value)
            else:
                answers[question.pk] = Given(number=int(value))
        return answers
