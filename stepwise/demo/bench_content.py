"""What the benchmark dataset is made of: the stages learners are at, the people and
framework a journey refers to, and the words that fill names, statements and reflections."""

from dataclasses import dataclass, field

SECTION_TITLES = [
    "Respiratory", "Cardiovascular", "Neurology", "Renal", "Gastrointestinal and nutrition",
    "Infection prevention and control", "Medicines management", "Psychological care",
    "End of life care", "Safeguarding", "Transfer of the critically ill",
    "Skin integrity", "Endocrine and metabolic", "Communication", "Patient safety",
]  # fmt: skip
STATEMENTS = [
    "Describe the assessment of a patient's {topic} status and act on what is found",
    "Safely prepare, check and use the equipment used in {topic} care",
    "Recognise deterioration in {topic} and escalate it appropriately",
    "Explain the principles of {topic} care to patients and their families",
    "Document {topic} assessments and care accurately and on time",
]
FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farid", "Grace", "Harry", "Isla", "Jamal",
    "Kemi", "Liam", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tomasz",
    "Uma", "Victor", "Wen", "Yusuf", "Zara", "Niamh", "Rhys", "Siobhan", "Ewan", "Mei",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Thompson", "Davies", "Patel", "Walsh", "Hussain", "Mensah", "Murray", "Reid",
    "Adebayo", "O'Connor", "Singh", "Williams", "Evans", "Nowak", "Khan", "Campbell",
    "Hughes", "Chen", "Roberts", "Kowalski", "Ahmed", "Jones", "Brown", "Taylor", "Wilson",
    "Mohamed", "Clarke", "Lewis", "Bailey", "Ali", "Wright", "Green", "Hall", "Wood",
]  # fmt: skip
LETTERS = "ABCDEFGHJKLMNPRSTUVWXY"


class Stage:
    NOT_STARTED = "not started"
    PART_WAY = "part-way"
    WAITING_FOR_CONFIRMATION = "waiting for confirmation"
    REJECTED = "rejections and action plans"
    WAITING_FOR_SIGN_OFF = "waiting for sign-off"
    SIGNED_OFF = "signed off"


STAGES = [
    (Stage.NOT_STARTED, 0.10),
    (Stage.PART_WAY, 0.50),
    (Stage.WAITING_FOR_CONFIRMATION, 0.15),
    (Stage.REJECTED, 0.10),
    (Stage.WAITING_FOR_SIGN_OFF, 0.10),
    (Stage.SIGNED_OFF, 0.05),
]

REFLECTIONS = [
    "Practised this on a night shift with my assessor watching, then talked it through.",
    "Cared for a ventilated patient and explained my reasoning at the bedside handover.",
    "Completed the skills session and then did it on the unit twice without prompting.",
    "Discussed a case at the teaching session and wrote up what I would do differently.",
    "Did this with a patient after cardiac surgery; my assessor asked questions as I went.",
    "Followed the unit guideline, escalated on time and documented everything clearly.",
    "Read the trust policy, watched a colleague, then led it myself on a day shift.",
    "Reflected on a deteriorating patient: recognised it early and called for help.",
]
DECISION_NOTES = [
    "",
    "",
    "Observed on shift: safe, systematic and well explained.",
    "Good understanding shown in discussion.",
]
REJECTION_NOTES = [
    "Not yet: needs to explain the rationale as well as the steps.",
    "Documentation was incomplete; practise again with supervision.",
    "Needs more practice before working without supervision.",
]
ACTIONS = [
    "Complete the e-learning module and discuss it with your practice educator.",
    "Work two supervised shifts focusing on this proficiency.",
    "Write a short reflection on a patient you cared for where this applied.",
    "Shadow a senior nurse and then lead it with your assessor watching.",
]


@dataclass
class Person:
    id: int
    name: str
    registration: str = ""  # "NMC 12A3456B": as a decision or a certificate states it
    email: str = ""


@dataclass
class TrustStaff:
    trust_id: int
    name: str
    units: list[int]
    educators: list[Person]
    assessors: dict[int, list[Person]]  # by unit
    lead: Person | None  # the assessor most waiting requests name
    admin_id: int


@dataclass
class FrameworkInfo:
    framework_id: int
    version_id: int
    title: str
    label: str
    version_name: str
    minimum_optional: int
    learner_declaration: str
    assessor_declaration: str
    # As a Step certificate describes the version (certificates.framework_sign_off).
    description: str = ""
    # Per section, its proficiencies as (index in the framework, id, code, optional).
    sections: list[list[tuple[int, int, str, bool]]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(section) for section in self.sections)


def person_name(number: int) -> str:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number // len(FIRST_NAMES) + number) % len(LAST_NAMES)]
    return f"{first} {last}"


def pin(number: int) -> str:
    """A well-formed NMC PIN, different for each number below 400 million."""
    return (
        f"{number % 90 + 10:02d}{LETTERS[number // 90 % len(LETTERS)]}"
        f"{number // 1980 % 10000:04d}{LETTERS[number // 19_800_000 % len(LETTERS)]}"
    )
