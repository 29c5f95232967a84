"""The learner asks: for confirmation of achieved proficiencies, and for final sign-off; and
takes either request back while it waits. Re-exported by `views.learner`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from stepwise.core.errors import ConflictError
from stepwise.core.forms import whole_number
from stepwise.progress import services
from stepwise.progress.forms.learner import ConfirmationRequestForm, SignOffRequestForm
from stepwise.progress.presenters import learner as presenters
from stepwise.progress.presenters import learner_requests as request_presenters
from stepwise.progress.queries import learner as queries
from stepwise.progress.services.sign_off import completion
from stepwise.progress.views.kept_answers import keeps_answers, kept_answers


def form_data(request):
    """The sent fields on a POST, else None: a POST binds its form even with no fields in
    it, so sending nothing is an error message rather than a blank form."""
    return request.POST if request.method == "POST" else None


def own_enrolment_or_404(request, enrolment_id: int):
    """One of the signed-in learner's enrolments, with what every learner page shows."""
    enrolment = queries.own_enrolment(request.user, enrolment_id)
    if enrolment is None:
        raise Http404("No such enrolment of yours")
    return enrolment


def _selection(request, form, achieved, kept) -> set[int]:
    """Which boxes to tick: what was sent (or kept when the session ended); else every
    achieved proficiency, or one section's (`?section=<id>`), ready to send in one press."""
    if form.is_bound:
        sent = form["records"].value()
    elif kept is not None:
        sent = kept.getlist("records")
    else:
        select = request.GET.get("section") or "all"
        return request_presenters.preselected(achieved, select=select)
    return {n for v in sent if (n := whole_number(v)) is not None}


@keeps_answers
def request_confirmation(request, enrolment_id: int):
    enrolment = own_enrolment_or_404(request, enrolment_id)
    achieved = queries.achieved_records(enrolment)
    assessor_ids = queries.enrolment_assessor_ids(enrolment)
    people = request_presenters.confirmer_choices(
        enrolment, queries.confirmers(enrolment), assessor_ids
    )
    sending = request.method == "POST"
    kept = kept_answers(request)
    recipient = request_presenters.default_recipient(people, assessor_ids, enrolment.unit)
    form = ConfirmationRequestForm(
        request.POST if sending else None,
        initial={"send_to": kept.get("send_to", recipient) if kept else recipient},
        record_ids=queries.enrolment_record_ids(enrolment) if sending else (),
        people=people,
        unit=enrolment.unit,
    )
    if sending and form.is_valid():
        try:
            sent = services.confirmation_request(
                enrolment=enrolment,
                by=request.user,
                record_ids=form.cleaned_data["records"],
                **form.recipient(),
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, request_presenters.request_sent_message(sent))
            return redirect(request.path)
    groups = request_presenters.checkbox_groups(
        achieved,
        _selection(request, form, achieved, kept),
        first_id=form["records"].auto_id,
        open_first=bool(form.errors.get("records")),
    )
    return render(
        request,
        "progress/learner/request_confirmation.jinja",
        {
            "enrolment": enrolment,
            "form": form,
            "groups": groups,
            "ready": request_presenters.ready_text(achieved, groups),
            "read_only": presenters.read_only_message(enrolment),
            "waiting": request_presenters.waiting_request_rows(
                enrolment, queries.waiting_requests(enrolment)
            ),
        },
    )


@login_required
@require_POST
def request_withdraw(request, request_id: int):
    confirmation = get_object_or_404(queries.own_requests(request.user), pk=request_id)
    try:
        services.confirmation_withdraw(request=confirmation, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Your request has been withdrawn. Its proficiencies are back to achieved"
        )
    return redirect("progress:request_confirmation", confirmation.enrolment_id)


@login_required
def sign_off_request(request, enrolment_id: int):
    enrolment = own_enrolment_or_404(request, enrolment_id)
    form = SignOffRequestForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_request(enrolment=enrolment, by=request.user, declaration_agreed=True)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"You have asked {enrolment.educator.full_name} to sign off your record. "
                "We will let you know when they have",
            )
            return redirect(request.path)
    done = completion(enrolment)
    return render(
        request,
        "progress/learner/sign_off_request.jinja",
        {
            "enrolment": enrolment,
            "form": form,
            "complete": done["complete"],
            "completion": presenters.completion_text(done),
            "status": request_presenters.sign_off_status(
                queries.latest_sign_off_request(enrolment)
            ),
            "read_only": presenters.read_only_message(enrolment),
            "certificate_href": presenters.certificate_href(enrolment),
            "credential_href": presenters.credential_href(enrolment),
        },
    )


@login_required
@require_POST
def sign_off_withdraw(request, enrolment_id: int):
    enrolment = own_enrolment_or_404(request, enrolment_id)
    try:
        services.sign_off_withdraw(enrolment=enrolment, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your request for sign-off has been withdrawn")
    return redirect("progress:sign_off_request", enrolment.pk)
