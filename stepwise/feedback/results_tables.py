"""Paper and digital side by side, and every response as a row for the workbook."""

from collections import Counter, defaultdict

from django.db.models import QuerySet

from stepwise.feedback.models import Answer, Form, FormVersion, Question
from stepwise.organisations.models import Organisation, Role
from stepwise.reports.presenters import Cell, Table, percent


def _published_questions_with_keys(forms) -> dict[str, list[Question]]:
    questions = Question.objects.filter(
        version__form__in=forms, version__state=FormVersion.State.PUBLISHED
    ).exclude(key="")
    by_key: dict[str, list[Question]] = defaultdict(list)
    for question in questions.select_related("version"):
        by_key[question.key].append(question)
    return by_key


def _counts(questions: list[Question], trust: Organisation | None) -> tuple[Counter, int]:
    answers = Answer.objects.filter(question__in=questions, number__isnull=False)
    if trust:
        answers = answers.filter(response__trust=trust)
    counts = Counter(answers.values_list("number", flat=True))
    return counts, sum(counts.values())


def comparison_tables(paper_form: Form, trust: Organisation | None) -> list[Table]:
    """For each single-choice question of the paper baseline whose key a digital form's
    question shares (with the same answers), how paper and digital answered."""
    digital_forms = Form.objects.exclude(kind=Form.Kind.PAPER_BASELINE)
    paper = _published_questions_with_keys([paper_form])
    digital = _published_questions_with_keys(digital_forms)
    tables = []
    for key, paper_questions in sorted(paper.items()):
        question = paper_questions[0]
        matches = [
            other
            for other in digital.get(key, [])
            if other.kind == question.kind == Question.Kind.SINGLE
            and other.choices == question.choices
        ]
        if not matches:
            continue
        number = len(tables) + 1
        paper_counts, paper_total = _counts(paper_questions, trust)
        digital_counts, digital_total = _counts(matches, trust)
        tables.append(
            Table(
                f"compare-{number}",
                f"Paper and digital {number}",
                ["Answer", "Paper: people", "Paper: share", "Stepwise: people", "Stepwise: share"],
                [
                    [
                        Cell(label),
                        Cell(paper_counts[index]),
                        Cell(percent(paper_counts[index], paper_total)),
                        Cell(digital_counts[index]),
                        Cell(percent(digital_counts[index], digital_total)),
                    ]
                    for index, label in enumerate(question.choices)
                ],
                f"Paper: {question.text} Stepwise: {matches[0].text}",
            )
        )
    return tables


def _answer_text(question: Question, answer: Answer | None) -> str | int:
    if answer is None:
        return ""
    if question.is_text:
        return answer.text
    if question.kind == Question.Kind.MULTIPLE:
        return "; ".join(question.choices[index] for index in answer.numbers)
    if question.kind == Question.Kind.RATING:
        return answer.number
    index = answer.number - 1 if question.kind == Question.Kind.LIKERT else answer.number
    return question.choices[index]


def responses_table(form: Form, version: FormVersion, responses: QuerySet) -> Table:
    """One row per response to the version. Anonymous forms give the answers only (no Trust,
    role or day, in no meaningful order), so a row cannot be matched to a person."""
    questions = list(version.questions.order_by("position", "pk"))
    responses = responses.filter(version=version)
    answers: dict = defaultdict(dict)
    for answer in Answer.objects.filter(response__in=responses):
        answers[answer.response_id][answer.question_id] = answer
    head = [f"{number}. {question.text}" for number, question in enumerate(questions, 1)]
    roles = dict(Role.choices)
    rows = []
    if form.anonymous:
        for response_id in sorted(answers.keys() | set(responses.values_list("pk", flat=True))):
            given = answers.get(response_id, {})
            rows.append([Cell(_answer_text(q, given.get(q.pk))) for q in questions])
    else:
        head = ["Person", "Trust", "Role", "Sent on", "From paper", *head]
        listed = responses.select_related("person", "trust").order_by("submitted_on", "pk")
        for response in listed:
            given = answers.get(response.pk, {})
            rows.append(
                [
                    Cell(response.person.full_name if response.person else ""),
                    Cell(response.trust.name if response.trust else ""),
                    Cell(roles.get(response.role, response.role)),
                    Cell(response.submitted_on.isoformat()),
                    Cell("Yes" if response.from_paper else "No"),
                ]
                + [Cell(_answer_text(q, given.get(q.pk))) for q in questions]
            )
    return Table("responses", "Responses", head, rows, "Every response, one a row.")
