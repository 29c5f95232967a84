"""The platform admin's view of frameworks. Nothing can be deleted; a published or retired
version and its content can only be read; state changes go through the services."""

from django.contrib import admin

from stepwise.core.admin_read_only import ReadOnlyAdmin
from stepwise.frameworks.models import (
    Framework,
    FrameworkCollaborator,
    FrameworkEvent,
    FrameworkVersion,
    FrameworkVersionEvent,
    Proficiency,
    ReviewComment,
    Section,
    TrustFramework,
)
from stepwise.frameworks.services._common import record


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class FrozenContentAdmin(NoDeleteAdmin):
    """Read-only once the version is published or retired; edits to drafts are recorded."""

    def _version(self, obj):
        return obj if isinstance(obj, FrameworkVersion) else obj.version

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._version(obj).is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            record(
                version=self._version(obj),
                kind=FrameworkVersionEvent.Kind.EDITED,
                by=request.user,
                note=f"Changed {obj._meta.verbose_name} {obj} in the platform admin: "
                + ", ".join(form.changed_data),
            )


class CollaboratorInline(admin.TabularInline):
    model = FrameworkCollaborator
    extra = 0
    can_delete = False
    raw_id_fields = ["person", "added_by"]


class FrameworkEventInline(admin.TabularInline):
    model = FrameworkEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "trust", "actor", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(NoDeleteAdmin):
    list_display = ["title", "slug", "created_by", "created_at"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["created_by"]
    inlines = [CollaboratorInline, FrameworkEventInline]


class EventInline(admin.TabularInline):
    model = FrameworkVersionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "from_state", "to_state", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(FrozenContentAdmin):
    list_display = ["framework", "label", "state", "published_at", "document_uuid"]
    list_filter = ["state", "framework"]
    search_fields = ["framework__title", "label", "document_uuid"]
    list_select_related = ["framework"]
    # The way through review and publication is the services', with their event rows.
    readonly_fields = [
        "state",
        "document_uuid",
        "based_on",
        "created_by",
        "created_at",
        "changed_at",
        "approved_by",
        "approved_at",
        "published_by",
        "published_at",
        "retired_at",
    ]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False  # versions start with version_draft or an import


@admin.register(Section)
class SectionAdmin(FrozenContentAdmin):
    list_display = ["code", "title", "version", "position"]
    list_filter = ["version__framework", "version__state"]
    search_fields = ["code", "title"]
    list_select_related = ["version__framework"]
    readonly_fields = ["version", "uuid"]

    def has_add_permission(self, request):
        return False


@admin.register(Proficiency)
class ProficiencyAdmin(FrozenContentAdmin):
    list_display = ["code", "statement", "section", "version", "optional", "supernumerary"]
    list_filter = ["version__framework", "version__state", "optional", "supernumerary"]
    search_fields = ["code", "statement", "uuid"]
    list_select_related = ["version__framework", "section"]
    readonly_fields = ["version", "section", "uuid"]

    def has_add_permission(self, request):
        return False


@admin.register(FrameworkVersionEvent)
class FrameworkVersionEventAdmin(ReadOnlyAdmin):
    list_display = ["version", "kind", "actor", "from_state", "to_state", "at"]
    list_filter = ["kind"]
    list_select_related = ["version__framework", "actor"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(NoDeleteAdmin):
    list_display = ["version", "author", "at"]
    list_select_related = ["version__framework", "author"]
    readonly_fields = ["version", "author", "body", "at"]

    def has_add_permission(self, request):
        return False


@admin.register(TrustFramework)
class TrustFrameworkAdmin(NoDeleteAdmin):
    list_display = ["trust", "framework", "learners_may_enrol_themselves", "offered_since"]
    list_select_related = ["trust", "framework"]
    raw_id_fields = ["offered_by"]
