from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "stepwise.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Here, not at import: the pages read models, which are loaded only now.
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from django_otp_webauthn.models import WebAuthnCredential

        from stepwise.accounts import confirm_first, mfa, signed_in
        from stepwise.accounts.navigation import register_navigation

        register_navigation()
        # Setting up an app or a passkey makes two-step sign-in required at once.
        mfa.watch_second_step(TOTPDevice, "user")
        mfa.watch_second_step(WebAuthnCredential, "user")
        confirm_first.connect()
        signed_in.connect()
