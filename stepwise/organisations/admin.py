from django.contrib import admin

from stepwise.core.access_log import LoggedChangeViewAdmin
from stepwise.core.admin_read_only import ReadOnlyAdmin
from stepwise.organisations.models import (
    Cohort,
    Membership,
    MembershipEvent,
    Organisation,
    TrustEvent,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    filter_horizontal = ["partners"]
    readonly_fields = ["registration_code"]

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipEventInline(admin.TabularInline):
    model = MembershipEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "from_state", "to_state", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(LoggedChangeViewAdmin, admin.ModelAdmin):
    list_display = ["person", "trust", "unit", "role_names", "state", "started_on", "ended_on"]
    list_filter = ["state", "trust"]
    search_fields = ["person__full_name", "person__email"]
    raw_id_fields = ["person", "created_by"]
    inlines = [MembershipEventInline]

    def logged_subject(self, membership):
        return membership.person_id

    def logged_trust(self, membership):
        return membership.trust_id

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrustEvent)
class TrustEventAdmin(ReadOnlyAdmin):
    """Events are the Trust's history: read here, written only by the services."""

    list_display = ["trust", "kind", "actor", "at"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "trust_count"]
    search_fields = ["name"]
    filter_horizontal = ["trusts"]
    readonly_fields = ["created_at"]

    @admin.display(description="Trusts")
    def trust_count(self, cohort):
        return cohort.trusts.count()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("trusts")

    def has_delete_permission(self, request, obj=None):
        # Forms and reports keep pointing at a cohort once it has been used.
        return False
