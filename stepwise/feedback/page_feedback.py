"""'Was this page helpful?': what people say about a page, and the team marking it handled.

Kept apart from who said it: the row has the page, the role they were working in and their
words, never their account."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from stepwise.core.errors import ConflictError
from stepwise.feedback.models import PageFeedback, PageFeedbackEvent
from stepwise.organisations.access import current_membership

PAGE_MAX = 300


def page_of(address: str) -> str:
    """The page named in the link, if it is one of ours (a path on this site), else ''."""
    address = (address or "").strip()
    if (
        not address.startswith("/")
        or len(address) > PAGE_MAX
        or not url_has_allowed_host_and_scheme(address, allowed_hosts=None)
    ):
        return ""
    return address


def role_of(request) -> str:
    """The role the person was working in, in words."""
    membership = current_membership(request)
    if membership is not None:
        return membership.role_names
    if request.user.is_platform_admin:
        return "Platform administrator"
    if request.user.is_framework_author:
        return "Framework author"
    return "No role"


def page_feedback_give(*, page: str, role: str, helpful: bool | None, text: str) -> PageFeedback:
    return PageFeedback.objects.create(
        page=page_of(page), role=role[:60], helpful=helpful, text=text
    )


def page_feedback_mark(*, feedback: PageFeedback, by, handled: bool) -> PageFeedback:
    """Mark handled (or open again); a second person doing the same is told who did."""
    with transaction.atomic():
        if handled:
            changed = PageFeedback.objects.filter(pk=feedback.pk, handled_at__isnull=True).update(
                handled_at=timezone.now(), handled_by=by
            )
        else:
            changed = PageFeedback.objects.filter(pk=feedback.pk, handled_at__isnull=False).update(
                handled_at=None, handled_by=None
            )
        if not changed:
            raise ConflictError(
                "Someone else has already marked this feedback "
                + ("handled." if handled else "not handled.")
            )
        PageFeedbackEvent.write(
            kind=PageFeedbackEvent.Kind.HANDLED if handled else PageFeedbackEvent.Kind.REOPENED,
            actor=by,
            feedback=feedback,
            from_state="handled" if not handled else "open",
            to_state="handled" if handled else "open",
        )
    feedback.refresh_from_db()
    return feedback


def page_feedback_filtered(*, state: str, page: str, role: str) -> QuerySet[PageFeedback]:
    rows = PageFeedback.objects.select_related("handled_by")
    if state == "open":
        rows = rows.filter(handled_at__isnull=True)
    elif state == "handled":
        rows = rows.filter(handled_at__isnull=False)
    if page:
        rows = rows.filter(page__icontains=page)
    if role:
        rows = rows.filter(role__icontains=role)
    return rows.order_by("-created_at", "-pk")
