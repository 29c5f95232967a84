"""What the home page offers each person: a card for each page their roles reach, the same
pages as the header navigation, with a line saying what each is for."""

from dataclasses import dataclass

from django.urls import reverse

from stepwise.core.navigation import visible_entries

DESCRIPTIONS = {
    "progress:mine": "Self-assess your proficiencies, add evidence and ask for confirmation.",
    "progress:to_review": "Proficiencies learners have asked you to confirm, oldest first.",
    "progress:enrol": "Enrol one learner or many on a framework your Trust offers.",
    "progress:enrolments": "Everyone's progress, due dates and sign-offs.",
    "organisations:people": "Everyone in your Trust: register, invite and manage roles.",
    "organisations:approvals": "Approve people who registered through your Trust's link.",
    "frameworks:offers": "Choose which frameworks your Trust offers and who may enrol.",
    "certificates:list": "Your Trust's certificates: check and revoke.",
    "organisations:settings": "Your registration link and whether registrations need approval.",
    "frameworks:list": "Draft, review and publish framework versions.",
    "admin:index": "Networks, Trusts, units, HEIs and accounts.",
}


@dataclass(frozen=True)
class Card:
    title: str
    href: str
    description: str


def home_sections(person, membership) -> list[Card]:
    cards = [
        Card(label, reverse(name), DESCRIPTIONS.get(name, ""))
        for label, name in visible_entries(person, membership)
    ]
    if membership is not None and membership.has_role("trust_admin"):
        cards.insert(
            2 if len(cards) > 2 else len(cards),
            Card(
                "Upload people",
                reverse("organisations:bulk_upload"),
                "Register many people at once from a CSV or Excel file.",
            ),
        )
    cards.append(
        Card("Change password", reverse("accounts:change_password"), "Choose a new password.")
    )
    return cards
