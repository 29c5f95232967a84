from django.urls import path

from stepwise.progress import views
from stepwise.progress.views import move_proposals
from stepwise.progress.views import moving as moving_views

app_name = "progress"

urlpatterns = [
    # Learners
    path("my-proficiencies/", views.mine, name="mine"),
    path("enrolments/<int:enrolment_id>/", views.enrolment, name="enrolment"),
    path(
        "enrolments/<int:enrolment_id>/history/", views.enrolment_history, name="enrolment_history"
    ),
    path("enrolments/<int:enrolment_id>/answers/", views.learner.answers, name="answers"),
    path(
        "enrolments/<int:enrolment_id>/action-plans/",
        views.learner.action_plans,
        name="action_plans",
    ),
    path(
        "enrolments/<int:enrolment_id>/sections/<int:section_id>/",
        views.section,
        name="section",
    ),
    path(
        "enrolments/<int:enrolment_id>/proficiencies/<int:record_id>/",
        views.record,
        name="record",
    ),
    path(
        "enrolments/<int:enrolment_id>/ask/",
        views.request_confirmation,
        name="request_confirmation",
    ),
    path(
        "enrolments/<int:enrolment_id>/ask-for-sign-off/",
        views.sign_off_request,
        name="sign_off_request",
    ),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    # Learners: their own actions (stepwise/progress/views/learner.py)
    path("offers/<int:offer_id>/enrol/", views.learner.enrol_self, name="enrol_self"),
    path(
        "enrolments/<int:enrolment_id>/proficiencies/<int:record_id>/change-answer/",
        views.learner.record_reopen,
        name="record_reopen",
    ),
    path(
        "evidence/<int:evidence_id>/remove/", views.learner.evidence_remove, name="evidence_remove"
    ),
    path("actions/<int:action_id>/done/", views.learner.action_done, name="action_done"),
    path(
        "requests/<int:request_id>/withdraw/",
        views.learner.request_withdraw,
        name="request_withdraw",
    ),
    path(
        "enrolments/<int:enrolment_id>/ask-for-sign-off/withdraw/",
        views.learner.sign_off_withdraw,
        name="sign_off_withdraw",
    ),
    # Assessors
    path("to-review/", views.to_review, name="to_review"),
    path("to-review/<int:request_id>/", views.review, name="review"),
    # Educators
    path("enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:enrolment_id>/manage/", views.enrolment_manage, name="enrolment_manage"),
    path("enrolments/<int:enrolment_id>/sign-off/", views.sign_off, name="sign_off"),
    # Educators: the Trust's learners, and managing one enrolment (educator.py)
    path("learners/", views.educator.enrolments, name="enrolments"),
    path(
        "enrolments/<int:enrolment_id>/move/",
        views.educator.enrolment_move,
        name="enrolment_move",
    ),
    path(
        "enrolments/<int:enrolment_id>/withdraw/",
        views.educator.enrolment_withdraw_view,
        name="enrolment_withdraw",
    ),
    path(
        "learners/<int:enrolment_id>/proficiencies/<int:record_id>/",
        views.educator.staff_record,
        name="staff_record",
    ),
    # Moving Trust (views/moving.py): a learner's record at other Trusts, moving an open
    # enrolment here, and enrolments that moved away from this Trust.
    path(
        "people/<int:membership_id>/prior-record/",
        moving_views.prior_record,
        name="prior_record",
    ),
    path(
        "people/<int:membership_id>/prior-record/<int:enrolment_id>/move/",
        moving_views.move_trust,
        name="move_trust",
    ),
    path(
        "people/<int:membership_id>/prior-record/<int:enrolment_id>/move/withdraw/",
        moving_views.move_withdraw,
        name="move_withdraw",
    ),
    # Learners: a proposed move, confirmed or declined by the learner themselves.
    path("moves/<int:proposal_id>/", move_proposals.move_proposal, name="move_proposal"),
    path("moves/<int:proposal_id>/confirm/", move_proposals.move_confirm, name="move_confirm"),
    path("moves/<int:proposal_id>/decline/", move_proposals.move_decline, name="move_decline"),
    path("learners/moved-away/", moving_views.moved_away, name="moved_away"),
    path(
        "learners/moved-away/<int:enrolment_id>/",
        moving_views.moved_away_enrolment,
        name="moved_away_enrolment",
    ),
]
