"""Certificates in the platform admin: read-only (they are issued by sign-off and never
edited or deleted), with the way to the service's revoke page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.core.access_log import LoggedChangeViewAdmin
from stepwise.core.admin_read_only import ReadOnlyAdmin
from stepwise.core.formatting import date


class EventInline(admin.TabularInline):
    model = CertificateEvent
    fields = ("at", "kind", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(LoggedChangeViewAdmin, ReadOnlyAdmin):
    list_display = ("serial", "learner_name", "certifies", "trust_name", "signed_off", "status")
    search_fields = ("learner_name", "trust_name", "title")
    list_filter = ("kind",)
    list_select_related = ("revoked_by",)
    inlines = [EventInline]
    exclude = ("recipient_salt", "recipient_hash")

    @admin.display(description="Certificate")
    def certifies(self, certificate):
        return certificate.achievement_name

    @admin.display(description="Completed", ordering="signed_off_at")
    def signed_off(self, certificate):
        return date(certificate.signed_off_at)

    @admin.display(description="Status")
    def status(self, certificate):
        if certificate.is_revoked:
            return f"Revoked {date(certificate.revoked_at)}"
        return format_html(
            '<a href="{}">Revoke</a>', reverse("certificates:revoke", args=[certificate.serial])
        )

    def logged_subject(self, certificate):
        return certificate.holder_id

    def logged_trust(self, certificate):
        return certificate.issuer_id

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Certificate._meta.fields if field.name not in self.exclude]
