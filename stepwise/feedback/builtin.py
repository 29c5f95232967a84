"""The questionnaires every pilot asks: the System Usability Scale and the paper baseline.

The SUS items are John Brooke's (1986), in their standard order and wording, with
"system" read as Stepwise, as is usual. Its score: each odd item's answer minus 1, 5 minus
each even item's answer, the sum times 2.5, giving 0 to 100. Bangor, Kortum and Miller's
adjective scale and Sauro and Lewis's curved grades name where a score falls; 68 is the
published average across hundreds of studies.

The paper baseline asks staff who used the paper Steps what paper cost them. Its sign-off
and lost-document questions share their keys with the pilot experience form's questions
about Stepwise, so results set paper and digital side by side.
"""

from dataclasses import dataclass

SUS_SLUG = "system-usability-scale"
PAPER_SLUG = "paper-baseline"
PILOT_SLUG = "pilot-experience"

AGREEMENT = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]

SUS_ITEMS = [
    "I think that I would like to use this system frequently.",
    "I found the system unnecessarily complex.",
    "I thought the system was easy to use.",
    "I think that I would need the support of a technical person to be able to use this system.",
    "I found the various functions in this system were well integrated.",
    "I thought there was too much inconsistency in this system.",
    "I would imagine that most people would learn to use this system very quickly.",
    "I found the system very cumbersome to use.",
    "I felt very confident using the system.",
    "I needed to learn a lot of things before I could get going with this system.",
]
SUS_KEYS = [f"sus{number}" for number in range(1, 11)]
SUS_AVERAGE = 68

# (lowest score of the band, adjective) and (lowest score, grade), highest first.
SUS_ADJECTIVES = [
    (84.1, "Best imaginable"),
    (80.8, "Excellent"),
    (71.1, "Good"),
    (51.7, "OK"),
    (25.1, "Poor"),
    (0.0, "Worst imaginable"),
]
SUS_GRADES = [
    (84.1, "A+"),
    (80.8, "A"),
    (78.9, "A-"),
    (77.2, "B+"),
    (74.1, "B"),
    (72.6, "B-"),
    (71.1, "C+"),
    (65.0, "C"),
    (62.7, "C-"),
    (51.7, "D"),
    (0.0, "F"),
]


def sus_score(points: list[int]) -> float:
    """The SUS score of one person's 10 answers (each 1-5, in item order)."""
    if len(points) != len(SUS_ITEMS) or not all(1 <= point <= 5 for point in points):
        raise ValueError("The SUS has 10 answers, each from 1 to 5.")
    total = sum(
        point - 1 if number % 2 else 5 - point for number, point in enumerate(points, start=1)
    )
    return total * 2.5


def _band(score: float, bands) -> str:
    return next(name for lowest, name in bands if score >= lowest)


def sus_adjective(score: float) -> str:
    return _band(score, SUS_ADJECTIVES)


def sus_grade(score: float) -> str:
    return _band(score, SUS_GRADES)


@dataclass(frozen=True)
class BuiltinQuestion:
    kind: str
    text: str
    key: str = ""
    hint: str = ""
    required: bool = True
    choices: tuple[str, ...] = ()


SIGN_OFF_TIMES = (
    "The same day",
    "Within a week",
    "1 to 4 weeks",
    "More than 4 weeks",
    "I don't know",
)
LOST_DOCUMENTS = ("None", "1 or 2", "3 to 5", "More than 5", "I don't know")

SUS_QUESTIONS = [
    BuiltinQuestion("likert", text, key=key, choices=tuple(AGREEMENT))
    for text, key in zip(SUS_ITEMS, SUS_KEYS, strict=True)
]

PAPER_QUESTIONS = [
    BuiltinQuestion(
        "single",
        "On paper, how long did it usually take from asking for a proficiency to be signed "
        "to it being signed?",
        key="sign_off_time",
        choices=SIGN_OFF_TIMES,
    ),
    BuiltinQuestion(
        "single",
        "In your last year on paper, how many signed documents were lost or had to be signed "
        "again?",
        key="documents_lost",
        choices=LOST_DOCUMENTS,
    ),
    BuiltinQuestion(
        "long_text",
        "What would you keep from the paper Steps?",
        key="keep_from_paper",
        required=False,
    ),
]

PILOT_QUESTIONS = [
    BuiltinQuestion(
        "single",
        "In Stepwise, how long did it usually take from asking for a proficiency to be "
        "confirmed to it being confirmed?",
        key="sign_off_time",
        choices=SIGN_OFF_TIMES,
    ),
    BuiltinQuestion(
        "single",
        "Since using Stepwise, how many records were lost or had to be confirmed again?",
        key="documents_lost",
        choices=LOST_DOCUMENTS,
    ),
    BuiltinQuestion(
        "rating",
        "How likely are you to recommend Stepwise to a colleague?",
        key="recommend",
        hint="0 is not at all likely, 10 is extremely likely.",
    ),
    BuiltinQuestion(
        "long_text",
        "What one thing would make Stepwise better for you?",
        key="improve",
        required=False,
    ),
]


@dataclass(frozen=True)
class BuiltinForm:
    slug: str
    kind: str
    title: str
    introduction: str
    anonymous: bool
    questions: list[BuiltinQuestion]


BUILTIN_FORMS = [
    BuiltinForm(
        SUS_SLUG,
        "sus",
        "System Usability Scale",
        "10 statements about using Stepwise. For each, choose how much you agree.",
        True,
        SUS_QUESTIONS,
    ),
    BuiltinForm(
        PAPER_SLUG,
        "paper_baseline",
        "Your experience of the paper Steps",
        "If you used the paper Steps proficiencies, tell us what they were like, so we can "
        "compare them with Stepwise.",
        True,
        PAPER_QUESTIONS,
    ),
    BuiltinForm(
        PILOT_SLUG,
        "custom",
        "Your experience of the Stepwise pilot",
        "Tell us how the pilot has gone for you.",
        False,
        PILOT_QUESTIONS,
    ),
]
