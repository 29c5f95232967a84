"""Passkeys' pages and the JSON the browser's WebAuthn calls speak (django-otp-webauthn's views,
routed under our URLconf and narrowed): adding a passkey, using one as the second step of
signing in, and removing one. Never a sign-in by passkey alone: every ceremony here needs a
session already signed in with a password."""

from logging import getLogger

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from stepwise.accounts import mfa, passkeys, throttle
from stepwise.accounts.confirm_first import is_recent, password_confirmed_first
from stepwise.accounts.mfa_views import NEW_CODES, with_next
from stepwise.accounts.middleware import next_step_url
from stepwise.accounts.views import safe_next
from stepwise.core.json_input import load_json
from stepwise.core.security_log import FAILURE, SUCCESS, log_event

logger = getLogger("django_otp_webauthn")


class _Api:
    """What every ceremony here shares: JSON read with our depth limit, and whatever the
    browser sends that cannot be read is a 400 with a reason, never a 500."""

    def _parse_request_data(self, request):
        if not request.user.is_authenticated:
            return {}  # nothing read from someone signed out: they are refused next
        try:
            data = load_json(request.body or b"{}")
        except ValueError as exc:
            raise exceptions.MalformedRequest() from exc
        if not isinstance(data, dict):
            raise exceptions.MalformedRequest()
        return data

    def handle_exception(self, exc):
        if isinstance(exc, (ValueError, TypeError, KeyError)):
            exc = exceptions.MalformedRequest()
        return super().handle_exception(exc)


class PasswordNotConfirmed(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Confirm your password first."
    default_code = "password_not_confirmed"


class _Adding(_Api):
    def _check_user_verified(self, user) -> None:
        # In place of the library's check, which asks django-otp's middleware (not used here:
        # ADR 17): someone with an app or a passkey adds another only from a session that has
        # passed the second step, so a password alone never adds a way in, and with their
        # password typed in the last ten minutes (confirm_first), as for another app.
        if mfa.has_second_step(self.request):
            if not mfa.is_verified(self.request):
                raise exceptions.NotVerified()
            if not is_recent(self.request):
                raise PasswordNotConfirmed()


class PasskeyAddBegin(_Adding, BeginCredentialRegistrationView):
    pass


class PasskeyAddComplete(_Adding, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        request, person = self.request, self.get_user()
        state, helper = self.get_state(), self.get_helper()
        with rewrite_exceptions(logger=logger):
            passkey, codes = passkeys.passkey_add(
                person=person,
                register=lambda: helper.register_complete(
                    user=person, state=state, data=request.data
                ),
            )
        log_event("passkey_added", outcome=SUCCESS, request=request)
        first_step_passed = not mfa.is_verified(request)
        if first_step_passed:
            # A first passkey, at sign-in: making it is this session's second step.
            mfa.mark_verified(request, passkey)
        next_url = safe_next(request, request.GET.get("next"))
        if codes:
            request.session[NEW_CODES] = codes
            redirect_url = with_next("accounts:mfa_recovery_codes", next_url)
        else:
            messages.success(request, "Your passkey has been added")
            redirect_url = reverse("accounts:mfa_manage")
        response = JsonResponse({"id": passkey.pk, "redirect_url": redirect_url})
        if first_step_passed:
            throttle.remember_device(request, response, person.email)
        return response


class _SigningIn(_Api):
    def check_can_authenticate(self):
        # Only as the second step: someone signed in with their password, who has a passkey.
        # The library refuses anyone signed out too (passwordless sign-in is off in settings).
        super().check_can_authenticate()
        person = self.get_user()
        if person is None or not person.is_active:
            raise exceptions.PasswordlessLoginDisabled()
        if not passkeys.has_passkey(person):
            raise exceptions.CredentialNotFound()


class PasskeySignInBegin(_SigningIn, BeginCredentialAuthenticationView):
    pass


class PasskeySignInComplete(_SigningIn, CompleteCredentialAuthenticationView):
    def complete_auth(self, device) -> None:
        # As a code does: a new session key, then the device that verified it.
        mfa.mark_verified(self.request, device)
        log_event("second_step_passed", outcome=SUCCESS, request=self.request, factor="passkey")

    def get_success_url(self) -> str:
        return safe_next(self.request, self.request.GET.get("next"))

    def handle_exception(self, exc):
        log_event("second_step_failed", outcome=FAILURE, request=self.request, factor="passkey")
        return super().handle_exception(exc)

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        throttle.remember_device(self.request, response, self.request.user.email)
        return response


# Pages.


@never_cache
@login_required
def add(request):
    """Adding a passkey: at sign-in for someone with no second step yet, or later from their
    two-step sign-in page (after the second step and a recent password, as for another app)."""
    if not mfa.has_second_step(request):
        return _add(request, first=True)
    if not mfa.is_verified(request):
        return redirect(next_step_url(request, safe_next(request)))
    return _another(request)


@password_confirmed_first()
def _another(request):
    return _add(request, first=False)


def _add(request, *, first: bool):
    return render(
        request, "accounts/passkey_add.jinja", {"next": request.GET.get("next", ""), "first": first}
    )


def _own_passkey(request, passkey_id: int) -> WebAuthnCredential:
    passkey = WebAuthnCredential.objects.filter(pk=passkey_id, user=request.user).first()
    if passkey is None:
        raise Http404
    return passkey


@login_required
@password_confirmed_first(back="accounts:mfa_manage")
def remove(request, passkey_id: int):
    passkey = _own_passkey(request, passkey_id)
    if request.method == "POST":
        if passkeys.passkey_remove(person=request.user, passkey=passkey):
            messages.success(request, "Your passkey has been removed")
        return redirect("accounts:mfa_manage")
    return render(
        request,
        "accounts/passkey_remove.jinja",
        {
            "passkey": passkey,
            "last_way_in": not mfa.app_of(request.user)
            and len(passkeys.passkeys_of(request.user)) == 1,
        },
    )
