from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from stepwise.accounts import mfa, single_sign_on, throttle
from stepwise.accounts.backends import EmailBackend
from stepwise.accounts.confirm_first import password_confirmed_first
from stepwise.accounts.forms import (
    ChangePasswordForm,
    CurrentPasswordForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
)
from stepwise.accounts.middleware import next_step_url
from stepwise.accounts.models import User, normalise_email
from stepwise.accounts.presenters import sso_link_rows
from stepwise.accounts.services import (
    LinkError,
    SingleSignOnRefused,
    invitation_accept,
    invitation_check,
    sessions_end,
    sso_link_end,
    sso_sign_in,
)
from stepwise.core.email import send_templated_email
from stepwise.core.security_log import FAILURE, SUCCESS, log_event

BACKEND = "stepwise.accounts.backends.EmailBackend"
WRONG_DETAILS = "Enter the email address and password for your account"


def safe_next(request, target: str | None = None) -> str:
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Counted before the password is checked: a refused attempt checks nothing.
        attempt = throttle.sign_in_attempt(request, email)
        if attempt.refused:
            form.add_error(None, throttle.sign_in_refused(attempt))
        else:
            person = EmailBackend().authenticate(
                request, email=email, password=form.cleaned_data["password"]
            )
            if person is None:
                # Django's authenticate() would send this; the view asks the backend itself.
                user_login_failed.send(__name__, credentials={"email": email}, request=request)
                form.add_error(None, WRONG_DETAILS)
            else:
                attempt.release()  # only failures count
                if person.email_verified_at is None:
                    log_event(
                        "sign_in",
                        outcome=FAILURE,
                        request=request,
                        user=person,
                        reason="email address not confirmed",
                    )
                    form.add_error(
                        None,
                        "Confirm your email address first: follow the link in the email we "
                        "sent you",
                    )
                else:
                    login(request, person, backend=BACKEND)
                    if mfa.is_required(request):
                        # The device is remembered only once the second step is passed too.
                        return redirect(next_step_url(request, safe_next(request)))
                    response = redirect(safe_next(request))
                    throttle.remember_device(request, response, email)
                    return response
    next_url = request.GET.get("next", "")
    sso_url = ""
    if single_sign_on.is_configured():
        sso_url = reverse("accounts:sso_start")
        if next_url:
            sso_url += "?" + urlencode({"next": next_url})
    return render(
        request,
        "accounts/sign_in.jinja",
        {
            "form": form,
            "next": next_url,
            "sso_url": sso_url,
            "sso_label": single_sign_on.button_label(),
        },
    )


def _sso_problem(request, problem: str, *, status: int):
    return render(
        request,
        "accounts/sso_problem.jinja",
        {"problem": problem, "provider": single_sign_on.provider_name()},
        status=status,
    )


def sso_start(request):
    """Off to the provider's sign-in page (a link, so it works without JavaScript)."""
    if not single_sign_on.is_configured():
        raise Http404
    try:
        return single_sign_on.authorization_redirect(
            request,
            redirect_uri=settings.SITE_URL + reverse("accounts:sso_callback"),
            next_url=safe_next(request),
        )
    except single_sign_on.ProviderUnavailable as problem:
        return _sso_problem(request, str(problem), status=503)
    except single_sign_on.SignOnFailed as problem:
        return _sso_problem(request, str(problem), status=400)


@never_cache
def sso_callback(request):
    """The provider sends the person back here with a code: verified, matched, signed in."""
    if not single_sign_on.is_configured():
        raise Http404
    try:
        identity = single_sign_on.identity_from_callback(request)
        person = sso_sign_in(identity=identity, provider=single_sign_on.provider_name())
    except single_sign_on.ProviderUnavailable as problem:
        return _sso_problem(request, str(problem), status=503)
    except single_sign_on.SignOnFailed as problem:
        return _sso_problem(request, str(problem), status=400)
    except SingleSignOnRefused as problem:
        return _sso_problem(request, str(problem), status=403)
    target = safe_next(request, single_sign_on.next_url(request))
    login(request, person, backend=BACKEND)
    # After login(), which keeps the session's data only for the same person.
    request.session[single_sign_on.SESSION_MULTI_FACTOR] = identity.multi_factor
    if mfa.is_required(request) and not mfa.is_verified(request):
        # The provider proved one factor only: staff still give Stepwise's own code.
        return redirect(next_step_url(request, target))
    return redirect(target)


@login_required
def account(request):
    links = request.user.sso_links.filter(unlinked_at__isnull=True)
    return render(
        request,
        "accounts/account.jinja",
        {"person": request.user, "sso_links": sso_link_rows(links)},
    )


@login_required
@password_confirmed_first()
def sso_unlink(request, link_id: int):
    link = get_object_or_404(request.user.sso_links.filter(unlinked_at__isnull=True), pk=link_id)
    if request.method == "POST":
        sso_link_end(link=link, by=request.user)
        messages.success(
            request,
            f"Your {single_sign_on.provider_name()} account is unlinked. Sign in with your "
            "email address and password from now on",
        )
        return redirect("accounts:account")
    return render(
        request,
        "accounts/sso_unlink.jinja",
        {"link": link, "provider": single_sign_on.provider_name()},
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out")
    response = redirect("accounts:sign_in")
    # A shared ward tablet keeps nothing of this person's pages (OWASP ASVS V14.3.1). Not
    # "cookies": logout() has already expired the session's, and the message must survive.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


def password_reset_request(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        # Counted whether or not the address is registered, so a refusal tells nothing either.
        attempt = throttle.password_reset_attempt(request, email)
        if attempt.refused:
            form.add_error(None, throttle.password_reset_refused(attempt))
            return render(request, "accounts/password_reset_request.jinja", {"form": form})
        person = User.objects.filter(email=email, is_active=True).first()
        # Same answer whether or not the address is registered.
        if person is not None and person.email_verified_at is not None:
            send_templated_email(
                to=person.email,
                template="accounts/emails/password_reset",
                context={
                    "person": person,
                    "uid": urlsafe_base64_encode(force_bytes(person.pk)),
                    "token": default_token_generator.make_token(person),
                },
            )
        return render(
            request, "accounts/password_reset_sent.jinja", {"email": form.cleaned_data["email"]}
        )
    return render(request, "accounts/password_reset_request.jinja", {"form": form})


def _person_from_uid(uidb64: str):
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None


def password_reset_confirm(request, uidb64: str, token: str):
    person = _person_from_uid(uidb64)
    if person is None or not default_token_generator.check_token(person, token):
        return render(
            request,
            "accounts/link_problem.jinja",
            {
                "problem": "This password reset link is not valid or has expired. "
                "Ask for a new one.",
                "retry_url": reverse("accounts:password_reset"),
            },
        )
    form = NewPasswordForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        person.set_password(form.cleaned_data["new_password"])
        person.save(update_fields=["password"])
        log_event("password_reset", outcome=SUCCESS, request=request, user=person)
        messages.success(request, "Your password has been changed. Sign in with your new password")
        return redirect("accounts:sign_in")
    return render(request, "accounts/password_reset_confirm.jinja", {"form": form})


@login_required
def change_password(request):
    form = ChangePasswordForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        request.user.set_password(form.cleaned_data["new_password"])
        request.user.save(update_fields=["password"])
        update_session_auth_hash(request, request.user)
        log_event("password_changed", outcome=SUCCESS, request=request)
        messages.success(request, "Your password has been changed")
        return redirect("core:home")
    return render(request, "accounts/change_password.jinja", {"form": form})


@login_required
def sign_out_elsewhere(request):
    """Every other session of this person ends; this one stays (its hash is renewed)."""
    form = CurrentPasswordForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        sessions_end(person=request.user)
        request.user.refresh_from_db(fields=["session_generation"])
        update_session_auth_hash(request, request.user)
        log_event("signed_out_elsewhere", outcome=SUCCESS, request=request)
        messages.success(request, "You have signed out of all other devices")
        return redirect("core:home")
    return render(request, "accounts/sign_out_elsewhere.jinja", {"form": form})


# A name and an email address, to a visitor with no session yet (so not covered by the
# no-store middleware): never kept by a browser or a cache.
@never_cache
def accept_invitation(request, token: str):
    try:
        link = invitation_check(token=token)
    except LinkError as problem:
        return render(request, "accounts/link_problem.jinja", {"problem": str(problem)})
    form = NewPasswordForm(request.POST or None, person=link.person)
    if request.method == "POST" and form.is_valid():
        try:
            person = invitation_accept(token=token, password=form.cleaned_data["new_password"])
        except LinkError as problem:
            return render(request, "accounts/link_problem.jinja", {"problem": str(problem)})
        login(request, person, backend=BACKEND)
        messages.success(request, "Your password is set. Welcome to Stepwise")
        return redirect("core:home")
    return render(
        request,
        "accounts/accept_invitation.jinja",
        {"form": form, "person": link.person, "trust": link.trust},
    )
