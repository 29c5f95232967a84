"""Answering a form: only someone it was sent to, only its published version, only once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from stepwise.core.errors import ConflictError
from stepwise.feedback import queries
from stepwise.feedback.answering import AnswerForm
from stepwise.feedback.models import Form
from stepwise.feedback.services import answer
from stepwise.organisations.access import current_membership


@login_required
def answer_form(request, slug: str):
    form = get_object_or_404(Form, slug=slug)
    version = queries.published_version(form)
    if version is None or not queries.is_aimed_at(form, request.user):
        raise Http404
    if queries.has_answered(request.user, form):
        return render(request, "feedback/answered.jinja", {"feedback_form": form, "already": True})
    questions = queries.questions_of(version)
    posted = request.POST if request.method == "POST" else None
    answers = AnswerForm(posted, questions=questions)
    if request.method == "POST" and answers.is_valid():
        try:
            answer(
                person=request.user,
                version=version,
                given=answers.given(),
                membership=current_membership(request),
            )
        except ConflictError as conflict:
            messages.warning(request, str(conflict))
            return redirect("feedback:answer", slug=form.slug)
        return redirect("feedback:answered", slug=form.slug)
    return render(
        request,
        "feedback/answer.jinja",
        {"feedback_form": form, "version": version, "form": answers},
    )


@login_required
def answered(request, slug: str):
    form = get_object_or_404(Form, slug=slug)
    if not queries.has_answered(request.user, form):
        raise Http404
    return render(request, "feedback/answered.jinja", {"feedback_form": form, "already": False})
