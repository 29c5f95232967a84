"""A version's way to learners: sent for review, commented on, approved or returned, then
published, and one day retired."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stepwise.core.errors import ConflictError
from stepwise.frameworks import queries, rules, services
from stepwise.frameworks.diff import version_diff
from stepwise.frameworks.forms import CommentForm, NoteForm, ReturnForm, add_service_errors
from stepwise.frameworks.presenters import content, versions
from stepwise.frameworks.presenters.common import state_tag, version_href, version_name
from stepwise.frameworks.rules import Action
from stepwise.frameworks.views._lookup import back_to_version, posted, refusal, version_for


def _refused(request, error):
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


@login_required
@require_POST
def version_submit(request, slug: str, version_id: int):
    version, access = version_for(request, slug, version_id)
    if refused := refusal(request, version, access, Action.SUBMIT):
        return refused
    try:
        services.version_submit_for_review(version=version, by=request.user)
    except (ValidationError, ConflictError) as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            f"{version_name(version)} has been sent for review. It cannot be changed unless a "
            "reviewer returns it to draft",
        )
    return back_to_version(version)


def _review_page(request, version, access, form):
    allowed = rules.version_actions(version, access)
    return render(
        request,
        "frameworks/review.jinja",
        {
            "version": version,
            "name": version_name(version),
            "state": state_tag(version),
            "form": form if Action.COMMENT in allowed else None,
            "may_approve": Action.APPROVE in allowed,
            "may_return": Action.RETURN in allowed,
            "may_publish": Action.PUBLISH in allowed,
            "notice": versions.review_notice(version, queries.last_review_outcome(version)),
            "comments": versions.comment_items(queries.review_comments(version)),
            "history": versions.history_rows(queries.version_events(version)),
        },
    )


@login_required
def version_review(request, slug: str, version_id: int):
    """Comments and history for everyone working on the framework; approval for reviewers."""
    version, access = version_for(request, slug, version_id)
    if request.method != "POST":
        return _review_page(request, version, access, CommentForm())
    if refused := refusal(request, version, access, Action.COMMENT):
        return refused
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.review_comment_add(
                version=version, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            _refused(request, error)
            return back_to_version(version)
        else:
            messages.success(request, "Your comment has been added")
            return redirect(version_href(version, "frameworks:review") + "#comments")
    return _review_page(request, version, access, form)


@login_required
@require_POST
def version_approve(request, slug: str, version_id: int):
    version, access = version_for(request, slug, version_id)
    if refused := refusal(request, version, access, Action.APPROVE):
        return refused
    try:
        services.version_approve(version=version, by=request.user)
    except ConflictError as error:
        _refused(request, error)
    else:
        messages.success(request, f"{version_name(version)} has been approved for publication")
    return back_to_version(version)


@login_required
def version_return(request, slug: str, version_id: int):
    version, access = version_for(request, slug, version_id)
    if refused := refusal(request, version, access, Action.RETURN):
        return refused
    form = ReturnForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.version_return(
                version=version, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except ConflictError as error:
            _refused(request, error)
            return back_to_version(version)
        else:
            messages.success(
                request, f"{version_name(version)} has been returned to draft with your comment"
            )
            return back_to_version(version)
    return render(
        request,
        "frameworks/return.jinja",
        {"form": form, "version": version, "name": version_name(version)},
    )


@login_required
def version_publish(request, slug: str, version_id: int):
    version, access = version_for(request, slug, version_id)
    if refused := refusal(request, version, access, Action.PUBLISH):
        return refused
    if request.method == "POST":
        try:
            services.version_publish(version=version, by=request.user)
        except ConflictError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                f"{version_name(version)} of {version.framework.title} has been published",
            )
        return back_to_version(version)
    previous = version.based_on
    changes = (
        content.changes_page(version_diff(previous, version), old=previous, new=version)
        if previous
        else None
    )
    return render(
        request,
        "frameworks/publish.jinja",
        {"version": version, "name": version_name(version), "changes": changes},
    )


@login_required
def version_retire(request, slug: str, version_id: int):
    version, access = version_for(request, slug, version_id)
    if refused := refusal(request, version, access, Action.RETIRE):
        return refused
    form = NoteForm(
        posted(request),
        help_text="Kept in the version's history, for example Replaced by 2.0.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_retire(
                version=version, by=request.user, note=form.cleaned_data["note"]
            )
        except ConflictError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                f"{version_name(version)} has been retired. Learners already enrolled on it "
                "carry on",
            )
        return back_to_version(version)
    return render(
        request,
        "frameworks/retire.jinja",
        {"form": form, "version": version, "name": version_name(version)},
    )
