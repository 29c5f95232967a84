"""A person's notifications: newest first, unread marked, and marking them all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stepwise.notifications import presenters
from stepwise.notifications.queries import notifications_of, unread_count
from stepwise.notifications.services import notifications_mark_read

PAGE_SIZE = 20


@login_required
def notification_list(request):
    page = Paginator(notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.jinja",
        {
            "rows": presenters.notification_rows(page),
            "showing": presenters.showing(page),
            "pagination": presenters.list_pagination(page),
            "unread": unread_count(request),
        },
    )


@require_POST
@login_required
def mark_all_read(request):
    marked = notifications_mark_read(person=request.user)
    if marked:
        noun = "notification" if marked == 1 else "notifications"
        messages.success(request, f"{marked} {noun} marked as read")
    else:
        messages.info(request, "There were no unread notifications")
    return redirect("notifications:list")
