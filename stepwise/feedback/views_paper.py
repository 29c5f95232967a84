"""Paper copies: a blank form to print, and typing in the answers people wrote on it."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.feedback import queries
from stepwise.feedback.answering import AnswerForm
from stepwise.feedback.models import Form
from stepwise.feedback.services import enter_paper as enter_paper_answers
from stepwise.feedback.views_results import published_or_404
from stepwise.organisations.access import platform_admin_required
from stepwise.organisations.models import Organisation


class PaperTrustForm(forms.Form):
    trust = forms.ModelChoiceField(
        label="Trust the paper copy came from",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.TRUST).order_by("name"),
        required=False,
        empty_label="Not known",
        error_messages={"invalid_choice": "Select a Trust from the list"},
    )


@platform_admin_required
def print_blank(request, form_id: int):
    form = get_object_or_404(Form, pk=form_id)
    version = published_or_404(form)
    return render(
        request,
        "feedback/print.jinja",
        {
            "feedback_form": form,
            "version": version,
            "questions": queries.questions_of(version),
            "back_link": {"href": reverse("feedback:team_form", args=[form.pk]), "text": "Back"},
        },
    )


@platform_admin_required
def enter_paper(request, form_id: int):
    form = get_object_or_404(Form, pk=form_id)
    version = published_or_404(form)
    posted = request.POST if request.method == "POST" else None
    answers = AnswerForm(posted, questions=queries.questions_of(version))
    where = PaperTrustForm(posted)
    if posted is not None and answers.is_valid() and where.is_valid():
        try:
            enter_paper_answers(
                by=request.user,
                version=version,
                given=answers.given(),
                trust=where.cleaned_data["trust"],
            )
        except ConflictError as conflict:
            messages.warning(request, str(conflict))
        else:
            messages.success(request, "Paper answers saved. Type in the next copy below.")
        return redirect("feedback:paper", form_id=form.pk)
    return render(
        request,
        "feedback/paper.jinja",
        {
            "feedback_form": form,
            "form": answers,
            "where": where,
            "error_forms": [where, answers],
            "back_link": {"href": reverse("feedback:team_form", args=[form.pk]), "text": "Back"},
        },
    )
