"""Assessors' pages (educators use them too): what is waiting for review, and deciding a
request in one form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.organisations.presenters import pagination
from stepwise.progress.forms.staff import ReviewForm
from stepwise.progress.models import ConfirmationRequest
from stepwise.progress.presenters import staff as presenters
from stepwise.progress.queries import staff as queries
from stepwise.progress.services import request_decide

PAGE_SIZE = 50
REVIEWERS = (Role.ASSESSOR, Role.EDUCATOR)


@role_required(*REVIEWERS)
def to_review(request, *, membership):
    now = timezone.now()
    waiting = queries.to_review(membership)
    counts = queries.to_review_counts(waiting, now)
    paginator = Paginator(waiting, PAGE_SIZE)
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


@role_required(*REVIEWERS)
def review(request, request_id: int, *, membership):
    confirmation = get_object_or_404(queries.trust_requests(membership.trust), pk=request_id)
    if not queries.may_decide(membership, confirmation):
        raise PermissionDenied
    items = queries.review_items(confirmation)
    if confirmation.state != ConfirmationRequest.State.WAITING or not items:
        return _closed(request, confirmation)
    form = ReviewForm(request.POST or None, items=items, person=request.user)
    if request.method == "POST" and form.is_valid() and _decide(request, confirmation, form):
        return redirect("progress:to_review")
    return render(
        request,
        "progress/staff/review.jinja",
        {
            "form": form,
            "confirmation": confirmation,
            "summary": presenters.request_summary(
                confirmation, viewer_id=request.user.pk, now=timezone.now()
            ),
            "items": presenters.review_items(items, form),
            "back_link": {"href": reverse("progress:to_review"), "text": "Back to To review"},
        },
    )


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
            "back_link": {"href": reverse("progress:to_review"), "text": "Back to To review"},
        },
    )
