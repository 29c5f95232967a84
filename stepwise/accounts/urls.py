from django.urls import path

from stepwise.accounts import mfa_views, passkey_views, session_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("password-reset/", views.password_reset_request, name="password_reset"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("sign-in/single-sign-on/", views.sso_start, name="sso_start"),
    path("sign-in/single-sign-on/callback/", views.sso_callback, name="sso_callback"),
    path("account/", views.account, name="account"),
    path("sign-in/security-code/", mfa_views.verify, name="mfa_verify"),
    path("account/two-step-sign-in/", mfa_views.manage, name="mfa_manage"),
    path("account/confirm-its-you/", mfa_views.confirm_password, name="confirm_password"),
    path("account/two-step-sign-in/set-up/", mfa_views.set_up, name="mfa_set_up"),
    path(
        "account/two-step-sign-in/recovery-codes/",
        mfa_views.recovery_codes,
        name="mfa_recovery_codes",
    ),
    path(
        "account/two-step-sign-in/recovery-codes/new/",
        mfa_views.recovery_codes_new,
        name="mfa_recovery_codes_new",
    ),
    # Passkeys: the pages, then the JSON of the browser's WebAuthn calls (django-otp-webauthn's
    # views). Signing in with a passkey is only ever the second step, after the password.
    path("account/two-step-sign-in/passkeys/new/", passkey_views.add, name="passkey_add"),
    path(
        "account/two-step-sign-in/passkeys/<int:passkey_id>/remove/",
        passkey_views.remove,
        name="passkey_remove",
    ),
    path(
        "account/two-step-sign-in/passkeys/new/begin/",
        passkey_views.PasskeyAddBegin.as_view(),
        name="passkey_add_begin",
    ),
    path(
        "account/two-step-sign-in/passkeys/new/complete/",
        passkey_views.PasskeyAddComplete.as_view(),
        name="passkey_add_complete",
    ),
    path(
        "sign-in/passkey/begin/",
        passkey_views.PasskeySignInBegin.as_view(),
        name="passkey_sign_in_begin",
    ),
    path(
        "sign-in/passkey/complete/",
        passkey_views.PasskeySignInComplete.as_view(),
        name="passkey_sign_in_complete",
    ),
    path("account/password/", views.change_password, name="change_password"),
    path("account/signed-in/", session_views.signed_in_list, name="signed_in"),
    path(
        "account/signed-in/<int:row_id>/sign-out/",
        session_views.signed_in_end,
        name="signed_in_end",
    ),
    path("account/single-sign-on/<int:link_id>/unlink/", views.sso_unlink, name="sso_unlink"),
    path(
        "account/sign-out-other-devices/",
        views.sign_out_elsewhere,
        name="sign_out_elsewhere",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
