from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

from stepwise.accounts.models import AccessLink, SelfRegistration, User
from stepwise.core.access_log import LoggedChangeViewAdmin
from stepwise.core.admin_read_only import ReadOnlyAdmin

# django-otp's pages would show each person's authenticator secret and QR code to platform
# administrators: nobody but the person sees them. Resetting is a Trust administrator's page.
# Passkeys likewise: the person lists and removes their own.
for _model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class PersonAdmin(LoggedChangeViewAdmin, UserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "registration", "is_framework_author", "is_staff"]
    list_filter = ["is_staff", "is_framework_author", "is_active"]
    search_fields = ["full_name", "email", "registration_number"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Person",
            {"fields": ["full_name", "job_title", "registration_body", "registration_number"]},
        ),
        (
            "Platform roles",
            {"fields": ["is_active", "is_staff", "is_superuser", "is_framework_author", "groups"]},
        ),
        ("Dates", {"fields": ["email_verified_at", "date_joined", "last_login"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]

    def logged_subject(self, person):
        return person.pk

    def has_delete_permission(self, request, obj=None):
        return False  # people are never deleted: their records and decisions must stay.


@admin.register(AccessLink)
class AccessLinkAdmin(admin.ModelAdmin):
    list_display = ["person", "purpose", "created_at", "expires_at", "used_at"]
    readonly_fields = [
        "person",
        "purpose",
        "token_hash",
        "created_by",
        "trust",
        "unit",
        "created_at",
        "expires_at",
        "used_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SelfRegistration)
class SelfRegistrationAdmin(ReadOnlyAdmin):
    """Registrations through Trusts' links, for support: read only, and never the password."""

    list_display = ["full_name", "email", "trust", "state", "created_at", "expires_at"]
    list_filter = ["state"]
    search_fields = ["full_name", "email"]
    fields = [
        "full_name",
        "email",
        "job_title",
        "registration_body",
        "registration_number",
        "trust",
        "unit",
        "state",
        "person",
        "created_at",
        "expires_at",
        "confirmed_at",
    ]
    readonly_fields = fields
