"""Joining a Trust through its registration link, confirming the address to join, and
choosing which Trust to work in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from stepwise.accounts import throttle
from stepwise.accounts.forms import ConfirmEmailForm, SelfRegistrationForm
from stepwise.accounts.models import normalise_email
from stepwise.accounts.presenters import self_registration_rows
from stepwise.accounts.services import (
    LinkError,
    PersonDetails,
    WrongPassword,
    self_register,
    self_registration_check,
)
from stepwise.organisations.access import SESSION_KEY, current_memberships
from stepwise.organisations.forms import SwitchOrganisationForm
from stepwise.organisations.joining import email_confirm
from stepwise.organisations.models import Membership, Organisation


def _trust_for_code(code: str) -> Organisation:
    trust = Organisation.objects.filter(
        kind=Organisation.Kind.TRUST, registration_code=code
    ).first()
    if trust is None:
        raise Http404("This registration link is not valid")
    return trust


def register(request, code: str):
    trust = _trust_for_code(code)
    form = SelfRegistrationForm(request.POST or None, trust=trust)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Counted before anything is hashed, stored or sent. Past the address's limit the page
        # says so; past the email's it answers as if it had sent one, telling nobody anything.
        by_address = throttle.registration_address_attempt(request)
        if by_address.refused:
            form.add_error(None, throttle.registration_refused(by_address))
            return render(request, "organisations/register.jinja", {"form": form, "trust": trust})
        if not throttle.registration_email_attempt(request, normalise_email(data["email"])).refused:
            _register(data, trust)
        request.session["registered_email"] = data["email"]
        return redirect("organisations:register_check_email", code=code)
    return render(request, "organisations/register.jinja", {"form": form, "trust": trust})


def _register(data: dict, trust: Organisation) -> None:
    self_register(
        details=PersonDetails(
            full_name=data["full_name"],
            email=data["email"],
            job_title=data["job_title"],
            registration_body=data["registration_body"],
            registration_number=data["registration_number"],
        ),
        password=data["new_password"],
        trust=trust,
        unit=data["unit"],
    )


def register_check_email(request, code: str):
    trust = _trust_for_code(code)
    return render(
        request,
        "organisations/register_check_email.jinja",
        {"trust": trust, "email": request.session.get("registered_email", "")},
    )


def _confirmed(request, registration, membership: Membership | None):
    if membership is None:
        return render(
            request,
            "organisations/email_already_registered.jinja",
            {"email": registration.email, "trust": registration.trust},
        )
    return render(request, "organisations/email_confirmed.jinja", {"membership": membership})


# It shows a name, an email address and a registration number to a visitor with no session
# yet, whom the no-store middleware does not cover: never kept by a browser or a cache.
@never_cache
def confirm_email(request, token: str):
    # Opening the link (as mail scanners do) only shows the page: the button confirms, with
    # the password chosen when registering (whoever typed this address in cannot finish).
    try:
        registration = self_registration_check(token=token)
        form = ConfirmEmailForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                membership = email_confirm(token=token, password=form.cleaned_data["password"])
            except WrongPassword as wrong:
                form.add_error("password", str(wrong))
            else:
                return _confirmed(request, registration, membership)
    except LinkError as problem:
        return render(request, "accounts/link_problem.jinja", {"problem": str(problem)})
    return render(
        request,
        "organisations/confirm_email.jinja",
        {"form": form, "registration": registration, "rows": self_registration_rows(registration)},
    )


@login_required
def switch_organisation(request):
    memberships = current_memberships(request)
    form = SwitchOrganisationForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        chosen = get_object_or_404(
            Membership.objects.current(), pk=form.cleaned_data["membership"], person=request.user
        )
        request.session[SESSION_KEY] = chosen.pk
        messages.success(request, f"You are now working in {chosen.trust.name}")
        return redirect("core:home")
    return render(request, "organisations/switch_organisation.jinja", {"form": form})
