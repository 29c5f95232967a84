"""Moving Trust: a learner's record at other Trusts, read by the Trust they have joined;
proposing to move an open enrolment here; and, for the Trust it left, an enrolment that
moved away.

These are the journey's only cross-Trust pages (ADR 0003). Each looks its objects up through
one helper of queries/prior_record.py, starting from the viewer's Trust, so a learner who is
not a current member here (someone invited who has not accepted, someone who left), or an
enrolment that never left here, is a 404. Nothing here changes a record: an educator only
proposes a move, and the learner confirms it on their own page (views/move_proposals.py).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from stepwise.core import access_log
from stepwise.core.errors import ConflictError
from stepwise.core.pagination import pagination
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.progress.forms.moving import MoveTrustForm
from stepwise.progress.presenters import moving as presenters
from stepwise.progress.presenters.staff import showing, staff_hints, with_hints
from stepwise.progress.presenters.staff_records import history_items
from stepwise.progress.queries import prior_record as prior
from stepwise.progress.queries.move_proposals import waiting_from
from stepwise.progress.queries.staff import trust_staff
from stepwise.progress.services.moving import enrolment_move_propose, enrolment_move_withdraw

READERS = (Role.EDUCATOR, Role.TRUST_ADMIN)
PAGE_SIZE = 25


@require_safe
@role_required(*READERS)
def prior_record(request, membership_id: int, *, membership):
    member = get_object_or_404(prior.current_member(membership.trust), pk=membership_id)
    enrolments = prior.prior_enrolments(membership.trust, member.person)
    there = prior.learner_memberships(member.person, [e.trust_id for e in enrolments])
    access_log.record(
        request,
        what="Viewed their record at other Trusts",
        subject=member.person,
        trust=member.trust_id,
    )
    return render(
        request,
        "progress/staff/prior_record.jinja",
        {
            "member": member,
            "enrolments": presenters.prior_enrolments(
                enrolments,
                there,
                member_id=member.pk,
                may_move=membership.is_educator,
                trust_name=membership.trust.name,
                learner_name=member.person.full_name,
            ),
            "back_link": {
                "href": reverse("organisations:person_detail", args=[member.pk]),
                "text": f"Back to {member.person.full_name}",
            },
        },
    )


def _movable(membership, membership_id: int, enrolment_id: int):
    member = get_object_or_404(prior.current_member(membership.trust), pk=membership_id)
    enrolment = get_object_or_404(prior.movable_enrolment(member.person), pk=enrolment_id)
    return member, enrolment


@role_required(Role.EDUCATOR)
def move_trust(request, membership_id: int, enrolment_id: int, *, membership):
    """Propose moving the enrolment here; the learner confirms it, or not, themselves."""
    member, enrolment = _movable(membership, membership_id, enrolment_id)
    trust, staff = membership.trust, trust_staff(membership.trust)
    waiting = waiting_from(trust, enrolment)
    form = MoveTrustForm(
        request.POST or None, staff=staff, person=request.user, learner=member.person
    )
    if request.method == "POST" and waiting is None and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment_move_propose(
                enrolment=enrolment,
                trust=trust,
                educator=data["educator"],
                assessors=data["assessors"],
                by=request.user,
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, presenters.proposed_message(enrolment, trust))
            return redirect("progress:prior_record", member.pk)
    return render(
        request,
        "progress/staff/move_trust.jinja",
        {
            "form": form,
            "member": member,
            "enrolment": enrolment,
            "trust": trust,
            "problem": presenters.move_problem(enrolment, trust),
            "waiting": (
                presenters.proposal_status(
                    trust_name=trust.name,
                    by=waiting.proposed_by.full_name,
                    at=waiting.proposed_at,
                    learner_name=member.person.full_name,
                )
                if waiting
                else ""
            ),
            "withdraw_href": reverse("progress:move_withdraw", args=[member.pk, enrolment.pk]),
            "summary": presenters.move_summary(enrolment),
            "assessor_params": with_hints(form["assessors"], staff_hints(staff)),
            "back_link": {
                "href": reverse("progress:prior_record", args=[member.pk]),
                "text": "Back to their record at other Trusts",
            },
        },
    )


@require_POST
@role_required(Role.EDUCATOR)
def move_withdraw(request, membership_id: int, enrolment_id: int, *, membership):
    member, enrolment = _movable(membership, membership_id, enrolment_id)
    waiting = waiting_from(membership.trust, enrolment)
    if waiting is None:
        messages.error(request, "There is no proposal waiting to withdraw")
        return redirect("progress:move_trust", member.pk, enrolment.pk)
    try:
        enrolment_move_withdraw(proposal=waiting, by=request.user)
    except ConflictError as error:
        messages.error(request, str(error))
        return redirect("progress:move_trust", member.pk, enrolment.pk)
    messages.success(request, f"The proposal to move {enrolment.version} here is withdrawn")
    return redirect("progress:prior_record", member.pk)


@require_safe
@role_required(*READERS)
def moved_away(request, *, membership):
    page = Paginator(prior.moved_away(membership.trust), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "progress/staff/move_away_list.jinja",
        {
            "trust": membership.trust,
            "rows": presenters.moved_away_rows(page, membership.trust_id),
            "showing": showing(page),
            "pagination": pagination(page, request.GET.copy()),
            "back_link": {"href": reverse("progress:enrolments"), "text": "Back to learners"},
        },
    )


@require_safe
@role_required(*READERS)
def moved_away_enrolment(request, enrolment_id: int, *, membership):
    trust = membership.trust
    enrolment = get_object_or_404(prior.moved_away(trust), pk=enrolment_id)
    left = prior.departure(trust.pk, enrolment)
    decisions = prior.decisions_until(enrolment, left.at)
    lines = presenters.records_then(prior.records_when_left(enrolment, left.at), decisions)
    access_log.record(
        request,
        what=f"Viewed the enrolment on {enrolment.version} they took to another Trust",
        subject=enrolment.learner_id,
        trust=trust,
    )
    return render(
        request,
        "progress/staff/move_away_enrolment.jinja",
        {
            "enrolment": enrolment,
            "trust": trust,
            "banner": presenters.left_banner(left.to_trust.name, left.at),
            "summary": presenters.moved_away_summary(
                enrolment, lines=lines, left=left, to_trust_name=left.to_trust.name
            ),
            "sections": presenters.prior_sections(lines),
            "decisions": presenters.decisions_here(decisions, trust.pk),
            "history": history_items(prior.part_at(trust, enrolment)),
            "back_link": {"href": reverse("progress:moved_away"), "text": "Back to moved away"},
        },
    )
