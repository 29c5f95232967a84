"""The platform administration's pages for history and issued things (event logs,
registrations, certificates): they may be read there, never added, changed or deleted; the
services write them."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
