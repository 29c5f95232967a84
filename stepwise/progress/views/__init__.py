"""The journey's pages: learners in `learner.py`, assessors in `assessor.py`, educators in
`educator.py`."""

from stepwise.progress.views.assessor import review, to_review
from stepwise.progress.views.educator import enrol, enrolment_manage, sign_off
from stepwise.progress.views.learner import (
    enrolment,
    enrolment_history,
    evidence_download,
    mine,
    record,
    request_confirmation,
    section,
    sign_off_request,
)

__all__ = [
    "enrol",
    "enrolment",
    "enrolment_history",
    "enrolment_manage",
    "evidence_download",
    "mine",
    "record",
    "request_confirmation",
    "review",
    "section",
    "sign_off",
    "sign_off_request",
    "to_review",
]
