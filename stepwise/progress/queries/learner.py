"""What the learner's pages read. Everything starts from the signed-in person, so another
learner's enrolment, record, evidence or request simply is not found (a 404)."""

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from stepwise.core.compiled_reads import CompiledRead
from stepwise.core.versioned_cache import kept
from stepwise.frameworks.models import FrameworkVersion, Section, TrustFramework
from stepwise.organisations.models import Membership
from stepwise.progress.models import (
    Action,
    ActionPlan,
    ConfirmationRequest,
    Decision,
    Enrolment,
    EnrolmentEvent,
    Evidence,
    ProficiencyRecord,
    RecordEvent,
    SignOffRequest,
)
from stepwise.progress.states import OPEN_ENROLMENT_STATES, EnrolmentState, RecordState

# Counted per section on the overview, in the order the page shows them.
COUNTED_STATES = [
    RecordState.CONFIRMED,
    RecordState.AWAITING_CONFIRMATION,
    RecordState.ACHIEVED,
    RecordState.ONGOING,
    RecordState.REJECTED,
    RecordState.NOT_STARTED,
]


# What every learner page shows about an enrolment, at any Trust.
ENROLMENT_PAGE_READS = ("version__framework", "trust", "unit", "educator", "certificate")
# The learner's pages read one enrolment each, every request: compiled once (ADR 21).
_own_enrolment = CompiledRead(
    lambda learner_id, enrolment_id: Enrolment.objects.filter(
        learner_id=learner_id, pk=enrolment_id
    ).select_related(*ENROLMENT_PAGE_READS),
    ids=2,
)
# What the answer pages show: the version and the Trust, not the educator or a certificate.
_own_enrolment_to_answer = CompiledRead(
    lambda learner_id, enrolment_id: Enrolment.objects.filter(
        learner_id=learner_id, pk=enrolment_id
    ).select_related("version__framework", "trust"),
    ids=2,
)


def own_enrolment(person, enrolment_id: int) -> Enrolment | None:
    """One of the person's enrolments, with what every learner page shows about it; None if
    it is not theirs."""
    return _own_enrolment.first(person.pk, enrolment_id)


def own_enrolment_to_answer(person, enrolment_id: int) -> Enrolment | None:
    """One of the person's enrolments with the version and the Trust (the answer pages);
    None if not theirs."""
    return _own_enrolment_to_answer.first(person.pk, enrolment_id)


def my_enrolments(person) -> list[Enrolment]:
    """Open enrolments first, then signed off, then withdrawn; each with `confirmed` and
    `total` counted over its current version's proficiencies. One query."""
    in_version = Q(records__proficiency__version=F("version"))
    return list(
        Enrolment.objects.filter(learner=person)
        .select_related("version__framework", "trust")
        .annotate(
            total=Count("records", filter=in_version),
            confirmed=Count("records", filter=in_version & Q(records__state=RecordState.CONFIRMED)),
            rank=Case(
                When(state__in=OPEN_ENROLMENT_STATES, then=Value(0)),
                When(state=EnrolmentState.SIGNED_OFF, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("rank", "-enrolled_at", "pk")
    )


def learner_trust_ids(person) -> list[int]:
    return list(
        Membership.objects.current()
        .filter(person=person, is_learner=True)
        .values_list("trust_id", flat=True)
    )


def own_offers(person) -> QuerySet[TrustFramework]:
    """Frameworks the person may enrol themselves on: offered that way by a Trust where they
    are a learner now."""
    return TrustFramework.objects.filter(
        trust_id__in=learner_trust_ids(person), learners_may_enrol_themselves=True
    ).select_related("framework", "trust")


def latest_versions(framework_ids) -> dict[int, FrameworkVersion]:
    """The newest published version of each framework. One query."""
    latest: dict[int, FrameworkVersion] = {}
    versions = (
        FrameworkVersion.objects.filter(
            framework_id__in=framework_ids, state=FrameworkVersion.State.PUBLISHED
        )
        .select_related("framework")
        .order_by("framework_id", "-published_at", "-pk")
    )
    for version in versions:
        latest.setdefault(version.framework_id, version)
    return latest


def trust_educators(trust, *, excluding) -> list[Membership]:
    return list(
        Membership.objects.current()
        .filter(trust=trust, is_educator=True)
        .exclude(person=excluding)
        .select_related("person", "unit")
        .order_by("person__full_name", "person__email")
    )


def version_sections(enrolment) -> list[Section]:
    """The sections of the enrolment's version, in order: kept across requests once the
    version is published (ADR 16), as they cannot change then. Needs `enrolment.version`
    loaded (`own_enrolment` does). A new list each time; the sections are shared, to read."""
    return list(
        kept(
            ("sections", enrolment.version.kept_key),
            lambda: list(
                Section.objects.filter(version_id=enrolment.version_id).order_by("position", "pk")
            ),
        )
    )


def section_progress(enrolment) -> list[Section]:
    """The version's sections, each with a count of the learner's records in every state.
    One query, however many proficiencies."""
    return _section_progress(enrolment.version_id, enrolment.pk)


def _counted_sections(version_id: int, enrolment_id: int) -> QuerySet[Section]:
    counts = {
        state.value: Count("proficiencies__records", filter=Q(proficiencies__records__state=state))
        for state in COUNTED_STATES
    }
    confirmed = Q(proficiencies__records__state=RecordState.CONFIRMED)
    return (
        Section.objects.filter(
            version_id=version_id, proficiencies__records__enrolment_id=enrolment_id
        )
        .annotate(
            total=Count("proficiencies__records"),
            required=Count("proficiencies__records", filter=Q(proficiencies__optional=False)),
            required_confirmed=Count(
                "proficiencies__records", filter=confirmed & Q(proficiencies__optional=False)
            ),
            optional_confirmed=Count(
                "proficiencies__records", filter=confirmed & Q(proficiencies__optional=True)
            ),
            **counts,
        )
        .order_by("position", "pk")
    )


# The overview's counts, every time a learner opens it: compiled once (ADR 21).
_section_progress = CompiledRead(_counted_sections, ids=2)


def open_actions(enrolment) -> list[Action]:
    """Actions of the enrolment's action plans not yet done, soonest due first."""
    return _open_actions(enrolment.pk)


_open_actions = CompiledRead(
    lambda enrolment_id: (
        Action.objects.filter(plan__enrolment_id=enrolment_id, done_at__isnull=True)
        .select_related("plan__record__proficiency")
        .order_by("due_on", "pk")
    )
)


def find_records(enrolment, *, search: str = "", state: str = "") -> list[ProficiencyRecord]:
    """The learner's records whose code starts with the search, or whose statement holds
    every word of it; optionally in one state."""
    found = ProficiencyRecord.objects.filter(
        enrolment=enrolment, proficiency__version_id=enrolment.version_id
    ).select_related("proficiency__section")
    if state:
        found = found.filter(state=state)
    search = search.strip()
    if search:
        words = Q()
        for word in search.split():
            words &= Q(proficiency__statement__icontains=word)
        found = found.filter(Q(proficiency__code__istartswith=search) | words)
    return list(found.order_by("proficiency__section__position", "proficiency__position", "pk"))


def section_records(enrolment, section) -> list[ProficiencyRecord]:
    return _section_records(enrolment.pk, section.pk)


# The section page's rows, every time it opens or saves: compiled once (ADR 21).
_section_records = CompiledRead(
    lambda enrolment_id, section_id: (
        ProficiencyRecord.objects.filter(
            enrolment_id=enrolment_id, proficiency__section_id=section_id
        )
        .select_related("proficiency__section")
        .order_by("proficiency__position", "pk")
    ),
    ids=2,
)


def answer_records(enrolment, section_ids) -> list[ProficiencyRecord]:
    """The learner's records in these sections of the enrolment's version, in page order."""
    return list(
        ProficiencyRecord.objects.filter(
            enrolment=enrolment,
            proficiency__version_id=enrolment.version_id,
            proficiency__section_id__in=list(section_ids),
        )
        .select_related("proficiency__section")
        .order_by("proficiency__section__position", "proficiency__position", "pk")
    )


def open_plans(enrolment) -> list[ActionPlan]:
    """Action plans the learner still has to act on: the plan of each rejected proficiency,
    and any plan with an action not yet done; in the Step's order, newest plan first. Two
    queries, however many plans."""
    current = Q(record__state=RecordState.REJECTED, decision_id=F("record__decision_id"))
    undone = Exists(Action.objects.filter(plan=OuterRef("pk"), done_at__isnull=True))
    return list(
        ActionPlan.objects.filter(enrolment=enrolment)
        .filter(current | Q(undone))
        .select_related("record__proficiency__section", "decision__assessor")
        .prefetch_related("actions")
        .order_by(
            "record__proficiency__section__position",
            "record__proficiency__position",
            "record_id",
            "-created_at",
            "-pk",
        )
    )


def own_records(person) -> QuerySet[ProficiencyRecord]:
    return ProficiencyRecord.objects.filter(enrolment__learner=person).select_related(
        "proficiency__section",
        "enrolment__version__framework",
        "enrolment__trust",
    )


def record_evidence(record) -> list[Evidence]:
    return list(record.evidence.filter(removed_at__isnull=True).order_by("uploaded_at", "pk"))


def record_action_plans(record) -> list[ActionPlan]:
    return list(
        ActionPlan.objects.filter(record=record)
        .select_related("decision__assessor")
        .prefetch_related("actions")
        .order_by("-created_at", "-pk")
    )


def record_decisions(record) -> list[Decision]:
    return list(
        Decision.objects.filter(record=record)
        .select_related("assessor", "trust", "corrects")
        .order_by("at", "pk")
    )


def record_history(record) -> list[RecordEvent]:
    return list(
        RecordEvent.objects.filter(record=record)
        .select_related("actor", "trust")
        .order_by("at", "pk")
    )


def achieved_records(enrolment) -> list[ProficiencyRecord]:
    return list(
        ProficiencyRecord.objects.filter(
            enrolment=enrolment,
            proficiency__version_id=enrolment.version_id,
            state=RecordState.ACHIEVED,
        )
        .select_related("proficiency__section")
        .order_by("proficiency__section__position", "proficiency__position", "pk")
    )


def enrolment_record_ids(enrolment) -> set[int]:
    return set(enrolment.records.values_list("pk", flat=True))


def confirmers(enrolment) -> list[Membership]:
    """Who the learner may ask: the Trust's current assessors and educators, not themselves."""
    return list(
        Membership.objects.current()
        .filter(trust_id=enrolment.trust_id)
        .filter(Q(is_assessor=True) | Q(is_educator=True))
        .exclude(person_id=enrolment.learner_id)
        .select_related("person", "unit")
        .order_by("person__full_name", "person__email", "pk")
    )


def enrolment_assessor_ids(enrolment) -> set[int]:
    return set(enrolment.assessors.values_list("pk", flat=True))


def waiting_requests(enrolment) -> list[ConfirmationRequest]:
    return list(
        ConfirmationRequest.objects.filter(
            enrolment=enrolment, state=ConfirmationRequest.State.WAITING
        )
        .select_related("assessor", "unit")
        .prefetch_related("waiting_records__proficiency")
        .order_by("requested_at", "pk")
    )


def own_requests(person) -> QuerySet[ConfirmationRequest]:
    return ConfirmationRequest.objects.filter(enrolment__learner=person).select_related("enrolment")


def own_evidence(person) -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        record__enrolment__learner=person, removed_at__isnull=True
    ).select_related("record__proficiency", "record__enrolment")


def own_actions(person) -> QuerySet[Action]:
    return Action.objects.filter(plan__record__enrolment__learner=person).select_related(
        "plan__record__proficiency", "plan__record__enrolment"
    )


def latest_sign_off_request(enrolment) -> SignOffRequest | None:
    return (
        SignOffRequest.objects.filter(enrolment=enrolment)
        .select_related("educator", "decided_by")
        .order_by("-requested_at", "-pk")
        .first()
    )


def history_keys(enrolment):
    """Every event of the enrolment and of its records, oldest first, as (kind of row, at,
    id): a queryset to paginate, so a page loads only its own 50 rows."""
    enrolment_events = (
        EnrolmentEvent.objects.filter(enrolment=enrolment)
        .annotate(source=Value("enrolment"))
        .values_list("source", "at", "pk")
        .order_by()
    )
    record_events = (
        RecordEvent.objects.filter(enrolment=enrolment)
        .annotate(source=Value("record"))
        .values_list("source", "at", "pk")
        .order_by()
    )
    return enrolment_events.union(record_events, all=True).order_by("at", "source", "pk")


def history_rows(keys) -> list[EnrolmentEvent | RecordEvent]:
    """The events a page of `history_keys` names, in the same order. Two queries."""
    keys = list(keys)
    wanted = {
        "enrolment": [pk for source, _at, pk in keys if source == "enrolment"],
        "record": [pk for source, _at, pk in keys if source == "record"],
    }
    found = {
        ("enrolment", event.pk): event
        for event in EnrolmentEvent.objects.filter(pk__in=wanted["enrolment"]).select_related(
            "actor", "trust"
        )
    }
    found.update(
        {
            ("record", event.pk): event
            for event in RecordEvent.objects.filter(pk__in=wanted["record"]).select_related(
                "actor", "trust", "record__proficiency"
            )
        }
    )
    return [found[(source, pk)] for source, _at, pk in keys]


def downloadable_evidence(person, membership, evidence_id: int) -> Evidence | None:
    """The evidence file if this person may have it, else None: the learner; the
    enrolment's educator or assessors, an assessor asked to confirm it, or any educator or
    Trust administrator of the enrolment's Trust, while they work there."""
    evidence = (
        Evidence.objects.filter(
            pk=evidence_id, removed_at__isnull=True, file_expired_at__isnull=True
        )
        .select_related("record__enrolment")
        .first()
    )
    if evidence is None:
        return None
    enrolment = evidence.record.enrolment
    if enrolment.learner_id == person.pk:
        return evidence
    staff = list(
        Membership.objects.current().filter(person=person, trust_id=enrolment.trust_id)[:1]
    )
    if not staff:
        return None
    member = staff[0]
    working_there_now = membership is not None and membership.pk == member.pk
    if working_there_now and (member.is_educator or member.is_trust_admin):
        return evidence
    if enrolment.educator_id == person.pk:
        return evidence
    if not (member.is_assessor or member.is_educator):
        return None
    if enrolment.assessors.filter(pk=person.pk).exists():
        return evidence
    asked = Q(assessor=person)
    if member.is_assessor and member.unit_id:
        asked |= Q(unit_id=member.unit_id)
    if ConfirmationRequest.objects.filter(asked, enrolment=enrolment).exists():
        return evidence
    return None
