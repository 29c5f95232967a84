"""The columns of a people upload file, declared once: the guidance page, the downloadable
templates, the reader and the validation all work from this list."""

from dataclasses import dataclass

from stepwise.accounts.registration import RegistrationBody
from stepwise.organisations.models import Role

# A Trust registers its staff in waves; more than this in one file is almost certainly a
# mistake (a whole ESR export), and keeps one upload inside one quick transaction.
MAX_PEOPLE = 10_000
# Rows counted while reading, blank ones included, so a sheet of a million formatted but
# empty rows is turned away quickly rather than read to the end.
MAX_ROWS_READ = 5 * MAX_PEOPLE
# Cells in an XLSX sheet, counting empty ones before the last in each row: 10,000 people in
# twice the template's columns (a value in any other column is an error anyway), read in about
# 2.5 s at worst. A 0.5 MB workbook can hold 10 million cells, which took 92 s.
MAX_CELLS = 15 * MAX_PEOPLE


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("full_name", True, "The person's full name.", "Amira Okafor"),
    Column(
        "email",
        True,
        "Their work email address. They sign in with it, and we send their invitation to it.",
        "amira.okafor@nhs.net",
    ),
    Column(
        "unit",
        True,
        "The name or code of their unit in your Trust. Leave it blank for people who work "
        "across the whole Trust.",
        "General Intensive Care Unit",
    ),
    Column(
        "roles",
        True,
        "One or more of: learner, assessor, educator, trust admin. Separate them with semicolons.",
        "learner; assessor",
    ),
    Column("job_title", False, "Optional: their job title.", "Staff Nurse"),
    Column(
        "registration_body",
        False,
        "Optional: NMC, HCPC, GMC or GPhC. Needed if you give a registration number.",
        "NMC",
    ),
    Column(
        "registration_number",
        False,
        "Optional: their PIN or registration number, like 12A3456B for the NMC.",
        "12A3456B",
    ),
)

COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)

# What people type in the roles column, in lower case with single spaces (the role's
# label is accepted too).
ROLE_WORDS: dict[str, Role] = {
    "learner": Role.LEARNER,
    "assessor": Role.ASSESSOR,
    "educator": Role.EDUCATOR,
    "educator/manager": Role.EDUCATOR,
    "trust admin": Role.TRUST_ADMIN,
    "trust administrator": Role.TRUST_ADMIN,
}
ROLE_HELP = "learner, assessor, educator or trust admin"

REGISTRATION_BODIES = {body.value.lower(): body.value for body in RegistrationBody}
REGISTRATION_BODY_HELP = ", ".join(body.value for body in RegistrationBody)

# Characters a spreadsheet reads as the start of a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")


def heading_key(heading: str) -> str:
    """How a heading is matched: case, spaces and hyphens do not matter."""
    return "_".join(heading.strip().lower().replace("-", " ").split())
