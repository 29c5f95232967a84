"""Demo organisations and one account per role. Every function is safe to run twice."""

from django.db import transaction

from stepwise.accounts.models import User
from stepwise.organisations.models import Membership, Organisation, Role, new_registration_code
from stepwise.organisations.services import membership_create

DEMO_PASSWORD = "stepwise-demo-2026"

NETWORK = ("Northshire Critical Care Network", "NCCN")
TRUSTS = [
    (
        "Northshire Teaching Hospitals NHS Foundation Trust",
        "RZZ01",
        ["General Intensive Care Unit", "Cardiac Intensive Care Unit", "High Dependency Unit"],
    ),
    (
        "Riverside University Hospitals NHS Trust",
        "RZZ02",
        ["Adult Critical Care Unit", "Neuro Intensive Care Unit"],
    ),
    (
        "Eastfield General Hospital NHS Trust",
        "RZZ03",
        ["Intensive Care Unit", "Surgical High Dependency Unit"],
    ),
]
HEI = ("University of Northshire", "UNN")

# email, name, registration, job title, [(trust code, unit index, roles)], platform flags
PEOPLE = [
    (
        "learner@example.org",
        "Amara Okafor",
        ("NMC", "21A4567C"),
        "Staff Nurse",
        [("RZZ01", 0, [Role.LEARNER])],
        {},
    ),
    (
        "assessor@example.org",
        "Ben Thompson",
        ("NMC", "09B1234D"),
        "Senior Staff Nurse",
        [("RZZ01", 0, [Role.ASSESSOR])],
        {},
    ),
    (
        "educator@example.org",
        "Chloe Davies",
        ("NMC", "05C7654E"),
        "Clinical Practice Educator",
        [("RZZ01", None, [Role.EDUCATOR, Role.ASSESSOR])],
        {},
    ),
    (
        "trustadmin@example.org",
        "Deepak Patel",
        ("", ""),
        "Critical Care Workforce Lead",
        [("RZZ01", None, [Role.TRUST_ADMIN])],
        {},
    ),
    (
        "riverside.admin@example.org",
        "Erin Walsh",
        ("", ""),
        "Education Lead",
        [("RZZ02", None, [Role.TRUST_ADMIN, Role.EDUCATOR])],
        {},
    ),
    # Works in two Trusts: assessor at one, learner at the other, to show switching.
    (
        "two.trusts@example.org",
        "Farah Hussain",
        ("NMC", "12A3456B"),
        "Staff Nurse",
        [("RZZ01", 1, [Role.ASSESSOR]), ("RZZ02", 0, [Role.LEARNER])],
        {},
    ),
    (
        "author@example.org",
        "Grace Mensah",
        ("NMC", "98D7654F"),
        "Framework Content Lead",
        [],
        {"is_framework_author": True},
    ),
    (
        "admin@example.org",
        "Harry Clarke",
        ("", ""),
        "Stepwise Service Team",
        [],
        {"is_staff": True, "is_superuser": True},
    ),
]


def _organisation(kind, name, code, parent=None) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        kind=kind, code=code, defaults={"name": name, "parent": parent}
    )
    if kind == Organisation.Kind.TRUST and not organisation.registration_code:
        organisation.registration_code = new_registration_code()
        organisation.save(update_fields=["registration_code"])
    return organisation


@transaction.atomic
def seed_organisations() -> dict[str, Organisation]:
    network = _organisation(Organisation.Kind.NETWORK, *NETWORK)
    trusts = {}
    for name, code, units in TRUSTS:
        trust = _organisation(Organisation.Kind.TRUST, name, code, network)
        trust.units = [
            _organisation(Organisation.Kind.UNIT, unit, f"{code}-{index + 1}", trust)
            for index, unit in enumerate(units)
        ]
        trusts[code] = trust
    hei = _organisation(Organisation.Kind.HEI, *HEI)
    hei.partners.add(*trusts.values())
    return trusts


@transaction.atomic
def seed_people(trusts: dict[str, Organisation]) -> dict[str, User]:
    people = {}
    for email, name, (body, number), job_title, memberships, flags in PEOPLE:
        person = User.objects.filter(email=email).first()
        if person is None:
            person = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=name,
                job_title=job_title,
                registration_body=body,
                registration_number=number,
                **flags,
            )
            person.email_verified_at = person.date_joined
            person.save(update_fields=["email_verified_at"])
        for code, unit_index, roles in memberships:
            trust = trusts[code]
            if not Membership.objects.current().filter(person=person, trust=trust).exists():
                unit = trust.units[unit_index] if unit_index is not None else None
                membership_create(person=person, trust=trust, unit=unit, roles=roles)
        people[email] = person
    return people
