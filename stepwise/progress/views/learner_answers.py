"""Where the learner answers: the whole Step on one page (or a few, for a very long
framework), one section on its own, and every open action plan with the rejected
proficiencies to answer again. Each page is one form and one Save. Re-exported by
`views.learner`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.progress import services
from stepwise.progress.forms.learner import ActionPlansForm, SelfAssessmentForm
from stepwise.progress.presenters import learner as presenters
from stepwise.progress.presenters import learner_answers as answer_presenters
from stepwise.progress.presenters import learner_plans as plan_presenters
from stepwise.progress.presenters import learner_section as section_presenters
from stepwise.progress.queries import learner as queries
from stepwise.progress.views.kept_answers import (
    as_initial,
    keeps_answers,
    kept_answers,
    saved_reply,
    wants_json,
)
from stepwise.progress.views.learner_requests import form_data


def _own_enrolment(request, enrolment_id: int):
    enrolment = queries.own_enrolment_to_answer(request.user, enrolment_id)
    if enrolment is None:
        raise Http404("No such enrolment of yours")
    return enrolment


def _ask_href(enrolment) -> str:
    return reverse("progress:request_confirmation", args=[enrolment.pk])


def _save_answers(request, enrolment, form) -> int | None:
    """Send the form's answers to the service: how many changed, or None when the form or
    the service found a problem (its message is on the form)."""
    if not form.is_valid():
        return None
    try:
        return services.records_self_assess(
            enrolment=enrolment, by=request.user, answers=form.answers
        )
    except ConflictError as error:
        form.add_error(None, str(error))
        return None


def _answer_form(request, enrolment, records):
    return SelfAssessmentForm(
        form_data(request),
        records=records,
        version=enrolment.version,
        initial=as_initial(kept_answers(request)),
    )


@keeps_answers
def answers(request, enrolment_id: int):
    """Every proficiency of the Step, a row each, saved with one press."""
    enrolment = _own_enrolment(request, enrolment_id)
    sections = queries.section_progress(enrolment)
    pages = answer_presenters.answer_pages(sections)
    number = answer_presenters.page_number(request.GET.get("page"), len(pages))
    page = pages[number - 1] if pages else None
    records = queries.answer_records(enrolment, page.section_ids if page else [])
    form = _answer_form(request, enrolment, records)
    if request.method == "POST":
        changed = _save_answers(request, enrolment, form)
        if wants_json(request):
            return saved_reply(form, changed)
        if changed is not None:
            messages.success(request, section_presenters.saved_message(changed))
            then = request.POST.get("then")
            if then == "ask":
                return redirect(_ask_href(enrolment))
            if then == "next" and number < len(pages):
                return redirect(answer_presenters.answers_href(enrolment, number + 1))
            return redirect(request.get_full_path())
    rows = answer_presenters.answer_sections(enrolment, records, form)
    return render(
        request,
        "progress/learner/answers.jinja",
        {
            "enrolment": enrolment,
            "form": form,
            "sections": rows,
            "editable": answer_presenters.any_editable(rows),
            "read_only": presenters.read_only_message(enrolment),
            "page": page,
            "pages": len(pages),
            "links": answer_presenters.page_links(enrolment, pages, number),
            "has_next": number < len(pages),
            "version": enrolment.version,
            "stamp_params": answer_presenters.stamp_params(enrolment.version),
        },
    )


@keeps_answers
def section(request, enrolment_id: int, section_id: int):
    """One section of the Step, the same rows as the whole-Step page."""
    enrolment = _own_enrolment(request, enrolment_id)
    sections = queries.version_sections(enrolment)
    current = next((s for s in sections if s.pk == section_id), None)
    if current is None:
        raise Http404("No such section in this enrolment")
    records = queries.section_records(enrolment, current)
    neighbours = section_presenters.neighbours(enrolment, sections, current)
    form = _answer_form(request, enrolment, records)
    if request.method == "POST":
        changed = _save_answers(request, enrolment, form)
        if wants_json(request):
            return saved_reply(form, changed)
        if changed is not None:
            messages.success(request, section_presenters.saved_message(changed))
            # "Save and go to the next section": one tap, so nothing typed is left behind.
            if request.POST.get("then") == "next" and "next" in neighbours:
                return redirect(neighbours["next"]["href"])
            return redirect(request.path)
    rows = answer_presenters.answer_sections(enrolment, records, form)
    return render(
        request,
        "progress/learner/section.jinja",
        {
            "enrolment": enrolment,
            "section": current,
            "form": form,
            "sections": rows,
            "editable": answer_presenters.any_editable(rows),
            "read_only": presenters.read_only_message(enrolment),
            "ask_href": section_presenters.ask_for_section(enrolment, current, records),
            "neighbours": neighbours,
            "version": enrolment.version,
            "stamp_params": answer_presenters.stamp_params(enrolment.version),
        },
    )


@keeps_answers
def action_plans(request, enrolment_id: int):
    """Every open action plan: tick the actions done and answer the rejected proficiencies
    again, all with one Save (and, if wanted, straight on to asking for confirmation)."""
    enrolment = _own_enrolment(request, enrolment_id)
    plans = queries.open_plans(enrolment)
    records = plan_presenters.plan_records(plans)
    actions = [action for plan in plans for action in plan.actions.all()]
    kept = kept_answers(request)
    form = ActionPlansForm(
        form_data(request),
        records=records,
        version=enrolment.version,
        actions=actions,
        initial=as_initial(kept, lists=("done",)),
    )
    if request.method == "POST":
        saved = _save_plans(request, enrolment, form)
        if wants_json(request):
            return saved_reply(form, saved if saved is None else sum(saved))
        if saved is not None:
            done, changed = saved
            messages.success(request, plan_presenters.saved_message(changed, done))
            if request.POST.get("then") == "ask":
                return redirect(_ask_href(enrolment))
            return redirect(request.path)
    return render(
        request,
        "progress/learner/action_plans.jinja",
        {
            "enrolment": enrolment,
            "form": form,
            "items": plan_presenters.plan_items(enrolment, plans, form, timezone.localdate()),
            "read_only": presenters.read_only_message(enrolment),
            "version": enrolment.version,
            "stamp_params": answer_presenters.stamp_params(enrolment.version),
        },
    )


def _save_plans(request, enrolment, form) -> tuple[int, int] | None:
    """The actions ticked and the answers given, saved together by one service call: (actions
    marked done, answers changed), or None when the form or the service found a problem (its
    message is on the form, and nothing was saved)."""
    if not form.is_valid():
        return None
    try:
        return services.action_plans_answer(
            enrolment=enrolment, by=request.user, done=form.done, answers=form.answers
        )
    except ConflictError as error:
        form.add_error(None, str(error))
        return None
