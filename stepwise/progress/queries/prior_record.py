"""Reading across Trusts when a learner moves (ADR 0003: explicit queries, each rule in one
place, each with its own tests). Everything else in the journey starts from
`membership.trust.enrolments`; only these functions look further, and only this far:

a/e  `current_member`: a learner's record at other Trusts is open to a Trust's staff only
     while the learner is a current member of that Trust; anyone else is nothing (a 404).
a    `prior_enrolments`: their enrolments everywhere but here, read-only.
b    `moved_away`: an enrolment that left a Trust stays open to it, read-only, showing what
     happened there (`part_at`) and the state it left in (`records_when_left`), nothing after.
c    needs nothing here: an enrolment that never moved stays in `trust.enrolments`.
d    a Trust the learner was never at matches none of these.
f    the learner's own pages start from the learner (queries/learner.py), wherever they are.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)

from stepwise.organisations.models import Membership, Organisation
from stepwise.progress.models import (
    Decision,
    Enrolment,
    EnrolmentEvent,
    MoveProposal,
    ProficiencyRecord,
    RecordEvent,
)
from stepwise.progress.states import OPEN_ENROLMENT_STATES, EnrolmentEventKind, RecordEventKind

# --- Rule a/e: the learner must be here now --------------------------------------------------


def current_member(trust: Organisation) -> QuerySet[Membership]:
    """The Trust's current memberships: the only way to a person's record elsewhere. An
    ended membership, or another Trust's, is not found."""
    return trust.memberships.current().select_related("person", "unit", "trust")


# --- Rule a: the learner's enrolments at other Trusts ----------------------------------------


def prior_enrolments(trust: Organisation, person) -> list[Enrolment]:
    """The learner's enrolments at every other Trust (including Trusts they have left), open
    ones first, each with `shown`: its records of the current version in framework order,
    with the decision that stands and where it was made; its certificate; and, if this
    Trust has proposed moving it and the learner has not answered, `move_proposed_at` and
    `move_proposed_by`. Two queries however many enrolments and proficiencies."""
    waiting = MoveProposal.objects.filter(
        enrolment=OuterRef("pk"), to_trust=trust, state=MoveProposal.State.WAITING
    ).order_by("-proposed_at", "-pk")
    records = (
        ProficiencyRecord.objects.filter(proficiency__version=F("enrolment__version"))
        .select_related("proficiency__section", "decision__assessor", "decision__trust")
        .order_by("proficiency__section__position", "proficiency__position", "pk")
    )
    return list(
        Enrolment.objects.filter(learner=person)
        .exclude(trust=trust)
        .select_related(
            "version__framework", "trust", "unit", "educator", "signed_off_by", "certificate"
        )
        .prefetch_related(Prefetch("records", queryset=records, to_attr="shown"))
        .annotate(
            rank=Case(
                When(state__in=OPEN_ENROLMENT_STATES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            move_proposed_at=Subquery(waiting.values("proposed_at")[:1]),
            move_proposed_by=Subquery(waiting.values("proposed_by__full_name")[:1]),
        )
        .order_by("rank", "-enrolled_at", "-pk")
    )


def learner_memberships(person, trust_ids) -> dict[int, Membership]:
    """The learner's latest membership of each of these Trusts, to say whether they are
    still there or left (and when). Only memberships that began: an invitation they never
    accepted (open, declined or withdrawn) was never a membership, and is nobody else's
    business. One query."""
    latest: dict[int, Membership] = {}
    for membership in (
        Membership.objects.started()
        .filter(person=person, trust_id__in=set(trust_ids))
        .order_by("trust_id", "created_at", "pk")
    ):
        latest[membership.trust_id] = membership
    return latest


def movable_enrolment(person) -> QuerySet[Enrolment]:
    """One of the learner's own enrolments, wherever it is: the move page looks it up here
    after finding the learner among its Trust's current members, and the service decides
    whether it may move."""
    return Enrolment.objects.filter(learner=person).select_related(
        "version__framework", "trust", "unit", "educator", "learner"
    )


# --- Rule b: an enrolment that left this Trust -----------------------------------------------


def _left(trust: Organisation) -> QuerySet[EnrolmentEvent]:
    return EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.MOVED_TRUST, trust=trust)


def moved_away(trust: Organisation) -> QuerySet[Enrolment]:
    """Enrolments that moved from this Trust to another and are not back: the old Trust may
    open them, read-only. An enrolment that never moved is not here (it is still the
    Trust's own), and neither is anything of a Trust it never was at. Each comes with
    `left_at` and its `moves` (every MOVED_TRUST event, oldest first, in one more query)."""
    moves = (
        EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.MOVED_TRUST)
        .select_related("actor", "trust")
        .order_by("at", "pk")
    )
    return (
        Enrolment.objects.filter(Exists(_left(trust).filter(enrolment=OuterRef("pk"))))
        .exclude(trust=trust)
        .select_related("learner", "version__framework", "framework", "trust")
        .prefetch_related(Prefetch("events", queryset=moves, to_attr="moves"))
        .annotate(
            left_at=Subquery(
                _left(trust)
                .filter(enrolment=OuterRef("pk"))
                .order_by("-at", "-pk")
                .values("at")[:1]
            )
        )
        .order_by("-left_at", "-pk")
    )


@dataclass(frozen=True)
class Departure:
    """When the enrolment last left a Trust, who moved it (`event.actor`), and where it
    went."""

    event: EnrolmentEvent
    to_trust: Organisation

    @property
    def at(self) -> datetime:
        return self.event.at


def departure(trust_id: int, enrolment: Enrolment) -> Departure | None:
    """The last move away from this Trust, from an enrolment of `moved_away` (no query). The
    destination is where the next move started from (the event is written at the Trust
    left), or where the enrolment is now."""
    moves = enrolment.moves
    index = max((i for i, move in enumerate(moves) if move.trust_id == trust_id), default=None)
    if index is None:
        return None
    later = moves[index + 1] if index + 1 < len(moves) else None
    return Departure(event=moves[index], to_trust=later.trust if later else enrolment.trust)


def part_at(trust: Organisation, enrolment: Enrolment) -> list[EnrolmentEvent]:
    """The enrolment's history at this Trust only, newest first."""
    return list(enrolment.events.filter(trust=trust).select_related("actor").order_by("-at", "-pk"))


def decisions_until(enrolment: Enrolment, until: datetime) -> list[Decision]:
    """Every decision on the enrolment up to the moment it left, oldest first, with who made
    it and where: the page lists those made at the old Trust, and from all of them finds the
    one standing on each record then. One query."""
    return list(
        Decision.objects.filter(record__enrolment=enrolment, at__lte=until)
        .select_related("assessor", "trust", "record__proficiency")
        .order_by("at", "pk")
    )


def records_when_left(enrolment: Enrolment, until: datetime) -> list[ProficiencyRecord]:
    """The enrolment's records as they stood when it left, each with `state_then` read from
    the events up to that moment. Records made after it left (new proficiencies of a later
    version) are not shown. One query."""
    then = (
        RecordEvent.objects.filter(record=OuterRef("pk"), at__lte=until)
        .exclude(to_state="")
        .order_by("-at", "-pk")
        .values("to_state")[:1]
    )
    made_later = RecordEvent.objects.filter(
        record=OuterRef("pk"),
        kind=RecordEventKind.NEEDS_REASSESSMENT,
        from_state="",
        at__gt=until,
    )
    return list(
        ProficiencyRecord.objects.filter(
            enrolment=enrolment, proficiency__version=enrolment.version_id
        )
        .exclude(Exists(made_later))
        .annotate(state_then=Subquery(then))
        .select_related("proficiency__section")
        .order_by("proficiency__section__position", "proficiency__position", "pk")
    )
