"""What assessors' and educators' pages read. Every query starts from the Trust the person
works in now, so another Trust's request or enrolment is never found (a 404), and each
page's query count stays the same however many rows it lists."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from stepwise.core.compiled_reads import CompiledRead
from stepwise.core.versioned_cache import kept
from stepwise.frameworks.models import FrameworkVersion, Proficiency
from stepwise.organisations.models import Membership, Organisation
from stepwise.progress.models import (
    ConfirmationRequest,
    Decision,
    Enrolment,
    Evidence,
    ProficiencyRecord,
    RequestItem,
    SignOffRequest,
)
from stepwise.progress.states import OPEN_ENROLMENT_STATES, RecordState

# A request waiting longer than this is flagged on "To review".
OLD_REQUEST = timedelta(days=7)


# Who may decide a request: the same rule as services.confirmation.assessor_may_decide, as a
# filter for lists and as a test on one loaded request.
def _decidable(membership: Membership) -> Q:
    if membership.is_educator:
        return Q()
    mine = Q(assessor_id=membership.person_id)
    if membership.is_assessor and membership.unit_id:
        mine |= Q(unit_id=membership.unit_id)
    return mine


def may_decide(membership: Membership, request: ConfirmationRequest) -> bool:
    if request.trust_id != membership.trust_id:
        return False
    if request.enrolment.learner_id == membership.person_id:
        return False
    if request.assessor_id == membership.person_id:
        return membership.is_assessor or membership.is_educator
    if membership.is_educator:
        return True
    return (
        membership.is_assessor
        and request.unit_id is not None
        and request.unit_id == membership.unit_id
    )


REVIEW_PAGE_READS = (
    "enrolment__learner",
    "enrolment__version__framework",
    "enrolment__unit",
    "assessor",
    "unit",
)


# The review page reads its request every time it opens or saves: compiled once (ADR 21).
_trust_request = CompiledRead(
    lambda trust_id, request_id: ConfirmationRequest.objects.filter(
        trust_id=trust_id, pk=request_id
    ).select_related(*REVIEW_PAGE_READS),
    ids=2,
)


def trust_request(trust: Organisation, request_id: int) -> ConfirmationRequest | None:
    """One confirmation request made at the Trust, with what the review page shows; None if
    there is none (or it is another Trust's)."""
    return _trust_request.first(trust.pk, request_id)


def to_review(membership: Membership) -> QuerySet[ConfirmationRequest]:
    """Waiting requests this person may decide, oldest first; never their own."""
    return (
        ConfirmationRequest.objects.filter(trust=membership.trust)
        .filter(state=ConfirmationRequest.State.WAITING)
        .filter(_decidable(membership))
        .exclude(enrolment__learner_id=membership.person_id)
        .order_by("requested_at", "pk")
    )


def to_review_rows(requests: QuerySet[ConfirmationRequest]) -> QuerySet:
    """What the list shows of each request, as plain rows (named tuples) rather than model
    instances: a page of 50 requests made six instances each, a quarter of the page's CPU.
    Only the joins and columns the list shows: on PostgreSQL, planning the review page's
    wider join took longer than running it."""
    return requests.annotate(
        learner_name=F("enrolment__learner__full_name"),
        framework_title=F("enrolment__version__framework__title"),
        version_label=F("enrolment__version__label"),
        assessor_name=F("assessor__full_name"),
        unit_name=F("unit__name"),
    ).values_list(
        "pk",
        "requested_at",
        "item_count",
        "assessor_id",
        "learner_name",
        "framework_title",
        "version_label",
        "assessor_name",
        "unit_name",
        named=True,
    )


def to_review_counts(requests: QuerySet[ConfirmationRequest], now=None) -> dict:
    """How many wait, and how many of those for more than a week. One query."""
    cutoff = (now or timezone.now()) - OLD_REQUEST
    return requests.order_by().aggregate(
        waiting=Count("pk"),
        old=Count("pk", filter=Q(requested_at__lt=cutoff)),
    )


def sign_offs_waiting(trust: Organisation) -> QuerySet[SignOffRequest]:
    return (
        SignOffRequest.objects.filter(enrolment__trust=trust, state=SignOffRequest.State.WAITING)
        .select_related("enrolment__learner", "enrolment__version__framework", "educator")
        .order_by("requested_at", "pk")
    )


@dataclass(frozen=True)
class ReviewItem:
    """A proficiency waiting in a request, with what the review page shows of it."""

    record_id: int
    # As the learner wrote it when they asked.
    reflection: str
    code: str
    statement: str
    guidance: str
    optional: bool
    section_id: int
    section_code: str
    section_title: str
    evidence: list[Evidence]


def review_items(request: ConfirmationRequest) -> list[ReviewItem]:
    """The request's proficiencies still waiting in it, in the learner's order, each with its
    evidence. Two queries whatever the number of items, read as plain rows: a whole Step is
    115 items, and four model instances each cost more than the query."""
    waiting = Q(record__request=request, record__state=RecordState.AWAITING_CONFIRMATION)
    rows = list(
        RequestItem.objects.filter(waiting, request=request)
        .order_by("pk")
        .values_list(
            "record_id",
            "reflection",
            "record__proficiency__code",
            "record__proficiency__statement",
            "record__proficiency__guidance",
            "record__proficiency__optional",
            "record__proficiency__section_id",
            "record__proficiency__section__code",
            "record__proficiency__section__title",
        )
    )
    evidence: dict[int, list[Evidence]] = {}
    if rows:
        # The links show a file's name, kind and size; nothing else of it is read.
        for file in (
            Evidence.objects.filter(waiting, removed_at__isnull=True)
            .only("pk", "record_id", "original_name", "kind", "size")
            .order_by("uploaded_at", "pk")
        ):
            evidence.setdefault(file.record_id, []).append(file)
    return [ReviewItem(*row, evidence=evidence.get(row[0], [])) for row in rows]


def request_decisions(request: ConfirmationRequest) -> list[Decision]:
    """What was decided on a request: who decided each item, and when."""
    return list(
        Decision.objects.filter(request=request)
        .select_related("assessor", "record__proficiency")
        .order_by("at", "pk")
    )


# Enrolling learners


def offered_versions(trust: Organisation) -> list[FrameworkVersion]:
    """Published versions of the frameworks the Trust offers, newest first in each."""
    return list(
        FrameworkVersion.objects.filter(
            state=FrameworkVersion.State.PUBLISHED,
            framework__offers__trust=trust,
        )
        .select_related("framework")
        .order_by("framework__title", "-published_at", "-pk")
    )


def trust_learners(
    trust: Organisation, *, unit_id: int | None = None, search: str = ""
) -> list[Membership]:
    """The Trust's current learners, by name, each with the frameworks they are on now."""
    learners = trust.memberships.current().filter(is_learner=True)
    if unit_id is not None:
        learners = learners.filter(unit_id=unit_id)
    for word in search.split():
        learners = learners.filter(
            Q(person__full_name__icontains=word) | Q(person__email__icontains=word)
        )
    open_enrolments = Enrolment.objects.filter(
        trust=trust, state__in=OPEN_ENROLMENT_STATES
    ).select_related("framework")
    return list(
        learners.select_related("person", "unit")
        .prefetch_related(
            Prefetch("person__enrolments", queryset=open_enrolments, to_attr="open_enrolments")
        )
        .order_by("person__full_name", "person__email", "pk")
    )


def trust_staff(trust: Organisation) -> list[Membership]:
    """Current assessors and educators of the Trust, by name: who may sign off or assess."""
    return list(
        trust.memberships.current()
        .filter(Q(is_assessor=True) | Q(is_educator=True))
        .select_related("person", "unit")
        .order_by("person__full_name", "person__email", "pk")
    )


# The Trust's enrolments


def trust_enrolments(
    trust: Organisation,
    *,
    unit_id: int | None = None,
    framework_id: int | None = None,
    state: str | None = None,
    search: str = "",
    overdue: bool = False,
) -> QuerySet[Enrolment]:
    enrolments = trust.enrolments.select_related("learner", "version__framework", "unit")
    if unit_id is not None:
        enrolments = enrolments.filter(unit_id=unit_id)
    if framework_id is not None:
        enrolments = enrolments.filter(framework_id=framework_id)
    if state:
        enrolments = enrolments.filter(state=state)
    for word in search.split():
        enrolments = enrolments.filter(
            Q(learner__full_name__icontains=word) | Q(learner__email__icontains=word)
        )
    if overdue:
        enrolments = enrolments.filter(
            state__in=OPEN_ENROLMENT_STATES, due_on__lt=timezone.localdate()
        )
    return enrolments.order_by("-enrolled_at", "-pk")


def progress_counts(enrolment_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Confirmed and total proficiencies of each enrolment's current version. One query."""
    rows = (
        ProficiencyRecord.objects.filter(
            enrolment_id__in=enrolment_ids, proficiency__version=F("enrolment__version")
        )
        .values("enrolment_id")
        .annotate(total=Count("pk"), confirmed=Count("pk", filter=Q(state=RecordState.CONFIRMED)))
        .order_by()
    )
    return {row["enrolment_id"]: (row["confirmed"], row["total"]) for row in rows}


def trust_frameworks(trust: Organisation) -> list:
    """Frameworks the Trust offers, for filters."""
    return [offer.framework for offer in trust.framework_offers.select_related("framework")]


def trust_enrolment(trust: Organisation) -> QuerySet[Enrolment]:
    """One enrolment of the Trust, with what the educator pages show about it."""
    return trust.enrolments.select_related(
        "learner",
        "version__framework",
        "unit",
        "educator",
        "trust",
        "enrolled_by",
        "signed_off_by",
    )


def managed_enrolment(trust: Organisation) -> QuerySet[Enrolment]:
    """As trust_enrolment, also saying whether a newer published version exists, in the
    same query."""
    newer = FrameworkVersion.objects.filter(
        framework=OuterRef("framework"),
        state=FrameworkVersion.State.PUBLISHED,
        published_at__gt=OuterRef("version__published_at"),
    )
    return trust_enrolment(trust).annotate(has_newer_version=Exists(newer))


def enrolment_records(enrolment: Enrolment) -> list[ProficiencyRecord]:
    """The records of the enrolment's current version, in framework order, each with the
    decision that stands and who made it. One query for the records; each one's proficiency
    and section come from the version's, kept across requests (ADR 16). Needs
    `enrolment.version` loaded (`trust_enrolment` does)."""
    proficiencies = version_proficiencies(enrolment.version)
    records = list(
        ProficiencyRecord.objects.filter(
            enrolment=enrolment, proficiency__version=enrolment.version_id
        ).select_related("decision__assessor")
    )
    for record in records:
        record.proficiency = proficiencies[record.proficiency_id]
    records.sort(key=lambda r: (r.proficiency.section.position, r.proficiency.position, r.pk))
    return records


def version_proficiencies(version: FrameworkVersion) -> dict[int, Proficiency]:
    """The version's proficiencies by id, each with its section: kept across requests once
    the version is published, as they cannot change then (ADR 16), and made each time for a
    draft. The instances are shared between requests, to read only. A whole Step's 150
    records made five model instances each when they read these with the records."""
    return kept(
        ("proficiencies", version.kept_key),
        lambda: {
            proficiency.pk: proficiency
            for proficiency in Proficiency.objects.filter(version_id=version.pk).select_related(
                "section"
            )
        },
    )


def enrolment_history(enrolment: Enrolment) -> list:
    return list(enrolment.events.select_related("actor").order_by("-at", "-pk"))


def newer_versions(enrolment: Enrolment) -> list[FrameworkVersion]:
    """Published versions of the same framework published after the enrolment's version."""
    current = enrolment.version
    newer = FrameworkVersion.objects.filter(
        framework_id=current.framework_id, state=FrameworkVersion.State.PUBLISHED
    ).exclude(pk=current.pk)
    if current.published_at:
        newer = newer.filter(published_at__gt=current.published_at)
    return list(newer.select_related("framework").order_by("-published_at", "-pk"))


def latest_sign_off(enrolment: Enrolment) -> SignOffRequest | None:
    return (
        enrolment.sign_off_requests.select_related("decided_by", "educator")
        .order_by("-requested_at", "-pk")
        .first()
    )


# One record, read by staff


def record_detail(enrolment: Enrolment, record_id: int) -> QuerySet[ProficiencyRecord]:
    return enrolment.records.filter(pk=record_id).select_related("proficiency__section")


def record_evidence(record: ProficiencyRecord) -> list[Evidence]:
    return list(record.evidence.filter(removed_at__isnull=True).select_related("uploaded_by"))


def record_decisions(record: ProficiencyRecord) -> list[Decision]:
    """Every decision on the record, newest first, with its action plan and actions."""
    return list(
        record.decisions.select_related("assessor", "trust", "action_plan")
        .prefetch_related("action_plan__actions")
        .order_by("-at", "-pk")
    )


def record_history(record: ProficiencyRecord) -> list:
    return list(record.events.select_related("actor", "trust").order_by("-at", "-pk"))
