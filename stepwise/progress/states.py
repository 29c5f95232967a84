"""The proficiency journey as data: the states a record and an enrolment can be in and the
moves allowed.

The same declarations decide what the services accept and which buttons a page shows.
"""

from django.db import models


class RecordState(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ONGOING = "ongoing", "On going assessment"
    ACHIEVED = "achieved", "Achieved"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class RecordEventKind(models.TextChoices):
    SELF_ASSESSED = "self_assessed", "Self-assessed"
    CONFIRMATION_REQUESTED = "confirmation_requested", "Asked for confirmation"
    REQUEST_WITHDRAWN = "request_withdrawn", "Request withdrawn"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected with an action plan"
    REOPENED = "reopened", "Confirmed answer changed"
    CARRIED_OVER = "carried_over", "Carried over to a new version"
    NEEDS_REASSESSMENT = "needs_reassessment", "Needs assessing again in the new version"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    EVIDENCE_REMOVED = "evidence_removed", "Evidence removed"
    ACTION_DONE = "action_done", "Action marked done"
    PRIOR_ATTAINMENT = "prior_attainment", "Confirmed by recognised prior attainment"


# Where each move may start from. The self-assessment answer chooses between the two
# self-assessed states.
SELF_ASSESSABLE = [
    RecordState.NOT_STARTED,
    RecordState.ONGOING,
    RecordState.ACHIEVED,
    RecordState.REJECTED,
]
SELF_ASSESSED = [RecordState.ONGOING, RecordState.ACHIEVED]
# Moving to a new version carries a result over or starts it again, but not while it waits.
NOT_WAITING = [state for state in RecordState if state != RecordState.AWAITING_CONFIRMATION]
# Every kind of record event but ACTION_DONE, which is about an action of a plan, not the
# record. The services' conditional updates filter on these states, and the pages offer a
# button only where they allow it, so both agree.
MOVES: dict[str, list[str]] = {
    RecordEventKind.SELF_ASSESSED: SELF_ASSESSABLE,
    RecordEventKind.CONFIRMATION_REQUESTED: [RecordState.ACHIEVED],
    RecordEventKind.REQUEST_WITHDRAWN: [RecordState.AWAITING_CONFIRMATION],
    RecordEventKind.CONFIRMED: [RecordState.AWAITING_CONFIRMATION],
    RecordEventKind.REJECTED: [RecordState.AWAITING_CONFIRMATION],
    RecordEventKind.REOPENED: [RecordState.CONFIRMED],
    RecordEventKind.CARRIED_OVER: NOT_WAITING,
    RecordEventKind.NEEDS_REASSESSMENT: NOT_WAITING,
    # Evidence and prior attainment change only what is still the learner's own answer.
    RecordEventKind.EVIDENCE_ADDED: SELF_ASSESSABLE,
    RecordEventKind.EVIDENCE_REMOVED: SELF_ASSESSABLE,
    RecordEventKind.PRIOR_ATTAINMENT: SELF_ASSESSABLE,
}
# A decision is corrected (CONFIRMED or REJECTED again) while it stands: its record is
# confirmed or rejected by it.
CORRECTABLE = [RecordState.CONFIRMED, RecordState.REJECTED]


def can(kind: str, state: str) -> bool:
    return state in MOVES[kind]


class EnrolmentState(models.TextChoices):
    ACTIVE = "active", "In progress"
    SIGN_OFF_REQUESTED = "sign_off_requested", "Waiting for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_ENROLMENT_STATES = [EnrolmentState.ACTIVE, EnrolmentState.SIGN_OFF_REQUESTED]


class EnrolmentEventKind(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    DETAILS_CHANGED = "details_changed", "Due date or assessors changed"
    VERSION_CHANGED = "version_changed", "Moved to a new framework version"
    SIGN_OFF_REQUESTED = "sign_off_requested", "Asked for final sign-off"
    SIGN_OFF_WITHDRAWN = "sign_off_withdrawn", "Sign-off request withdrawn"
    SIGN_OFF_RETURNED = "sign_off_returned", "Returned with comments"
    SIGNED_OFF = "signed_off", "Signed off"
    WITHDRAWN = "withdrawn", "Withdrawn"
    MOVED_TRUST = "moved_trust", "Moved to another Trust"


# Every kind of enrolment event but ENROLLED, which starts a new enrolment (ACTIVE).
ENROLMENT_MOVES: dict[str, list[str]] = {
    EnrolmentEventKind.DETAILS_CHANGED: OPEN_ENROLMENT_STATES,
    EnrolmentEventKind.VERSION_CHANGED: [EnrolmentState.ACTIVE],
    EnrolmentEventKind.SIGN_OFF_REQUESTED: [EnrolmentState.ACTIVE],
    EnrolmentEventKind.SIGN_OFF_WITHDRAWN: [EnrolmentState.SIGN_OFF_REQUESTED],
    EnrolmentEventKind.SIGN_OFF_RETURNED: [EnrolmentState.SIGN_OFF_REQUESTED],
    EnrolmentEventKind.SIGNED_OFF: [EnrolmentState.SIGN_OFF_REQUESTED],
    EnrolmentEventKind.WITHDRAWN: OPEN_ENROLMENT_STATES,
    EnrolmentEventKind.MOVED_TRUST: OPEN_ENROLMENT_STATES,
}


def enrolment_can(kind: str, state: str) -> bool:
    return state in ENROLMENT_MOVES[kind]
