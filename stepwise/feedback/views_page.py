"""Page feedback: anyone signed in tells the team about a page; the team reads it, filters it
and marks it handled."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stepwise.core.errors import ConflictError
from stepwise.core.pagination import pagination
from stepwise.core.throttle import Limit, attempt
from stepwise.feedback.models import PageFeedback
from stepwise.feedback.page_feedback import (
    page_feedback_filtered,
    page_feedback_give,
    page_feedback_mark,
    page_of,
    role_of,
)
from stepwise.organisations.access import platform_admin_required

# Enough for anyone with something to say; not enough to flood the team's list.
PER_PERSON_PER_HOUR = Limit("page_feedback", 20, 3600)
PAGE_SIZE = 25


class GiveForm(forms.Form):
    page = forms.CharField(required=False, widget=forms.HiddenInput)
    helpful = forms.ChoiceField(
        label="Was this page helpful?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(
        label="What could be better about this page?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Do not include names or other personal details. The team does not reply.",
        error_messages={
            "required": "Enter what could be better about this page",
            "max_length": "Feedback must be 2000 characters or fewer",
        },
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Show",
        choices=[("open", "Not handled"), ("handled", "Handled"), ("all", "All")],
        required=False,
    )
    address = forms.CharField(label="Page address contains", required=False, max_length=300)
    role = forms.CharField(label="Role contains", required=False, max_length=60)


@login_required
def give(request):
    posted = request.POST if request.method == "POST" else None
    form = GiveForm(posted, initial={"page": request.GET.get("page", "")})
    page = page_of(posted.get("page", "") if posted else request.GET.get("page", ""))
    if form.is_valid():
        if attempt((PER_PERSON_PER_HOUR, str(request.user.pk))).refused:
            form.add_error(None, "You have sent a lot of feedback this hour. Try again later.")
        else:
            helpful = form.cleaned_data["helpful"]
            page_feedback_give(
                page=page,
                role=role_of(request),
                helpful={"yes": True, "no": False}.get(helpful),
                text=form.cleaned_data["text"],
            )
            messages.success(request, "Thank you: your feedback was sent to the Stepwise team")
            return redirect(page or "core:home")
    return render(
        request,
        "feedback/page_feedback.jinja",
        {"form": form, "page": page, "back_link": {"href": page} if page else None},
    )


@platform_admin_required
def feedback_list(request):
    filters = FilterForm(request.GET)
    filters.is_valid()
    chosen = {
        "state": filters.cleaned_data.get("state") or "open",
        "page": filters.cleaned_data.get("address") or "",
        "role": filters.cleaned_data.get("role") or "",
    }
    rows = page_feedback_filtered(**chosen)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/page_feedback_list.jinja",
        {
            "filters": filters,
            "chosen": chosen,
            "rows": page,
            "pagination": pagination(page, request.GET),
            "back_link": {"href": reverse("feedback:team"), "text": "Back to feedback"},
        },
    )


@require_POST
@platform_admin_required
def mark_handled(request, feedback_id: int):
    feedback = get_object_or_404(PageFeedback, pk=feedback_id)
    handled = request.POST.get("handled") != "no"
    try:
        page_feedback_mark(feedback=feedback, by=request.user, handled=handled)
    except ConflictError as conflict:
        messages.warning(request, str(conflict))
    else:
        messages.success(request, "Marked handled" if handled else "Marked not handled")
    back = request.POST.get("next", "")
    return redirect(back if page_of(back).startswith("/evaluation/page-feedback/") else
                    "feedback:page_feedback_list")  # fmt: skip
