"""A form's results as tables (the page and the workbook show the same rows), for everyone
who answered or, for a Trust administrator, their Trust's people.

Anonymous forms show nothing below 5 responses, and in breakdowns by Trust or cohort any
group under 5 is folded into "Other", so nobody can be picked out. Every figure is one
grouped query (or one pass over one query's rows), so the page costs the same queries
however many people answered."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from stepwise.feedback.builtin import SUS_AVERAGE, SUS_KEYS, sus_adjective, sus_grade, sus_score
from stepwise.feedback.models import Answer, Form, FormVersion, Invitation, Question, Respondent
from stepwise.feedback.models import Response as FormResponse
from stepwise.feedback.stats import mean_interval
from stepwise.organisations.models import Cohort, Membership, Organisation
from stepwise.reports.charts import BarChart, bar_chart
from stepwise.reports.presenters import Cell, Table, percent

MIN_GROUP = 5
CHART_LABEL = 28
OTHER = "Other (groups under 5)"


def responses_in(form: Form, trust: Organisation | None) -> QuerySet[FormResponse]:
    responses = FormResponse.objects.filter(form=form)
    return responses.filter(trust=trust) if trust else responses


def shows_breakdown(form: Form, count: int) -> bool:
    return not form.anonymous or count >= MIN_GROUP


def _short(label: str) -> str:
    return label if len(label) <= CHART_LABEL else label[: CHART_LABEL - 1] + "…"


def _options(question: Question) -> list[str]:
    if question.kind == Question.Kind.RATING:
        return [str(point) for point in range(11)]
    return list(question.choices)


def _value_of(question: Question, number: int) -> int:
    # Likert points are stored 1-5; choices by their index from 0.
    return number - 1 if question.kind == Question.Kind.LIKERT else number


@dataclass
class QuestionResult:
    number: int
    question: Question
    answered: int
    table: Table | None = None
    chart: BarChart | None = None
    texts: list[str] = field(default_factory=list)


def question_results(version: FormVersion, responses: QuerySet) -> list[QuestionResult]:
    questions = list(version.questions.order_by("position", "pk"))
    rows = Answer.objects.filter(response__in=responses, question__version=version).values_list(
        "question_id", "number", "numbers", "text"
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    answered: Counter = Counter()
    texts: dict[int, list[str]] = defaultdict(list)
    kinds = {question.pk: question for question in questions}
    for question_id, number, numbers, text in rows.order_by("response_id"):
        question = kinds[question_id]
        answered[question_id] += 1
        if question.is_text:
            texts[question_id].append(text)
        elif question.kind == Question.Kind.MULTIPLE:
            counts[question_id].update(numbers)
        elif number is not None:
            counts[question_id][_value_of(question, number)] += 1
    results = []
    for position, question in enumerate(questions, start=1):
        result = QuestionResult(position, question, answered[question.pk])
        if question.is_text:
            result.texts = texts[question.pk]
        else:
            options = _options(question)
            total = answered[question.pk]
            result.table = Table(
                f"q{position}",
                f"Question {position}"[:31],
                ["Answer", "People", "Share"],
                [
                    [
                        Cell(label),
                        Cell(counts[question.pk][index]),
                        Cell(percent(counts[question.pk][index], total)),
                    ]
                    for index, label in enumerate(options)
                ],
                question.text,
            )
            result.chart = bar_chart(
                f"chart-q{position}",
                f"Question {position}: {question.text}",
                [(_short(label), counts[question.pk][i]) for i, label in enumerate(options)],
            )
        results.append(result)
    return results


def _fold(groups: dict[str, list], anonymous: bool) -> list[tuple[str, list]]:
    """Groups in name order; on anonymous forms those under 5 folded into one 'Other'."""
    shown, other = [], []
    for name in sorted(groups):
        if anonymous and len(groups[name]) < MIN_GROUP:
            other += groups[name]
        else:
            shown.append((name, groups[name]))
    if other:
        shown.append((OTHER, other))
    return shown


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@dataclass
class SusResult:
    count: int
    mean: str
    low: str
    high: str
    adjective: str
    grade: str
    comparison: str
    groups: Table
    bands: Table
    chart: BarChart


def sus_scores(responses: QuerySet) -> list[tuple[str, float]]:
    """Each complete SUS response's (Trust name, score)."""
    rows = Answer.objects.filter(response__in=responses, question__key__in=SUS_KEYS).values_list(
        "response_id", "response__trust__name", "question__key", "number"
    )
    points: dict = defaultdict(dict)
    trusts = {}
    for response_id, trust_name, key, number in rows:
        points[response_id][key] = number
        trusts[response_id] = trust_name or "Not known"
    scores = []
    for response_id, answers in points.items():
        if len(answers) == len(SUS_KEYS) and all(answers[key] for key in SUS_KEYS):
            scores.append((trusts[response_id], sus_score([answers[key] for key in SUS_KEYS])))
    return scores


def _cohorts_of_trusts() -> dict[str, list[str]]:
    links = Cohort.trusts.through.objects.values_list("organisation__name", "cohort__name")
    cohorts: dict[str, list[str]] = defaultdict(list)
    for trust_name, cohort_name in links:
        cohorts[trust_name].append(cohort_name)
    return cohorts


def sus_result(responses: QuerySet, anonymous: bool) -> SusResult | None:
    scores = sus_scores(responses)
    if not scores:
        return None
    overall = mean_interval([score for _, score in scores])
    by_trust: dict[str, list] = defaultdict(list)
    by_cohort: dict[str, list] = defaultdict(list)
    cohorts = _cohorts_of_trusts()
    for trust_name, score in scores:
        by_trust[trust_name].append(score)
        for cohort_name in cohorts.get(trust_name, ["No cohort"]):
            by_cohort[cohort_name].append(score)
    rows = []
    for kind, groups in (("Cohort", by_cohort), ("Trust", by_trust)):
        for name, values in _fold(groups, anonymous):
            interval = mean_interval(values)
            rows.append(
                [
                    Cell(f"{kind}: {name}"),
                    Cell(len(values)),
                    Cell(_score(interval.mean)),
                    Cell(_score(interval.low)),
                    Cell(_score(interval.high)),
                    Cell(_score(min(values))),
                    Cell(_score(statistics.median(values))),
                    Cell(_score(max(values))),
                ]
            )
    bands = Counter(sus_adjective(score) for _, score in scores)
    names = ["Worst imaginable", "Poor", "OK", "Good", "Excellent", "Best imaginable"]
    mean = overall.mean
    side = "above" if mean > SUS_AVERAGE else "below" if mean < SUS_AVERAGE else "at"
    return SusResult(
        count=overall.count,
        mean=_score(mean),
        low=_score(overall.low),
        high=_score(overall.high),
        adjective=sus_adjective(mean),
        grade=sus_grade(mean),
        comparison=f"{abs(mean - SUS_AVERAGE):.1f} points {side} the average of {SUS_AVERAGE}"
        if side != "at"
        else f"at the average of {SUS_AVERAGE}",
        groups=Table(
            "sus-groups",
            "SUS by cohort and Trust",
            [
                "Group",
                "People",
                "Mean score",
                "95% CI from",
                "95% CI to",
                "Lowest",
                "Median",
                "Highest",
            ],  # fmt: skip
            rows,
            "Each group's mean System Usability Scale score with its 95% confidence interval "
            "(Student's t), and how its scores spread: lowest, median and highest.",
        ),
        bands=Table(
            "sus-bands",
            "SUS distribution",
            ["Band", "People", "Share"],
            [
                [Cell(name), Cell(bands[name]), Cell(percent(bands[name], overall.count))]
                for name in names
            ],
            "How many people's scores fall in each adjective band.",
        ),
        chart=bar_chart(
            "chart-sus", "SUS scores by adjective band", [(name, bands[name]) for name in names]
        ),
    )


def rates_table(form: Form, trust: Organisation | None) -> Table:
    """Asked and answered, overall or at one Trust, and by Trust for the team."""
    asked = Invitation.objects.filter(form=form)
    answered = Respondent.objects.filter(form=form)
    if trust:
        at_trust = Membership.objects.current().filter(trust=trust).values("person_id")
        asked, answered = asked.filter(person__in=at_trust), answered.filter(person__in=at_trust)
        groups = {trust.name: (asked.count(), answered.count())}
    else:
        groups = _rates_by_trust(asked, answered)
    rows = []
    if trust is None:
        # Someone in two Trusts counts in each, so the total is counted apart.
        for name, (asked_count, answered_count) in sorted(groups.items()):
            rows.append(
                [
                    Cell(name),
                    Cell(asked_count),
                    Cell(answered_count),
                    Cell(percent(answered_count, asked_count)),
                ]
            )
    total_asked, total_answered = asked.count(), answered.count()
    rows.append(
        [
            Cell("All asked" if trust is None else trust.name),
            Cell(total_asked),
            Cell(total_answered),
            Cell(percent(total_answered, total_asked)),
        ]
    )
    return Table(
        "rates",
        "Response rates",
        ["Who", "Asked", "Answered", "Response rate"],
        rows,
        "People asked in the app and by email, and how many answered (paper answers "
        "are not counted here).",
    )


def _rates_by_trust(asked, answered) -> dict[str, tuple[int, int]]:
    def by_trust(rows):
        counted = (
            Membership.objects.current()
            .filter(person__in=rows.values("person_id"))
            .values("trust__name")
            .annotate(people=Count("person", distinct=True))
        )
        return {row["trust__name"]: row["people"] for row in counted}

    asked_by, answered_by = by_trust(asked), by_trust(answered)
    return {name: (asked_by[name], answered_by.get(name, 0)) for name in asked_by}
