"""Educators' pages: enrol learners, the Trust's enrolments, manage one enrolment (details,
new version, withdrawal), final sign-off, and a learner's record read by staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from stepwise.core import access_log
from stepwise.core.errors import ConflictError
from stepwise.core.pagination import pagination
from stepwise.frameworks.diff import version_diff
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.organisations.queries import trust_units
from stepwise.progress import guards
from stepwise.progress.forms import staff as forms
from stepwise.progress.forms import staff_filters
from stepwise.progress.presenters import staff as presenters
from stepwise.progress.presenters import staff_records as records_presenters
from stepwise.progress.presenters import staff_sign_off as sign_off_presenters
from stepwise.progress.queries import staff as queries
from stepwise.progress.services import (
    enrolment_change_details,
    enrolment_move_version,
    enrolment_sign_off,
    enrolment_withdraw,
    enrolments_create,
    sign_off_return,
)
from stepwise.progress.states import EnrolmentState

PAGE_SIZE = 25


def scoped_enrolment(membership, enrolment_id: int):
    """An enrolment of the viewer's own Trust, or 404: another Trust's id finds nothing."""
    return get_object_or_404(queries.trust_enrolment(membership.trust), pk=enrolment_id)


@role_required(Role.EDUCATOR)
def enrol(request, *, membership):
    trust = membership.trust
    units = trust_units(trust)
    filters = staff_filters.LearnerFilterForm(request.GET or None, units=units)
    learners = queries.trust_learners(trust, **filters.filters())
    staff = queries.trust_staff(trust)
    form = forms.EnrolForm(
        request.POST or None,
        versions=queries.offered_versions(trust),
        learners=learners,
        staff=staff,
        person=request.user,
        select_all=request.GET.get("select") == "all",
    )
    if request.method == "POST" and form.is_valid() and _enrol(request, trust, form):
        version = form.cleaned_data["version"]
        return redirect(f"{reverse('progress:enrolments')}?framework={version.framework_id}")
    query = request.GET.copy()
    query.pop("select", None)
    return render(
        request,
        "progress/staff/enrol.jinja",
        {
            "form": form,
            "filters": filters,
            "learner_params": presenters.with_hints(
                form["learners"], presenters.learner_hints(learners)
            ),
            "assessor_params": presenters.with_hints(
                form["assessors"], presenters.staff_hints(staff)
            ),
            "query": query.urlencode(),
            "trust": trust,
        },
    )


def _enrol(request, trust, form) -> bool:
    """Enrol everyone chosen, or nobody: a learner already enrolled is named on the form."""
    data = form.cleaned_data
    try:
        enrolled = enrolments_create(
            learners=data["learners"],
            version=data["version"],
            trust=trust,
            educator=data["educator"],
            assessors=data["assessors"],
            due_on=data["due_on"],
            by=request.user,
        )
    except ConflictError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, presenters.enrolled_message(enrolled, data["version"]))
    return True


@role_required(Role.EDUCATOR)
def enrolments(request, *, membership):
    trust = membership.trust
    filters = staff_filters.EnrolmentFilterForm(
        request.GET or None, units=trust_units(trust), frameworks=queries.trust_frameworks(trust)
    )
    found = queries.trust_enrolments(trust, **filters.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = queries.progress_counts([enrolment.pk for enrolment in page])
    return render(
        request,
        "progress/staff/enrolments.jinja",
        {
            "form": filters,
            "rows": presenters.enrolment_rows(page, progress, timezone.localdate()),
            "showing": presenters.showing(page),
            "pagination": pagination(page, request.GET.copy()),
            "trust": trust,
        },
    )


@role_required(Role.EDUCATOR)
def enrolment_manage(request, enrolment_id: int, *, membership):
    enrolment = get_object_or_404(queries.managed_enrolment(membership.trust), pk=enrolment_id)
    assessors = list(enrolment.assessors.all())
    form = forms.EnrolmentDetailsForm(
        request.POST or None,
        enrolment=enrolment,
        assessor_ids=[a.pk for a in assessors],
        staff=queries.trust_staff(membership.trust),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_change_details(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{enrolment.learner.full_name}'s enrolment has been saved")
            return redirect("progress:enrolment_manage", enrolment.pk)
    if request.method == "GET":
        access_log.record_enrolment(
            request, enrolment, what=f"Opened the enrolment on {enrolment.version}"
        )
    records = queries.enrolment_records(enrolment)
    done = records_presenters.completion_of(records, enrolment.version.minimum_optional)
    return render(
        request,
        "progress/staff/enrolment_manage.jinja",
        {
            "form": form,
            "enrolment": enrolment,
            "summary": records_presenters.enrolment_summary(
                enrolment, assessors=assessors, done=done, today=timezone.localdate()
            ),
            "actions": records_presenters.manage_actions(
                enrolment, may_move=enrolment.has_newer_version
            ),
            "sections": records_presenters.section_views(enrolment, records),
            "history": records_presenters.history_items(queries.enrolment_history(enrolment)),
            "back_link": {"href": reverse("progress:enrolments"), "text": "Back to learners"},
        },
    )


@role_required(Role.EDUCATOR)
def enrolment_move(request, enrolment_id: int, *, membership):
    enrolment = scoped_enrolment(membership, enrolment_id)
    candidates = queries.newer_versions(enrolment)
    counts = {
        v.pk: records_presenters.move_counts(version_diff(enrolment.version, v)) for v in candidates
    }
    form = forms.MoveVersionForm(request.POST or None, versions=candidates)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            moved = enrolment_move_version(enrolment=enrolment, version=version, by=request.user)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, records_presenters.moved_message(enrolment, version, moved))
            return redirect("progress:enrolment_manage", enrolment.pk)
    return render(
        request,
        "progress/staff/enrolment_move.jinja",
        {
            "form": form,
            "enrolment": enrolment,
            "version_params": presenters.with_hints(
                form["version"],
                {pk: records_presenters.move_hint(c) for pk, c in counts.items()},
            ),
            "back_link": {
                "href": reverse("progress:enrolment_manage", args=[enrolment.pk]),
                "text": "Back to the enrolment",
            },
        },
    )


@role_required(Role.EDUCATOR)
def enrolment_withdraw_view(request, enrolment_id: int, *, membership):
    enrolment = scoped_enrolment(membership, enrolment_id)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_withdraw(
                enrolment=enrolment, by=request.user, note=form.cleaned_data["reason"]
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"{enrolment.learner.full_name}'s enrolment has been withdrawn"
            )
            return redirect("progress:enrolment_manage", enrolment.pk)
    return render(
        request,
        "progress/staff/enrolment_withdraw.jinja",
        {
            "form": form,
            "enrolment": enrolment,
            "back_link": {
                "href": reverse("progress:enrolment_manage", args=[enrolment.pk]),
                "text": "Back to the enrolment",
            },
        },
    )


@role_required(Role.EDUCATOR)
def sign_off(request, enrolment_id: int, *, membership):
    enrolment = scoped_enrolment(membership, enrolment_id)
    action = request.POST.get("action") if request.method == "POST" else None
    form = forms.SignOffForm(request.POST if action == "sign_off" else None, person=request.user)
    return_form = forms.ReturnForm(request.POST if action == "return" else None)
    if action == "sign_off" and form.is_valid():
        if _sign_off(request, enrolment, form):
            return redirect("progress:enrolment_manage", enrolment.pk)
    elif action == "return" and return_form.is_valid():
        try:
            sign_off_return(
                enrolment=enrolment, by=request.user, comments=return_form.cleaned_data["comments"]
            )
        except ConflictError as error:
            return_form.add_error(None, str(error))
        else:
            messages.success(request, f"Returned to {enrolment.learner.full_name} with comments")
            return redirect("progress:enrolment_manage", enrolment.pk)
    if request.method == "GET":
        access_log.record_enrolment(
            request, enrolment, what=f"Opened the sign-off of {enrolment.version}"
        )
    latest = queries.latest_sign_off(enrolment)
    records = queries.enrolment_records(enrolment)
    done = records_presenters.completion_of(records, enrolment.version.minimum_optional)
    missing = sign_off_presenters.missing(records)
    # A summary, not every row: the enrolment's page has the full record.
    return render(
        request,
        "progress/staff/sign_off.jinja",
        {
            "form": form,
            "return_form": return_form,
            "page_has_errors": bool(return_form.errors),
            "enrolment": enrolment,
            "waiting": enrolment.state == EnrolmentState.SIGN_OFF_REQUESTED,
            "status": records_presenters.sign_off_status(enrolment, latest),
            "learner_declaration": latest.learner_declaration if latest else "",
            "refusal": guards.refusal(
                person=request.user,
                trust_id=enrolment.trust_id,
                framework_id=enrolment.version.framework_id,
                action=guards.StaffAction.SIGN_OFF,
            ),
            "certificate": records_presenters.certificate_text(enrolment),
            "required": sign_off_presenters.required_text(done),
            "optional": sign_off_presenters.optional_text(done),
            "confirmed_by": sign_off_presenters.confirmed_by(records),
            "missing": missing,
            "missing_heading": sign_off_presenters.missing_heading(len(missing)),
            "sections": sign_off_presenters.section_counts(records),
            "record_href": reverse("progress:enrolment_manage", args=[enrolment.pk]),
            "back_link": {
                "href": reverse("progress:enrolment_manage", args=[enrolment.pk]),
                "text": "Back to the enrolment",
            },
        },
    )


def _sign_off(request, enrolment, form) -> bool:
    data = form.cleaned_data
    try:
        certificate = enrolment_sign_off(
            enrolment=enrolment,
            by=request.user,
            declaration_agreed=data["agree"],
            registration_body=data["registration_body"],
            registration_number=data["registration_number"],
        )
    except ValidationError as error:
        form.add_error("registration_number", error)
        return False
    except ConflictError as error:
        form.add_error(None, str(error))
        return False
    messages.success(
        request,
        f"{enrolment.learner.full_name} has been signed off on {enrolment.version}. "
        f"Certificate serial {certificate.serial}.",
    )
    return True


@role_required(Role.EDUCATOR)
def staff_record(request, enrolment_id: int, record_id: int, *, membership):
    enrolment = scoped_enrolment(membership, enrolment_id)
    record = get_object_or_404(queries.record_detail(enrolment, record_id))
    access_log.record_enrolment(
        request,
        enrolment,
        what=f"Viewed proficiency {record.proficiency.code} of {enrolment.version}",
    )
    return render(
        request,
        "progress/staff/record.jinja",
        {
            "enrolment": enrolment,
            "record": record,
            "summary": records_presenters.record_summary(record),
            "evidence": presenters.evidence_links(queries.record_evidence(record)),
            "decisions": records_presenters.decision_views(
                queries.record_decisions(record), timezone.localdate()
            ),
            "history": records_presenters.history_items(queries.record_history(record)),
            "back_link": {
                "href": reverse("progress:enrolment_manage", args=[enrolment.pk]),
                "text": "Back to the enrolment",
            },
        },
    )
