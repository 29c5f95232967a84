"""The Trust's registration link and whether self-registrations need approval."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.organisations import presenters, services
from stepwise.organisations.access import role_required
from stepwise.organisations.forms import RegistrationApprovalForm, RegistrationLinkForm
from stepwise.organisations.models import Role
from stepwise.organisations.queries import registration_link_changed


@role_required(Role.TRUST_ADMIN)
def trust_settings(request, *, membership):
    trust = membership.trust
    form = RegistrationApprovalForm(
        request.POST or None,
        initial={"requires_approval": "yes" if trust.registration_requires_approval else "no"},
    )
    if request.method == "POST" and form.is_valid():
        services.trust_set_registration_approval(
            trust=trust, requires_approval=form.cleaned_data["requires_approval"], by=request.user
        )
        messages.success(
            request,
            "Saved: people who register through the link "
            + ("need approval" if trust.registration_requires_approval else "can start at once"),
        )
        return redirect("organisations:settings")
    return render(
        request,
        "organisations/trust_settings.jinja",
        {
            "form": form,
            "trust": trust,
            "link": presenters.registration_link(trust),
            "link_rows": presenters.registration_link_rows(registration_link_changed(trust)),
        },
    )


@role_required(Role.TRUST_ADMIN)
def registration_link_new(request, *, membership):
    trust = membership.trust
    form = RegistrationLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trust_rotate_registration_code(
                trust=trust,
                by=request.user,
                expected_code=form.cleaned_data["current_code"] or None,
            )
        except ConflictError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "A new registration link has been created. The old link no longer works"
            )
        return redirect("organisations:settings")
    return render(
        request,
        "organisations/registration_link_new.jinja",
        {
            "trust": trust,
            "back_link": {"href": reverse("organisations:settings"), "text": "Back"},
        },
    )
