"""Checking every row of a people file, and saying what is wrong with each cell.

Pure functions over the rows and a `TrustDirectory` (the Trust's units and the people the
file names who already have accounts), so they are tested without a database and cost
nothing per row.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from stepwise.accounts.models import normalise_email
from stepwise.accounts.registration import validate_registration_number
from stepwise.organisations.models import Membership, Organisation, Role
from stepwise.organisations.upload.columns import (
    FORMULA_STARTS,
    REGISTRATION_BODIES,
    REGISTRATION_BODY_HELP,
    ROLE_HELP,
    ROLE_WORDS,
)
from stepwise.organisations.upload.reading import SheetRow

NAME_MAX = 150
EMAIL_MAX = 254


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


@dataclass(frozen=True)
class KnownPerson:
    """Someone the file names who already has an account."""

    pk: int
    email: str
    full_name: str
    has_password: bool
    # Their membership of this Trust, if it is open (active, invited or waiting for approval).
    open_state: str = ""


@dataclass
class TrustDirectory:
    trust: Organisation
    units: list[Organisation]
    people: dict[str, KnownPerson] = field(default_factory=dict)

    def __post_init__(self):
        self._units_by_key: dict[str, list[Organisation]] = {}
        for unit in self.units:
            for key in {_unit_key(unit.name), _unit_key(unit.code)} - {""}:
                self._units_by_key.setdefault(key, []).append(unit)

    def units_matching(self, text: str) -> list[Organisation]:
        return self._units_by_key.get(_unit_key(text), [])


def _unit_key(text: str) -> str:
    """Units match whatever the case and spacing."""
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class PersonRow:
    """A row that passed every check, ready to register."""

    number: int
    full_name: str
    email: str
    unit: Organisation | None
    roles: tuple[Role, ...]
    job_title: str = ""
    registration_body: str = ""
    registration_number: str = ""
    existing: KnownPerson | None = None


class _RowChecker:
    """Checks one row, collecting an error per bad cell."""

    def __init__(self, row: SheetRow, directory: TrustDirectory):
        self.row = row
        self.directory = directory
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row.number, column, message))

    def text(self, column: str) -> str | None:
        """The cell's text, or None (with an error) if it is or looks like a formula."""
        value = self.row.values.get(column, "")
        if column in self.row.formulas:
            self.error(
                column,
                "The cell has a formula. Replace it with the value it shows "
                "(copy the cell, then paste as values only)",
            )
            return None
        if value.startswith(FORMULA_STARTS):
            self.error(
                column,
                "A cell cannot start with =, +, - or @, because spreadsheets read that as a "
                "formula. Remove the first character",
            )
            return None
        return value

    def full_name(self) -> str:
        name = self.text("full_name")
        if name == "":
            self.error("full_name", "Enter a full name")
        elif name is not None and len(name) > NAME_MAX:
            self.error("full_name", f"Full name must be {NAME_MAX} characters or fewer")
        return name or ""

    def email(self) -> str:
        text = self.text("email")
        if text is None:
            return ""
        email = normalise_email(text)
        if not email:
            self.error("email", "Enter an email address")
            return ""
        try:
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            self.error("email", "Enter an email address in the correct format, like name@nhs.net")
            return ""
        person = self.directory.people.get(email)
        trust = self.directory.trust.name
        if person and person.open_state == Membership.State.AWAITING_APPROVAL:
            self.error(
                "email",
                f"{email} has registered with {trust} and is waiting for approval. "
                "Approve them on the Registrations page and remove this row",
            )
        elif person and person.open_state == Membership.State.INVITED:
            self.error(
                "email",
                f"{email} has already been invited to join {trust} and has not answered yet. "
                "Remove this row",
            )
        elif person and person.open_state:
            self.error("email", f"{email} is already a member of {trust}. Remove this row")
        return email

    def unit(self) -> Organisation | None:
        text = self.text("unit")
        if not text:
            return None
        units = self.directory.units_matching(text)
        if not units:
            self.error(
                "unit",
                f"“{text}” is not a unit in {self.directory.trust.name}. Use the name or code "
                "of one of your units, or leave it blank",
            )
        elif len(units) > 1:
            self.error("unit", f"“{text}” matches more than one unit. Use the unit's code")
        else:
            return units[0]
        return None

    def roles(self) -> tuple[Role, ...]:
        text = self.text("roles")
        if text is None:
            return ()
        words = [
            " ".join(word.replace("_", " ").split()) for word in text.replace(",", ";").split(";")
        ]
        words = [word for word in words if word]
        if not words:
            self.error("roles", f"Enter at least one role: {ROLE_HELP}")
            return ()
        unknown = [word for word in words if word.lower() not in ROLE_WORDS]
        for word in unknown:
            self.error(
                "roles",
                f"“{word}” is not a role. Use {ROLE_HELP}, separated by semicolons",
            )
        if unknown:
            return ()
        roles = {ROLE_WORDS[word.lower()] for word in words}
        return tuple(role for role in Role if role in roles)

    def job_title(self) -> str:
        title = self.text("job_title") or ""
        if len(title) > NAME_MAX:
            self.error("job_title", f"Job title must be {NAME_MAX} characters or fewer")
        return title

    def registration(self) -> tuple[str, str]:
        body_text, number = self.text("registration_body"), self.text("registration_number")
        if body_text is None or number is None:
            return "", ""
        body = REGISTRATION_BODIES.get(body_text.lower(), "")
        if body_text and not body:
            self.error(
                "registration_body",
                f"“{body_text}” is not a professional register. Use {REGISTRATION_BODY_HELP}",
            )
        elif body and not number:
            self.error(
                "registration_number",
                f"Enter their {body} registration number, or leave registration_body blank",
            )
        elif number and not body:
            self.error(
                "registration_body",
                f"Enter the register their number is on: {REGISTRATION_BODY_HELP}",
            )
        elif body:
            try:
                return body, validate_registration_number(body, number)
            except ValidationError as error:
                self.error("registration_number", " ".join(error.messages))
        return "", ""


def validate_rows(
    rows: list[SheetRow], directory: TrustDirectory
) -> tuple[list[PersonRow], list[RowError]]:
    """Every row checked; every problem reported with its row and column."""
    people: list[PersonRow] = []
    errors: list[RowError] = []
    first_row_for: dict[str, int] = {}
    for row in rows:
        check = _RowChecker(row, directory)
        for letter in row.unnamed:
            check.error(
                f"column {letter}",
                "This cell has a value but its column has no heading. Delete the value, or "
                "give the column one of the template's headings",
            )
        full_name, email = check.full_name(), check.email()
        if email in first_row_for:
            check.error(
                "email",
                f"{email} is also on row {first_row_for[email]}. Each person can be in the "
                "file only once",
            )
        elif email:
            first_row_for[email] = row.number
        unit, roles, job_title = check.unit(), check.roles(), check.job_title()
        body, number = check.registration()
        if check.errors:
            errors.extend(check.errors)
            continue
        people.append(
            PersonRow(
                number=row.number,
                full_name=full_name,
                email=email,
                unit=unit,
                roles=roles,
                job_title=job_title,
                registration_body=body,
                registration_number=number,
                existing=directory.people.get(email),
            )
        )
    return people, errors
