"""Assessors' pages (educators use them too): what is waiting for review, and deciding a
request in one form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from stepwise.core import access_log
from stepwise.core.errors import ConflictError
from stepwise.core.page_urls import page_url
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.organisations.presenters import pagination
from stepwise.progress import guards
from stepwise.progress.forms.review import BlankPlan, ReviewForm, confirm_undecided
from stepwise.progress.models import ConfirmationRequest
from stepwise.progress.presenters import staff as presenters
from stepwise.progress.presenters import staff_review as review_presenters
from stepwise.progress.queries import staff as queries
from stepwise.progress.services import request_decide
from stepwise.progress.views.kept_answers import SESSION_KEY as KEPT_SESSION_KEY
from stepwise.progress.views.kept_answers import keeps_answers, kept_answers

PAGE_SIZE = 50
REVIEWERS = (Role.ASSESSOR, Role.EDUCATOR)


@role_required(*REVIEWERS)
def to_review(request, *, membership):
    now = timezone.now()
    waiting = queries.to_review(membership)
    counts = queries.to_review_counts(waiting, now)
    paginator = Paginator(queries.to_review_rows(waiting), PAGE_SIZE)
    paginator.count = counts["waiting"]  # counted just above: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    sign_offs = queries.sign_offs_waiting(membership.trust) if membership.is_educator else []
    return render(
        request,
        "progress/staff/to_review.jinja",
        {
            "counts": presenters.review_counts(counts),
            "rows": presenters.request_rows(
                page, viewer_id=request.user.pk, now=now, old_after=queries.OLD_REQUEST
            ),
            "pagination": pagination(page, request.GET.copy()),
            "sign_offs": presenters.sign_off_rows(sign_offs, now=now),
            "is_educator": membership.is_educator,
            "trust": membership.trust,
        },
    )


@keeps_answers
@role_required(*REVIEWERS)
def review(request, request_id: int, *, membership):
    confirmation = queries.trust_request(membership.trust, request_id)
    if confirmation is None:
        raise Http404("No such request at this Trust")
    if not queries.may_decide(membership, confirmation):
        raise PermissionDenied
    items = queries.review_items(confirmation)
    if request.method == "GET":
        access_log.record(
            request,
            what="Opened a request for confirmation",
            subject=confirmation.enrolment.learner_id,
            trust=confirmation.trust_id,
        )
    if confirmation.state != ConfirmationRequest.State.WAITING or not items:
        return _closed(request, confirmation)
    section_id = _section_to_confirm(request, items)
    kept = _kept_decisions(request)
    if section_id is not None:
        # "Confirm all in this section" without JavaScript: the page comes back with that
        # section filled in and everything else as it was; nothing is saved yet.
        data = confirm_undecided(request.POST, items, section_id=section_id)
        form = ReviewForm.as_typed(data, items=items, person=request.user)
    elif kept is not None:
        # Sent after the session ended: shown again to check and save, nothing saved yet.
        if "confirm_rest" in kept:
            kept = confirm_undecided(kept, items)
        form = ReviewForm.as_typed(kept, items=items, person=request.user)
    else:
        data = request.POST if request.method == "POST" else None
        if data is not None and "confirm_rest" in data:
            data = confirm_undecided(data, items)
        form = ReviewForm(data, items=items, person=request.user)
        if data is not None and form.is_valid() and _decide(request, confirmation, form):
            return redirect("progress:to_review")
    return render(
        request,
        "progress/staff/review.jinja",
        {
            "form": form,
            "errors": review_presenters.review_errors(form) if form.is_bound else [],
            "confirmation": confirmation,
            "sent": review_presenters.request_line(
                confirmation, viewer_id=request.user.pk, now=timezone.now()
            ),
            "intro": review_presenters.review_intro(len(items)),
            "counts": review_presenters.decision_counts(form),
            "sections": review_presenters.review_sections(items, form),
            "blank_plan": BlankPlan(),
            "back_link": {"href": page_url("progress:to_review"), "text": "Back to To review"},
            # Why the service would refuse this person's decisions (a Trust's training rule).
            "refusal": guards.refusal(
                person=request.user,
                trust_id=confirmation.trust_id,
                framework_id=confirmation.enrolment.version.framework_id,
                action=guards.StaffAction.DECIDE,
            ),
        },
    )


def _section_to_confirm(request, items) -> int | None:
    """The section whose "Confirm all" button was pressed, if it is one of this request's."""
    if request.method != "POST":
        return None
    chosen = request.POST.get("confirm_section", "")
    sections = {str(item.section_id) for item in items}
    return int(chosen) if chosen in sections else None


def _kept_decisions(request):
    """Decisions sent after the session ended and kept through signing in again (see
    kept_answers), for the person who made them only: the form says who that was, so
    someone else signing in on the same tablet finds nothing of theirs."""
    kept = request.session.get(KEPT_SESSION_KEY)
    if request.method == "GET" and isinstance(kept, dict):
        sent = kept.get("sent")
        mine = isinstance(sent, dict) and sent.get("reviewer") == [str(request.user.pk)]
        if not mine and kept.get("page") == request.get_full_path():
            del request.session[KEPT_SESSION_KEY]
            return None
    return kept_answers(request)


def _decide(request, confirmation, form) -> bool:
    """Save every decision in one go, or put what went wrong on the form and save nothing."""
    stale = form.shown_ids() - {item.record_id for item in form.items}
    if stale:
        decisions = queries.request_decisions(confirmation)
        form.add_error(None, presenters.decided_elsewhere(decisions, stale))
        return False
    data = form.cleaned_data
    try:
        decisions = request_decide(
            request=confirmation,
            by=request.user,
            registration_body=data["registration_body"],
            registration_number=data["registration_number"],
            items=form.decisions(),
        )
    except ValidationError as error:
        form.add_error("registration_number", error)
        return False
    except ConflictError as error:
        form.add_error(None, str(error))
        return False
    learner = confirmation.enrolment.learner.full_name
    messages.success(request, presenters.decided_message(decisions, learner))
    return True


def _closed(request, confirmation):
    """A request already decided or withdrawn: say by whom and when, and that a late
    submission saved nothing."""
    decisions = queries.request_decisions(confirmation)
    return render(
        request,
        "progress/staff/review_closed.jinja",
        {
            "confirmation": confirmation,
            "message": presenters.closed_message(confirmation, decisions),
            "not_saved": request.method == "POST",
            "decisions": presenters.request_decision_rows(decisions),
            "back_link": {"href": page_url("progress:to_review"), "text": "Back to To review"},
        },
    )
