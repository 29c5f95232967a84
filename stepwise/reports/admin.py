from django.contrib import admin

from stepwise.reports.models import NetworkLead


@admin.register(NetworkLead)
class NetworkLeadAdmin(admin.ModelAdmin):
    list_display = ["person", "network", "started_on", "ended_on"]
    list_filter = ["network"]
    autocomplete_fields = ["person"]

    def has_delete_permission(self, request, obj=None):
        return False
