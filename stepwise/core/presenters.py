"""What the home page offers each person: a card per thing their roles let them do."""

from dataclasses import dataclass

from django.urls import reverse

from stepwise.organisations.models import Role


@dataclass(frozen=True)
class Card:
    title: str
    href: str
    description: str


def home_sections(person, membership) -> list[Card]:
    cards: list[Card] = []
    if membership is not None:
        if membership.has_role(Role.TRUST_ADMIN, Role.EDUCATOR):
            cards.append(
                Card(
                    "People",
                    reverse("organisations:people"),
                    f"Everyone in {membership.trust.name}: register, invite and manage roles.",
                )
            )
        if membership.has_role(Role.TRUST_ADMIN):
            cards.append(
                Card(
                    "Registrations",
                    reverse("organisations:approvals"),
                    "Approve people who registered through your Trust's link.",
                )
            )
            cards.append(
                Card(
                    "Upload people",
                    reverse("organisations:bulk_upload"),
                    "Register many people at once from a CSV or Excel file.",
                )
            )
            cards.append(
                Card(
                    "Trust settings",
                    reverse("organisations:settings"),
                    "Your registration link and whether registrations need approval.",
                )
            )
    if person.is_platform_admin:
        cards.append(
            Card(
                "Platform admin",
                reverse("admin:index"),
                "Networks, Trusts, units, HEIs and accounts.",
            )
        )
    cards.append(
        Card("Change password", reverse("accounts:change_password"), "Choose a new password.")
    )
    return cards
