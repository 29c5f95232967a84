"""The learner's pages: their enrolments at any Trust, each section and proficiency, evidence,
asking for confirmation and for sign-off, and the history.

Every lookup starts from the signed-in person (`queries.learner.own_*`), so someone else's
enrolment, record, evidence or request is a 404. Changes go through the services, whose
ConflictError messages are shown as they are."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from stepwise.core import access_log
from stepwise.core.errors import ConflictError
from stepwise.organisations.access import current_membership
from stepwise.organisations.presenters import pagination
from stepwise.progress import services
from stepwise.progress.forms.learner import EvidenceForm, RecordFilterForm, SelfEnrolForm
from stepwise.progress.presenters import learner as presenters
from stepwise.progress.presenters import learner_history as history_presenters
from stepwise.progress.presenters import learner_record as record_presenters
from stepwise.progress.queries import learner as queries
from stepwise.progress.services.evidence import CONTENT_TYPES, EvidenceError
from stepwise.progress.views.learner_answers import action_plans, answers, section
from stepwise.progress.views.learner_requests import (
    form_data,
    own_enrolment_or_404,
    request_confirmation,
    request_withdraw,
    sign_off_request,
    sign_off_withdraw,
)

__all__ = [
    "action_done",
    "action_plans",
    "answers",
    "enrol_self",
    "enrolment",
    "enrolment_history",
    "evidence_download",
    "evidence_remove",
    "mine",
    "record",
    "record_reopen",
    "request_confirmation",
    "request_withdraw",
    "section",
    "sign_off_request",
    "sign_off_withdraw",
]

logger = logging.getLogger(__name__)
HISTORY_PAGE_SIZE = 50


def _own_record(request, enrolment_id: int, record_id: int):
    return get_object_or_404(
        queries.own_records(request.user), enrolment_id=enrolment_id, pk=record_id
    )


def _record_url(record) -> str:
    return reverse("progress:record", args=[record.enrolment_id, record.pk])


@login_required
def mine(request):
    enrolments = queries.my_enrolments(request.user)
    offered = list(queries.own_offers(request.user))
    versions = queries.latest_versions({offer.framework_id for offer in offered})
    open_frameworks = {e.framework_id for e in enrolments if e.is_open}
    return render(
        request,
        "progress/learner/mine.jinja",
        {
            "cards": presenters.enrolment_cards(enrolments, timezone.localdate()),
            "offers": presenters.offers(offered, versions, open_frameworks),
        },
    )


@login_required
def enrol_self(request, offer_id: int):
    offer = get_object_or_404(queries.own_offers(request.user), pk=offer_id)
    version = queries.latest_versions([offer.framework_id]).get(offer.framework_id)
    if version is None:
        raise Http404("No published version to enrol on")
    educators = queries.trust_educators(offer.trust, excluding=request.user)
    form = SelfEnrolForm(form_data(request), people=presenters.person_choices(educators))
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(
                learner=request.user,
                version=version,
                trust=offer.trust,
                educator=form.chosen_educator(),
                by=request.user,
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"You are enrolled on {version}. Good luck")
            return redirect("progress:enrolment", enrolment.pk)
    return render(
        request,
        "progress/learner/enrol_self.jinja",
        {"form": form, "offer": offer, "version": version, "has_educators": bool(educators)},
    )


@login_required
@require_safe
def enrolment(request, enrolment_id: int):
    enrolment = own_enrolment_or_404(request, enrolment_id)
    sections = queries.section_progress(enrolment)
    form = RecordFilterForm(request.GET or None)
    filters = form.filters()
    found = queries.find_records(enrolment, **filters) if filters is not None else None
    done = presenters.completion_of(enrolment, sections)
    actions = queries.open_actions(enrolment)
    today = timezone.localdate()
    return render(
        request,
        "progress/learner/enrolment.jinja",
        {
            "enrolment": enrolment,
            "form": form,
            "details": presenters.enrolment_details(enrolment, today),
            "read_only": presenters.read_only_message(enrolment),
            "bar": presenters.overall_bar(sections),
            "sections": presenters.section_rows(enrolment, sections),
            "count_headings": presenters.count_headings(),
            "actions": presenters.action_rows(enrolment, actions, today),
            "found": None if found is None else presenters.record_rows(enrolment, found),
            "completion": presenters.completion_text(done),
            "next_steps": presenters.next_steps(
                enrolment,
                achieved=presenters.any_achieved(sections),
                complete=done["complete"],
                answerable=presenters.any_answerable(sections),
                plans=bool(actions) or presenters.any_rejected(sections),
            ),
            "certificate_href": presenters.certificate_href(enrolment),
            "credential_href": presenters.credential_href(enrolment),
        },
    )


@login_required
@require_safe
def enrolment_history(request, enrolment_id: int):
    enrolment = own_enrolment_or_404(request, enrolment_id)
    page = Paginator(queries.history_keys(enrolment), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "progress/learner/history.jinja",
        {
            "enrolment": enrolment,
            "items": history_presenters.history_items(enrolment, queries.history_rows(page)),
            "count": page.paginator.count,
            "pagination": pagination(page, request.GET.copy()),
        },
    )


@login_required
def record(request, enrolment_id: int, record_id: int):
    record = _own_record(request, enrolment_id, record_id)
    enrolment = record.enrolment
    form = EvidenceForm(form_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        added = _add_evidence(request, record, form)
        if added:
            messages.success(request, record_presenters.added_message(record, added))
        if not form.errors:
            return redirect(request.path)
    today = timezone.localdate()
    return render(
        request,
        "progress/learner/record.jinja",
        {
            "enrolment": enrolment,
            "record": record,
            "proficiency": record.proficiency,
            "form": form,
            "details": record_presenters.record_details(enrolment, record),
            "read_only": presenters.read_only_message(enrolment),
            "may_add_evidence": presenters.may_change_evidence(enrolment, record),
            "evidence": record_presenters.evidence_rows(
                enrolment, record, queries.record_evidence(record)
            ),
            "plans": record_presenters.plan_views(
                enrolment, record, queries.record_action_plans(record), today
            ),
            "decisions": record_presenters.decision_rows(queries.record_decisions(record)),
            "history": history_presenters.record_history_items(queries.record_history(record)),
            "links": record_presenters.record_links(enrolment, record),
        },
    )


def _add_evidence(request, record, form) -> list[str]:
    """Each file through the service, in turn: the names added. A file refused gets its
    message on its field and the rest are still tried, so one bad file loses nothing else."""
    added = []
    for name, upload in form.uploads():
        try:
            services.evidence_add(record=record, by=request.user, upload=upload)
        except EvidenceError as error:
            form.add_error(name, f"{upload.name}: {error}")
        except ConflictError as error:
            form.add_error(None, str(error))
            break
        else:
            added.append(upload.name)
    return added


@login_required
def record_reopen(request, enrolment_id: int, record_id: int):
    """Change a confirmed answer, after a warning: the confirmation stays in the history."""
    record = _own_record(request, enrolment_id, record_id)
    if request.method == "POST":
        try:
            services.record_reopen(record=record, by=request.user)
        except ConflictError as error:
            messages.error(request, str(error))
            return redirect(_record_url(record))
        messages.success(request, record_presenters.reopened_message(record))
        return redirect(record_presenters.section_anchor(record))
    refusal = record_presenters.reopen_refusal(record.enrolment, record)
    if refusal:
        messages.error(request, refusal)
        return redirect(_record_url(record))
    return render(
        request,
        "progress/learner/record_reopen.jinja",
        {"record": record, "enrolment": record.enrolment, "cancel_href": _record_url(record)},
    )


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = get_object_or_404(queries.own_evidence(request.user), pk=evidence_id)
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{evidence.original_name} has been removed. It stays in this proficiency's history",
        )
    return redirect(_record_url(evidence.record))


@login_required
@require_POST
def action_done(request, action_id: int):
    action = get_object_or_404(queries.own_actions(request.user), pk=action_id)
    already = action.done_at is not None
    try:
        services.action_mark_done(action=action, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "This action was already marked as done" if already else "Action marked as done",
        )
    return redirect(_record_url(action.plan.record))


@login_required
@require_safe
def evidence_download(request, evidence_id: int):
    """Only ever a download, never shown in the browser: an uploaded file cannot run as a
    page of the service, whatever it holds."""
    evidence = queries.downloadable_evidence(request.user, current_membership(request), evidence_id)
    if evidence is None:
        raise Http404("No such evidence")
    try:
        content = evidence.file.open("rb")
    except OSError as error:
        logger.error("Evidence %s is missing from storage: %s", evidence.pk, error)
        raise Http404("The file is missing") from error
    enrolment = evidence.record.enrolment
    access_log.record(
        request,
        what=f"Downloaded evidence ({evidence.original_name})",
        subject=enrolment.learner_id,
        trust=enrolment.trust_id,
    )
    response = FileResponse(
        content,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=CONTENT_TYPES[evidence.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
