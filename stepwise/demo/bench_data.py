"""A national-size dataset for benchmarks: `python manage.py seed_bench`.

One network of Trusts (names and codes start with "Bench", so demo data is never touched),
each with units and staff, a published "Bench framework" offered by every Trust, and
learners enrolled on it at every stage of the journey with full histories
(bench_journeys.py). Organisations, staff and the framework go in through the ORM; the
millions of learner rows through bench_rows.RowWriter, in large transactions.
"""

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from stepwise.accounts.models import User
from stepwise.certificates.framework_sign_off import description_of
from stepwise.demo.bench_content import (
    SECTION_TITLES,
    STAGES,
    STATEMENTS,
    FrameworkInfo,
    Person,
    TrustStaff,
    person_name,
    pin,
)
from stepwise.demo.bench_journeys import Journeys
from stepwise.demo.bench_rows import RowWriter, bulk_load
from stepwise.frameworks.models import (
    Framework,
    FrameworkVersion,
    FrameworkVersionEvent,
    Proficiency,
    Section,
    TrustFramework,
)
from stepwise.organisations.models import Membership, MembershipEvent, Organisation
from stepwise.progress.summaries import rebuild

PREFIX = "Bench"
NETWORK_CODE = "BENCH"
FRAMEWORK_SLUG = "bench"
# Every bench account's password: the command refuses to run with DEBUG off unless forced.
PASSWORD = "stepwise-bench-2026"
EMAIL_DOMAIN = "example.org"
UNITS_PER_TRUST = 3
ASSESSORS_PER_UNIT = 2
EDUCATORS_PER_TRUST = 2
PER_SECTION = 10
MAX_SECTIONS = 15
SUPERNUMERARY_WEEKS = 6
CHUNK = 500  # learners per transaction


class BenchDataExists(Exception):
    pass


@dataclass
class Summary:
    learners: int
    trusts: int
    proficiencies: int
    stages: dict[str, int]
    rows: dict[str, int]
    seconds: float


def bench_data_exists() -> bool:
    return (
        Framework.objects.filter(slug=FRAMEWORK_SLUG).exists()
        or Organisation.objects.filter(kind=Organisation.Kind.NETWORK, code=NETWORK_CODE).exists()
    )


def learner_email(number: int) -> str:
    return f"bench.learner{number:06d}@{EMAIL_DOMAIN}"


def staff_email(trust: int, role: str, number: int = 1) -> str:
    """e.g. staff_email(1, "assessor", 1): Trust 1's lead assessor, who most waiting
    requests name; "educator" 1-2, "assessor" 1-6 (two per unit), "admin" 1."""
    return f"bench.t{trust:03d}.{role}{number}@{EMAIL_DOMAIN}"


def seed_bench(
    *,
    learners: int = 25_000,
    proficiencies: int = 150,
    trusts: int = 50,
    seed: int = 1,
    report: Callable[[str], None] = print,
) -> Summary:
    if bench_data_exists():
        raise BenchDataExists(
            "This database already has the bench data (the network "
            f"{NETWORK_CODE!r} or the framework {FRAMEWORK_SLUG!r}): nothing was added."
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    password = make_password(PASSWORD)
    now = int(timezone.now().timestamp())
    writer = RowWriter()
    people = writer.table(User, (
        "id", "password", "last_login", "is_superuser", "email", "full_name", "job_title",
        "registration_body", "registration_number", "is_framework_author", "is_staff",
        "is_active", "email_verified_at", "date_joined", "session_generation",
        "second_step_generation",
    ))  # fmt: skip
    memberships = writer.table(Membership, (
        "id", "person_id", "trust_id", "unit_id", "partner_hei_id", "is_learner",
        "is_assessor", "is_educator", "is_trust_admin", "state", "started_on", "ended_on",
        "created_by_id", "created_at", "form_key",
    ))  # fmt: skip
    membership_events = writer.table(
        MembershipEvent,
        ("id", "membership_id", "kind", "actor_id", "from_state", "to_state", "note", "at"),
    )
    journeys = Journeys(writer, now)
    stages = _stages(learners, rng)
    with bulk_load(writer):
        with transaction.atomic():
            staff = _organisations(trusts, password)
            framework = _framework(proficiencies, staff)
        report(
            f"{trusts} Trusts, {len(staff) * _staff_per_trust()} staff and a framework of "
            f"{framework.size} proficiencies in {len(framework.sections)} sections "
            f"({time.perf_counter() - started:.1f} s)."
        )
        journeys.use(framework)
        writer.start_ids()
        for first in range(0, learners, CHUNK):
            with transaction.atomic():
                for number in range(first, min(first + CHUNK, learners)):
                    trust = staff[number % len(staff)]
                    unit_id = rng.choice(trust.units)
                    joined = now - rng.randint(60, 900) * 86400
                    person = Person(
                        people.new_id(),
                        person_name(number),
                        f"NMC {pin(number)}",
                        learner_email(number + 1),
                    )
                    people.add((
                        person.id, password, None, False, person.email, person.name,
                        "Staff Nurse", "NMC", pin(number), False, False, True,
                        writer.at(joined), writer.at(joined), 0, 0,
                    ))  # fmt: skip
                    membership_id = memberships.new_id()
                    memberships.add((
                        membership_id, person.id, trust.trust_id, unit_id, None, True, False,
                        False, False, Membership.State.ACTIVE.value,
                        writer.day(date.fromtimestamp(joined)), None, trust.admin_id,
                        writer.at(joined), None,
                    ))  # fmt: skip
                    membership_events.add((
                        membership_events.new_id(), membership_id,
                        MembershipEvent.Kind.CREATED.value, trust.admin_id, "",
                        Membership.State.ACTIVE.value, "Learner", writer.at(joined),
                    ))  # fmt: skip
                    journeys.learner(
                        rng=rng, person=person, staff=trust, unit_id=unit_id, stage=stages[number]
                    )
                writer.flush()
            done = min(first + CHUNK, learners)
            written = sum(table.written for table in writer.tables)
            report(
                f"{done:,} of {learners:,} learners: {written:,} rows "
                f"({time.perf_counter() - started:.0f} s)."
            )
        report(f"Checking every foreign key ({time.perf_counter() - started:.0f} s).")
        writer.finish()
    report(f"Updating the database's statistics ({time.perf_counter() - started:.0f} s).")
    _analyse(writer)
    # The rows went in around the services, so the reports' summaries are counted from them
    # in one go, by the same definition the services keep them by.
    counting = time.perf_counter()
    report(f"Counting the reports' summaries ({counting - started:.0f} s).")
    summaries = rebuild()
    report(f"Summaries counted in {time.perf_counter() - counting:.0f} s.")
    return Summary(
        learners=learners,
        trusts=trusts,
        proficiencies=framework.size,
        stages=dict(journeys.counts),
        rows={table.model._meta.label: table.written for table in writer.tables}
        | {f"progress.{name}": count for name, count in summaries.items()},
        seconds=time.perf_counter() - started,
    )


def _staff_per_trust() -> int:
    return EDUCATORS_PER_TRUST + UNITS_PER_TRUST * ASSESSORS_PER_UNIT + 1


def _stages(learners: int, rng) -> list[str]:
    """Exactly the configured shares (largest remainders), in a shuffled order."""
    exact = [(stage, share * learners) for stage, share in STAGES]
    counts = {stage: int(value) for stage, value in exact}
    by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
    for stage, _value in by_remainder[: learners - sum(counts.values())]:
        counts[stage] += 1
    stages = [stage for stage, count in counts.items() for _ in range(count)]
    rng.shuffle(stages)
    return stages


def _organisations(trust_count: int, password: str) -> list[TrustStaff]:
    network = Organisation.objects.create(
        kind=Organisation.Kind.NETWORK, name=f"{PREFIX} Critical Care Network", code=NETWORK_CODE
    )
    trusts = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.TRUST,
                name=f"{PREFIX} Hospitals {t:03d} NHS Foundation Trust",
                code=f"{NETWORK_CODE}{t:03d}",
                parent=network,
            )
            for t in range(1, trust_count + 1)
        ]
    )
    units = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.UNIT,
                name=f"{PREFIX} {trust.code} Critical Care Unit {u}",
                code=f"{trust.code}U{u}",
                parent=trust,
            )
            for trust in trusts
            for u in range(1, UNITS_PER_TRUST + 1)
        ]
    )
    # (trust number, role, number, unit or None, membership flags)
    plan = []
    for t in range(1, len(trusts) + 1):
        trust_units = units[(t - 1) * UNITS_PER_TRUST : t * UNITS_PER_TRUST]
        for e in range(1, EDUCATORS_PER_TRUST + 1):
            plan.append((t, "educator", e, None, {"is_educator": True, "is_assessor": True}))
        for a in range(UNITS_PER_TRUST * ASSESSORS_PER_UNIT):
            unit = trust_units[a // ASSESSORS_PER_UNIT]
            plan.append((t, "assessor", a + 1, unit, {"is_assessor": True}))
        plan.append((t, "admin", 1, None, {"is_trust_admin": True}))
    now = timezone.now()
    people = User.objects.bulk_create(
        [
            User(
                email=staff_email(t, role, n),
                full_name=person_name(100_000 + i * 7),
                job_title={"educator": "Clinical Practice Educator", "admin": "Education Lead"}.get(
                    role, "Senior Staff Nurse"
                ),
                registration_body="" if role == "admin" else "NMC",
                registration_number="" if role == "admin" else pin(20_000_000 + i),
                password=password,
                email_verified_at=now,
            )
            for i, (t, role, n, _unit, _flags) in enumerate(plan)
        ]
    )
    members = Membership.objects.bulk_create(
        [
            Membership(person=person, trust=trusts[t - 1], unit=unit, **flags)
            for person, (t, _role, _n, unit, flags) in zip(people, plan, strict=True)
        ]
    )
    MembershipEvent.write_all(
        [
            MembershipEvent.build(
                membership=m,
                kind=MembershipEvent.Kind.CREATED,
                actor=None,
                to_state=m.state,
                note=m.role_names,
            )
            for m in members
        ]
    )
    staff = [
        TrustStaff(
            trust_id=trust.pk,
            name=trust.name,
            units=[u.pk for u in units[(t - 1) * UNITS_PER_TRUST : t * UNITS_PER_TRUST]],
            educators=[],
            assessors={u.pk: [] for u in units[(t - 1) * UNITS_PER_TRUST : t * UNITS_PER_TRUST]},
            lead=None,
            admin_id=0,
        )
        for t, trust in enumerate(trusts, start=1)
    ]
    for person, (t, role, _n, unit, _flags) in zip(people, plan, strict=True):
        trust_staff = staff[t - 1]
        if role == "educator":
            trust_staff.educators.append(_person(person))
        elif role == "admin":
            trust_staff.admin_id = person.pk
        else:
            trust_staff.assessors[unit.pk].append(_person(person))
            trust_staff.lead = trust_staff.lead or trust_staff.assessors[unit.pk][0]
    return staff


def _person(user: User) -> Person:
    return Person(user.pk, user.full_name, user.registration)


def _framework(size: int, staff: list[TrustStaff]) -> FrameworkInfo:
    author = User.objects.create(
        email=f"bench.framework.author@{EMAIL_DOMAIN}",
        full_name=f"{PREFIX} Framework Author",
        is_framework_author=True,
        password=make_password(None),
    )
    framework = Framework.objects.create(
        slug=FRAMEWORK_SLUG, title=f"{PREFIX} framework", created_by=author
    )
    sections_count = max(1, min(MAX_SECTIONS, math.ceil(size / PER_SECTION)))
    per_section = [
        size // sections_count + (1 if s < size % sections_count else 0)
        for s in range(sections_count)
    ]
    optional_count = sum(1 for n in per_section if n >= 5)
    version = FrameworkVersion.objects.create(
        framework=framework,
        label="1.0",
        minimum_optional=optional_count * 2 // 3,
        # A supernumerary period for the first two proficiencies of each section (figure 3).
        supernumerary_weeks=SUPERNUMERARY_WEEKS,
        created_by=author,
    )
    sections = Section.objects.bulk_create(
        [
            Section(
                version=version,
                position=s + 1,
                code=str(s + 1),
                title=SECTION_TITLES[s % len(SECTION_TITLES)],
            )
            for s in range(sections_count)
        ]
    )
    rows = []
    for section, count in zip(sections, per_section, strict=True):
        topic = section.title.lower()
        for p in range(1, count + 1):
            rows.append(
                Proficiency(
                    version=version,
                    section=section,
                    position=p,
                    code=f"{section.code}.{p}",
                    statement=STATEMENTS[p % len(STATEMENTS)].format(topic=topic) + ".",
                    guidance=(
                        f"The assessor looks for a systematic approach to {topic}, clear "
                        "documentation and prompt escalation, observed in practice."
                    ),
                    optional=count >= 5 and p == count,
                    supernumerary=p <= 2,
                    evidence_hints="Observed practice; reflection; discussion with your assessor.",
                )
            )
    created = Proficiency.objects.bulk_create(rows)
    at = timezone.now()
    FrameworkVersion.objects.filter(pk=version.pk).update(
        state=FrameworkVersion.State.PUBLISHED,
        approved_by=author,
        approved_at=at,
        published_by=author,
        published_at=at,
    )
    FrameworkVersionEvent.write_all(
        [
            FrameworkVersionEvent.build(
                version=version, kind=FrameworkVersionEvent.Kind.IMPORTED, actor=author,
                to_state=FrameworkVersion.State.DRAFT, note="Made by seed_bench", at=at,
            ),
            FrameworkVersionEvent.build(
                version=version, kind=FrameworkVersionEvent.Kind.PUBLISHED, actor=author,
                from_state=FrameworkVersion.State.DRAFT, to_state=FrameworkVersion.State.PUBLISHED,
                at=at,
            ),
        ]
    )  # fmt: skip
    TrustFramework.objects.bulk_create(
        [
            TrustFramework(trust_id=s.trust_id, framework=framework, offered_by_id=s.admin_id)
            for s in staff
        ]
    )
    version.refresh_from_db()
    info = FrameworkInfo(
        framework_id=framework.pk,
        version_id=version.pk,
        title=framework.title,
        label=version.label,
        version_name=str(version),
        minimum_optional=version.minimum_optional,
        learner_declaration=version.learner_declaration,
        assessor_declaration=version.assessor_declaration,
        description=description_of(version),
    )
    by_section: dict[int, list] = {section.pk: [] for section in sections}
    for index, proficiency in enumerate(created):
        by_section[proficiency.section_id].append(
            (index, proficiency.pk, proficiency.code, proficiency.optional)
        )
    info.sections = list(by_section.values())
    return info


def _analyse(writer) -> None:
    """Fresh statistics for the query planner, as autovacuum (PostgreSQL) or a periodic
    `PRAGMA optimize` (SQLite) would keep them; on PostgreSQL the vacuum also marks the new
    pages all-visible, so index-only scans work as they would on a settled database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            for table in writer.tables:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table.name)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
