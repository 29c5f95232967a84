"""Educators and Trust administrators: who at their Trust has completed training for their
role (counts, named lists, a workbook); Trust administrators also set the Trust's rule."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from stepwise.core.errors import ConflictError
from stepwise.organisations.access import role_required
from stepwise.organisations.models import Role
from stepwise.reports.exports import xlsx_file
from stepwise.training import records as found
from stepwise.training.forms import RuleForm
from stepwise.training.models import Audience, TrustTrainingRule
from stepwise.training.queries import packages_for
from stepwise.training.services.rules import rule_set

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _role_and_show(request):
    role, show = request.GET.get("role"), request.GET.get("show")
    if role is None and show is None:
        return None, None
    if role not in {r.value for r in found.ROLES} or show not in found.SHOWS:
        raise Http404
    return Role(role), show


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
def records(request, membership):
    trust = membership.trust
    role, show = _role_and_show(request)
    named = found.people_table(trust.pk, role, show) if role else None
    rule = TrustTrainingRule.objects.filter(trust=trust).first()
    return render(
        request,
        "training/records.jinja",
        {
            "trust": trust,
            "counts": found.counts_table(found.counts(trust.pk)),
            "named": named,
            "named_heading": f"{role.label}: {found.SHOWS[show].lower()}" if role else "",
            "rule": rule,
            "may_set_rule": membership.is_trust_admin,
        },
    )


@role_required(Role.EDUCATOR, Role.TRUST_ADMIN)
def records_download(request, membership, file_format: str):
    if file_format != "xlsx":
        raise Http404("No such format")
    response = HttpResponse(
        xlsx_file(found.workbook_tables(membership.trust_id)), content_type=XLSX
    )
    response["Content-Disposition"] = content_disposition_header(True, "training.xlsx")
    return response


@role_required(Role.TRUST_ADMIN)
def rule(request, membership):
    trust = membership.trust
    current = TrustTrainingRule.objects.filter(trust=trust).first()
    initial = {
        "assessors_must_train": bool(current and current.assessors_must_train),
        "educators_must_train": bool(current and current.educators_must_train),
    }
    form = RuleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rule_set(trust=trust, by=request.user, membership=membership, **form.cleaned_data)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The training rule has been saved")
            return redirect("training:records")
    # Turning the rule on before a package for the role is published stops every decision.
    unpublished = [
        label
        for audience, label in ((Audience.ASSESSOR, "assessors"), (Audience.EDUCATOR, "educators"))
        if not packages_for(trust.pk, [audience]).exists()
    ]
    return render(
        request, "training/rule.jinja", {"form": form, "trust": trust, "unpublished": unpublished}
    )
