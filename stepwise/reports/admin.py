from django.contrib import admin

from stepwise.reports.models import NetworkLead


@admin.register(NetworkLead)
class NetworkLeadAdmin(admin.ModelAdmin):
    list_display = ["person", "network", "started_on", "ended_on"]
    list_filter = ["network"]
    # Not autocomplete_fields: Django's autocomplete widget, shown again with a refused id
    # that is not a number ("²"), was a 500 (found by tests/fuzz/test_admin_forms.py).
    raw_id_fields = ["person"]

    def has_delete_permission(self, request, obj=None):
        return False
