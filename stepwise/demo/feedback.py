"""Demo feedback: the pilot's cohorts, the built-in forms, answers from the demo learners and
paper copies typed in by the service team, so the results pages show real figures. Safe to
run twice: nothing is added once the SUS has answers."""

import random

from django.db import transaction

from stepwise.accounts.models import User
from stepwise.demo.journey import LEARNERS
from stepwise.feedback.building import builtins_install
from stepwise.feedback.builtin import PAPER_SLUG, PILOT_SLUG, SUS_SLUG
from stepwise.feedback.models import Form, Question
from stepwise.feedback.queries import published_version
from stepwise.feedback.services import Given, answer, ask, enter_paper
from stepwise.organisations.models import Cohort, Membership, Organisation

COHORTS = [("Pilot cohort 1", "2026-01-05", "RZZ01"), ("Pilot cohort 2", "2026-04-06", "RZZ02")]
PAPER_COPIES = {"RZZ01": 9, "RZZ02": 7}

IMPROVEMENTS = [
    "Let me attach a photo of a chart straight from my phone.",
    "Remind my assessor sooner when a request is waiting.",
    "Show which proficiencies my unit's assessors can confirm.",
    "A printable summary for my appraisal.",
    "Faster on the ward tablets at night.",
]
KEEP_FROM_PAPER = [
    "Being able to flick through the whole book with my educator.",
    "Nothing, the folder was always in the wrong place.",
    "The signatures felt official.",
    "Writing notes in the margins.",
]


def _cohorts(trusts: dict[str, Organisation]) -> None:
    for name, starts_on, code in COHORTS:
        cohort, _ = Cohort.objects.get_or_create(name=name, defaults={"starts_on": starts_on})
        cohort.trusts.add(trusts[code])


def _sus_points(rng: random.Random) -> list[int]:
    # Most people like it a fair amount: positive items around 4, negative around 2.
    leaning = rng.choice([1, 2, 2, 2, 3, 3])
    points = []
    for number in range(1, 11):
        centre = 3 + leaning / 2 if number % 2 else 3 - leaning / 2
        points.append(max(1, min(5, round(centre + rng.uniform(-1, 1)))))
    return points


def _given(form: Form, rng: random.Random, *, paper: bool) -> dict[int, Given]:
    given = {}
    for question in published_version(form).questions.order_by("position"):
        if question.kind == Question.Kind.LIKERT:
            continue
        if question.key == "sign_off_time":
            weights = [2, 5, 9, 6, 1] if paper else [6, 9, 3, 1, 1]
            given[question.pk] = Given(number=rng.choices(range(5), weights)[0])
        elif question.key == "documents_lost":
            weights = [3, 8, 5, 2, 2] if paper else [14, 3, 0, 0, 1]
            given[question.pk] = Given(number=rng.choices(range(5), weights)[0])
        elif question.kind == Question.Kind.RATING:
            given[question.pk] = Given(number=rng.choice([6, 7, 8, 8, 9, 9, 10]))
        elif question.is_text and rng.random() < 0.6:
            texts = KEEP_FROM_PAPER if paper else IMPROVEMENTS
            given[question.pk] = Given(text=rng.choice(texts))
    return given


def _sus_given(form: Form, rng: random.Random) -> dict[int, Given]:
    questions = published_version(form).questions.order_by("position")
    return {q.pk: Given(number=p) for q, p in zip(questions, _sus_points(rng), strict=True)}


@transaction.atomic
def seed_feedback(*, trusts: dict[str, Organisation], people: dict[str, User]) -> None:
    admin = people["admin@example.org"]
    _cohorts(trusts)
    builtins_install(by=admin)
    sus = Form.objects.get(slug=SUS_SLUG)
    if sus.responses.exists():
        return
    paper = Form.objects.get(slug=PAPER_SLUG)
    pilot = Form.objects.get(slug=PILOT_SLUG)
    rng = random.Random(2026)
    learners = User.objects.filter(email__in=[email for email, *_ in LEARNERS])
    for learner in learners.order_by("email"):
        membership = Membership.objects.current().filter(person=learner).first()
        for form in (sus, pilot, paper):
            ask(learner, form, by=admin)
            given = _sus_given(form, rng) if form == sus else _given(form, rng, paper=form == paper)
            answer(person=learner, version=published_version(form), given=given,
                   membership=membership)  # fmt: skip
    # Paper copies collected on the wards and typed in by the service team.
    for code, copies in PAPER_COPIES.items():
        for _ in range(copies):
            for form in (sus, pilot, paper):
                given = (
                    _sus_given(form, rng) if form == sus else _given(form, rng, paper=form == paper)
                )
                enter_paper(by=admin, version=published_version(form), given=given,
                            trust=trusts[code])  # fmt: skip
    # Someone still to answer, to show the home page's notice.
    ask(people["learner@example.org"], pilot, by=admin)
