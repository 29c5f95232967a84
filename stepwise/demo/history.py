"""Two years of history for the demo's reports: learners on the sample Step 1 at each Trust
of the demo network, enrolled, confirmed, rejected, waiting and signed off at dates spread
over the last 24 months, so every chart and table of the reports shows something real.

Written as the rows the services would have written for the same stories (the benchmark's
journeys, stepwise/demo/bench_journeys.py), in a few bulk inserts: going through the services
one decision at a time would make `make run` take minutes. A network lead and a little staff
per Trust come with it (the cohorts come with the demo's feedback). Safe to run twice: it does
nothing once its learners exist. seed_demo rebuilds the reports' summaries afterwards.
"""

import random
import zlib

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.certificates.framework_sign_off import description_of
from stepwise.demo.bench_content import FrameworkInfo, Person, Stage, TrustStaff, person_name, pin
from stepwise.demo.bench_journeys import Journeys
from stepwise.demo.bench_rows import RowWriter
from stepwise.frameworks.models import FrameworkVersion
from stepwise.organisations.models import (
    Membership,
    MembershipEvent,
    Organisation,
    Role,
)
from stepwise.organisations.services import membership_create
from stepwise.reports.models import NetworkLead

LEARNERS_PER_TRUST = 40
HISTORY_DAYS = 720
EMAIL = "history.{}@example.org"
STAGES = [
    (Stage.SIGNED_OFF, 0.45),
    (Stage.WAITING_FOR_SIGN_OFF, 0.05),
    (Stage.PART_WAY, 0.2),
    (Stage.WAITING_FOR_CONFIRMATION, 0.15),
    (Stage.REJECTED, 0.08),
    (Stage.NOT_STARTED, 0.07),
]
JOB_TITLES = ["Staff Nurse, band 5", "Staff Nurse, band 5", "Senior Staff Nurse, band 6"]
NETWORK_LEAD = ("network.lead@example.org", "Isabel Reyes", "Critical Care Network Lead")


def history_exists() -> bool:
    return User.objects.filter(email=EMAIL.format("learner1")).exists()


def _staff_person(email: str, name: str, job_title: str, password: str) -> User:
    person = User.objects.filter(email=email).first()
    if person is None:
        person = User.objects.create_user(
            email=email,
            password=password,
            full_name=name,
            job_title=job_title,
            registration_body="NMC",
            registration_number=pin(zlib.crc32(email.encode()) % 10_000_000),
        )
        User.objects.filter(pk=person.pk).update(email_verified_at=person.date_joined)
    return person


def _trust_staff(trust: Organisation, password: str) -> TrustStaff:
    """An educator and an assessor per unit, named for the Trust, each with a membership."""
    code = trust.code.lower()
    educator = _staff_person(
        EMAIL.format(f"{code}.educator"), f"Educator at {trust.name}", "Practice Educator", password
    )
    assessors = {}
    for number, unit in enumerate(trust.units, start=1):
        assessor = _staff_person(
            EMAIL.format(f"{code}.assessor{number}"),
            person_name(900 + number + 10 * int(code[-1])),
            "Senior Staff Nurse, band 6",
            password,
        )
        if not Membership.objects.current().filter(person=assessor, trust=trust).exists():
            membership_create(person=assessor, trust=trust, unit=unit, roles=[Role.ASSESSOR])
        assessors[unit.pk] = [Person(assessor.pk, assessor.full_name, assessor.registration)]
    if not Membership.objects.current().filter(person=educator, trust=trust).exists():
        membership_create(person=educator, trust=trust, unit=None, roles=[Role.EDUCATOR])
    admin = Membership.objects.current().filter(trust=trust).order_by("pk").first()
    return TrustStaff(
        trust_id=trust.pk,
        name=trust.name,
        units=[unit.pk for unit in trust.units],
        educators=[Person(educator.pk, educator.full_name, educator.registration)],
        assessors=assessors,
        # Most waiting requests name one assessor, as the busiest have.
        lead=assessors[trust.units[0].pk][0],
        admin_id=admin.person_id,
    )


def _framework(version: FrameworkVersion) -> FrameworkInfo:
    info = FrameworkInfo(
        framework_id=version.framework_id,
        version_id=version.pk,
        title=version.framework.title,
        label=version.label,
        version_name=str(version),
        minimum_optional=version.minimum_optional,
        learner_declaration=version.learner_declaration,
        assessor_declaration=version.assessor_declaration,
        description=description_of(version),
    )
    # The journeys confirm one group after another across a learner's time: the proficiencies
    # of the supernumerary period come first, as on a ward, then each section's others.
    groups: dict[object, list] = {}
    proficiencies = version.proficiencies.order_by("section__position", "position")
    for proficiency in proficiencies:
        key = "supernumerary" if proficiency.supernumerary else proficiency.section_id
        groups.setdefault(key, []).append(proficiency)
    ordered = [groups.pop("supernumerary", []), *groups.values()]
    index = iter(range(version.proficiencies.count()))
    info.sections = [
        [(next(index), p.pk, p.code, p.optional) for p in group] for group in ordered if group
    ]
    return info


@transaction.atomic
def seed_history(*, trusts: dict[str, Organisation], password: str, seed: int = 9) -> int:
    """Learners with two years of history at each Trust; returns how many were added."""
    version = (
        FrameworkVersion.objects.filter(
            framework__slug="step-1", state=FrameworkVersion.State.PUBLISHED
        )
        .select_related("framework")
        .first()
    )
    _network_lead(trusts, password)
    if version is None or history_exists():
        return 0
    rng = random.Random(seed)
    hashed = make_password(password)
    now = int(timezone.now().timestamp())
    writer = RowWriter()
    journeys = Journeys(writer, now, history_days=HISTORY_DAYS)
    journeys.use(_framework(version))
    staff = [_trust_staff(trust, password) for trust in trusts.values()]
    people, memberships, events = [], [], []
    stories = []
    for trust_staff in staff:
        for _ in range(LEARNERS_PER_TRUST):
            number = len(people) + 1
            person = User(
                email=EMAIL.format(f"learner{number}"),
                full_name=person_name(number + 37),
                job_title=rng.choice(JOB_TITLES),
                registration_body="NMC",
                registration_number=pin(number + 5000),
                password=hashed,
            )
            people.append(person)
            stories.append((person, trust_staff, rng.choice(trust_staff.units)))
    User.objects.bulk_create(people)
    stages = [stage for stage, _ in STAGES]
    weights = [weight for _, weight in STAGES]
    for person, trust_staff, unit_id in stories:
        memberships.append(
            Membership(
                person=person,
                trust_id=trust_staff.trust_id,
                unit_id=unit_id,
                is_learner=True,
                created_by_id=trust_staff.admin_id,
            )
        )
    Membership.objects.bulk_create(memberships)
    for membership in memberships:
        event = MembershipEvent.build(
            kind=MembershipEvent.Kind.CREATED,
            actor=None,
            to_state=Membership.State.ACTIVE,
            note="Learner",
            membership=membership,
        )
        event.actor_id = membership.created_by_id
        events.append(event)
    MembershipEvent.write_all(events)
    writer.start_ids()
    for person, trust_staff, unit_id in stories:
        journeys.learner(
            rng=rng,
            person=Person(person.pk, person.full_name, person.registration, person.email),
            staff=trust_staff,
            unit_id=unit_id,
            stage=rng.choices(stages, weights)[0],
        )
    writer.flush()
    writer.finish()
    return len(people)


def _network_lead(trusts: dict[str, Organisation], password: str) -> None:
    email, name, job_title = NETWORK_LEAD
    lead = _staff_person(email, name, job_title, password)
    network = next(iter(trusts.values())).parent
    if not NetworkLead.objects.current().filter(person=lead, network=network).exists():
        NetworkLead.objects.create(person=lead, network=network)
