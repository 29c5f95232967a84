"""Forms for the feedback tests: built through the services, as the team builds them."""

from stepwise.feedback.building import form_create, question_add, version_publish
from stepwise.feedback.models import Form, Question
from stepwise.feedback.services import ask

AGREE = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]


def published_form(*, title="Pilot check-in", anonymous=False, by=None, **settings) -> Form:
    """A published form with one question of each kind (the first three required)."""
    form = form_create(by=by, title=title, anonymous=anonymous, **settings)
    version = form.versions.get()
    kinds = [
        (Question.Kind.LIKERT, "Stepwise is easy to use", AGREE, True),
        (Question.Kind.SINGLE, "How often do you use it?", ["Daily", "Weekly", "Rarely"], True),
        (Question.Kind.RATING, "How likely are you to recommend it?", [], True),
        (Question.Kind.MULTIPLE, "Which devices?", ["Phone", "Tablet", "Computer"], False),
        (Question.Kind.SHORT_TEXT, "Your job title", [], False),
        (Question.Kind.LONG_TEXT, "Anything else?", [], False),
    ]
    for kind, text, choices, required in kinds:
        question_add(
            version=version, by=by, kind=kind, text=text, choices=choices, required=required
        )
    version_publish(version=version, by=by)
    return form


def asked_form(person, **kwargs) -> Form:
    form = published_form(**kwargs)
    ask(person, form)
    return form


def full_answers(form: Form, *, likert="4", single="0", rating="9") -> dict:
    """A POST answering every question of the form's published version."""
    questions = list(form.versions.get(state="published").questions.order_by("position"))
    data = {
        f"q{questions[0].pk}": likert,
        f"q{questions[1].pk}": single,
        f"q{questions[2].pk}": rating,
        f"q{questions[3].pk}": ["0", "2"],
        f"q{questions[4].pk}": "Staff nurse",
        f"q{questions[5].pk}": "Works well on nights.",
    }
    return data
