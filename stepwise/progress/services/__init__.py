"""Every change to an enrolment or a proficiency record: one function each, one transaction,
a conditional update so that a race has exactly one winner, and an event row.

Import from here: `from stepwise.progress.services import records_self_assess`.
"""

from stepwise.progress.services.confirmation import (
    confirmation_request,
    confirmation_withdraw,
    decision_correct,
    request_decide,
)
from stepwise.progress.services.enrolment import (
    enrolment_change_details,
    enrolment_create,
    enrolment_move_version,
    enrolment_withdraw,
    enrolments_create,
)
from stepwise.progress.services.evidence import evidence_add, evidence_remove
from stepwise.progress.services.moving import (
    enrolment_move_confirm,
    enrolment_move_decline,
    enrolment_move_propose,
    enrolment_move_withdraw,
)
from stepwise.progress.services.self_assessment import (
    action_mark_done,
    action_plans_answer,
    record_reopen,
    records_self_assess,
)
from stepwise.progress.services.sign_off import (
    enrolment_sign_off,
    sign_off_request,
    sign_off_return,
    sign_off_withdraw,
)

__all__ = [
    "action_mark_done",
    "action_plans_answer",
    "confirmation_request",
    "confirmation_withdraw",
    "decision_correct",
    "enrolment_change_details",
    "enrolment_create",
    "enrolment_move_confirm",
    "enrolment_move_decline",
    "enrolment_move_propose",
    "enrolment_move_version",
    "enrolment_move_withdraw",
    "enrolment_sign_off",
    "enrolment_withdraw",
    "enrolments_create",
    "evidence_add",
    "evidence_remove",
    "record_reopen",
    "records_self_assess",
    "request_decide",
    "sign_off_request",
    "sign_off_return",
    "sign_off_withdraw",
]
