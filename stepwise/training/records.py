"""Who at a Trust has, and has not, a current training certificate for each role: counts,
named lists and a workbook, all from the same rows (reports' Table, so a download always
equals the screen)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from stepwise.organisations.models import Membership, Role
from stepwise.reports.presenters import Cell, Table
from stepwise.training.models import Completion
from stepwise.training.queries import ROLE_AUDIENCE, current

ROLES = (Role.LEARNER, Role.ASSESSOR, Role.EDUCATOR)
ROLE_FIELD = {
    Role.LEARNER: "is_learner",
    Role.ASSESSOR: "is_assessor",
    Role.EDUCATOR: "is_educator",
}
SHOWS = {"completed": "Completed", "not_completed": "Not completed"}
# Sheet names: 31 characters at most, and no "/" (Excel refuses it).
SHEET_ROLE = {Role.LEARNER: "Learners", Role.ASSESSOR: "Assessors", Role.EDUCATOR: "Educators"}


def _trained(role, at):
    """Whether the membership's person holds a current certificate for the role's packages."""
    return Exists(
        current(Completion.objects.all(), at).filter(
            person=OuterRef("person"), version__package__audience=ROLE_AUDIENCE[role]
        )
    )


def counts(trust_id: int) -> list[dict]:
    """One query per role, whatever the number of people."""
    at = timezone.now()
    rows = []
    for role in ROLES:
        found = (
            Membership.objects.current()
            .filter(trust_id=trust_id, **{ROLE_FIELD[role]: True})
            .annotate(trained=_trained(role, at))
            .aggregate(everyone=Count("pk"), completed=Count("pk", filter=Q(trained=True)))
        )
        rows.append({"role": role, **found})
    return rows


def people(trust_id: int, role, show: str) -> list[Membership]:
    at = timezone.now()
    return list(
        Membership.objects.current()
        .filter(trust_id=trust_id, **{ROLE_FIELD[role]: True})
        .annotate(trained=_trained(role, at))
        .filter(trained=(show == "completed"))
        .select_related("person", "unit")
        .order_by("person__full_name", "pk")
    )


def list_href(role, show: str) -> str:
    return reverse("training:records") + f"?role={role.value}&show={show}"


def counts_table(rows: list[dict]) -> Table:
    return Table(
        key="training",
        title="Training by role",
        head=["Role", "People", "Completed", "Not completed"],
        rows=[
            [
                Cell(row["role"].label),
                Cell(row["everyone"]),
                Cell(row["completed"], list_href(row["role"], "completed")),
                Cell(row["everyone"] - row["completed"], list_href(row["role"], "not_completed")),
            ]
            for row in rows
        ],
    )


def people_table(trust_id: int, role, show: str) -> Table:
    return Table(
        key=f"{role.value}-{show}",
        title=f"{SHEET_ROLE[role]} {SHOWS[show].lower()}",
        head=["Name", "Email", "Unit"],
        rows=[
            [
                Cell(m.person.full_name),
                Cell(m.person.email),
                Cell(m.unit.name if m.unit else ""),
            ]
            for m in people(trust_id, role, show)
        ],
    )


def workbook_tables(trust_id: int) -> list[Table]:
    """The counts, then a named sheet for each role and answer."""
    tables = [counts_table(counts(trust_id))]
    for role in ROLES:
        for show in SHOWS:
            tables.append(people_table(trust_id, role, show))
    return tables
