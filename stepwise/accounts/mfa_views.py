"""Two-step sign-in's pages: the security code (or a passkey) after the password, setting up an
app (with its QR code), the recovery codes shown once, and the person's own two-step sign-in
page. Passkeys' own pages are in passkey_views."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from stepwise.accounts import mfa, passkeys, throttle
from stepwise.accounts.confirm_first import confirmed, password_confirmed_first
from stepwise.accounts.forms import AppCodeForm, CurrentPasswordForm, SecurityCodeForm
from stepwise.accounts.middleware import next_step_url
from stepwise.accounts.views import safe_next
from stepwise.core.security_log import FAILURE, SUCCESS, log_event

NEW_SECRET = "mfa_new_secret"
NEW_CODES = "mfa_new_recovery_codes"
WRONG_CODE = "The security code is not right. Enter the code your app shows now"
WRONG_RECOVERY_CODE = "The recovery code is not right, or was used before. Enter another one"
WRONG_SET_UP_CODE = (
    "The security code is not right. Check the app was set up with the code or key on this "
    "page, and enter the code it shows now"
)


@login_required
def verify(request):
    person = request.user
    if mfa.is_verified(request) or not mfa.is_required(request):
        return redirect(safe_next(request))
    has_app, has_passkey = mfa.has_app(person), passkeys.has_passkey(person)
    if not (has_app or has_passkey):
        return redirect(next_step_url(request, safe_next(request)))
    form = SecurityCodeForm(request.POST or None, app=has_app)
    if request.method == "POST" and form.is_valid():
        # Counted before the code is checked, like a password.
        attempt = throttle.security_code_attempt(request, person.email)
        if attempt.refused:
            form.add_error("code", throttle.security_code_refused(attempt))
        else:
            device = mfa.code_check(person=person, code=form.cleaned_data["code"])
            if device is None:
                form.add_error("code", WRONG_CODE if has_app else WRONG_RECOVERY_CODE)
                log_event("second_step_failed", outcome=FAILURE, request=request)
            else:
                attempt.release()
                mfa.mark_verified(request, device)
                log_event(
                    "second_step_passed",
                    outcome=SUCCESS,
                    request=request,
                    factor="recovery code" if mfa.is_recovery_code(device) else "app",
                )
                if mfa.is_recovery_code(device):
                    _recovery_code_used_message(request)
                response = redirect(safe_next(request))
                throttle.remember_device(request, response, person.email)
                return response
    return render(
        request,
        "accounts/mfa_verify.jinja",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "has_app": has_app,
            "has_passkey": has_passkey,
        },
    )


def _recovery_code_used_message(request) -> None:
    left = mfa.recovery_codes_left(request.user)
    codes = "recovery code" if left == 1 else "recovery codes"
    messages.success(
        request,
        f"You signed in with a recovery code, which cannot be used again. You have {left} "
        f"{codes} left: make new ones on your two-step sign-in page",
    )


@login_required
def confirm_password(request):
    """ "Confirm it's you": the password again, before a change to how this person signs in.
    Wrong passwords count towards the same limit as signing in."""
    person = request.user
    form = CurrentPasswordForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_bound:
        attempt = throttle.sign_in_attempt(request, person.email)
        if attempt.refused:
            form.add_error(None, throttle.sign_in_refused(attempt))
        elif form.is_valid():
            attempt.release()
            confirmed(request)
            log_event("password_confirmed", outcome=SUCCESS, request=request)
            return redirect(safe_next(request))
        else:
            log_event("password_confirmed", outcome=FAILURE, request=request)
    return render(
        request,
        "accounts/confirm_password.jinja",
        {
            "form": form,
            "next": safe_next(request),
            "has_password": person.has_usable_password(),
        },
    )


# Shows the secret of an app being set up: never kept by a browser or a cache.
@never_cache
@login_required
def set_up(request):
    # Replacing an app, or adding one beside a passkey, needs the second step first, and the
    # password again.
    if not mfa.has_second_step(request):
        return _set_up(request, first=True)
    if not mfa.is_verified(request):
        return redirect(next_step_url(request, safe_next(request)))
    return _another_app(request)


@password_confirmed_first()
def _another_app(request):
    return _set_up(request, first=False)


def _set_up(request, *, first: bool):
    person = request.user
    secret = request.session.get(NEW_SECRET)
    if not secret:
        secret = request.session[NEW_SECRET] = mfa.new_secret()
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = mfa.authenticator_add(
                person=person, key=secret, code=form.cleaned_data["code"]
            )
        except ValueError:
            form.add_error("code", WRONG_SET_UP_CODE)
        else:
            del request.session[NEW_SECRET]
            mfa.mark_verified(request, device)
            request.session[NEW_CODES] = codes
            response = redirect(with_next("accounts:mfa_recovery_codes", safe_next(request)))
            throttle.remember_device(request, response, person.email)
            return response
    return render(
        request,
        "accounts/mfa_set_up.jinja",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            # segno's SVG from our own otpauth:// address: attributes only, no script or style.
            "qr_code": mark_safe(mfa.qr_svg(mfa.setup_url(person, secret))),  # noqa: S308
            "secret": mfa.secret_for_typing(secret),
            "replacing": mfa.has_app(person),
            "first": first,
        },
    )


def with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


# Recovery codes, shown once: never kept by a browser or a cache.
@never_cache
@login_required
def recovery_codes(request):
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("accounts:mfa_manage")
    return render(
        request,
        "accounts/mfa_recovery_codes.jinja",
        {"codes": codes, "next": safe_next(request)},
    )


@require_POST
@login_required
@password_confirmed_first(back="accounts:mfa_manage")
def recovery_codes_new(request):
    if not mfa.has_second_step(request):
        return redirect("accounts:mfa_manage")
    request.session[NEW_CODES] = mfa.recovery_codes_renew(person=request.user)
    return redirect("accounts:mfa_recovery_codes")


@login_required
def manage(request):
    person = request.user
    return render(
        request,
        "accounts/mfa_manage.jinja",
        {
            "app": mfa.app_of(person),
            "passkeys": passkeys.passkeys_of(person),
            "codes_left": mfa.recovery_codes_left(person),
            "required": mfa.is_staff_person(request),
        },
    )
