"""The frameworks app's pages: the public CASE endpoint, authoring, review and publishing, and
the Trust's offers."""

from stepwise.frameworks.views.case import case_package
from stepwise.frameworks.views.content import (
    proficiency_add,
    proficiency_edit,
    proficiency_move,
    proficiency_remove,
    section_add,
    section_edit,
    section_move,
    section_remove,
)
from stepwise.frameworks.views.frameworks import (
    collaborator_add,
    collaborator_remove,
    framework_create,
    framework_detail,
    framework_list,
    template_download,
    template_help,
    version_import,
    version_new,
)
from stepwise.frameworks.views.offers import offer, offer_self_enrolment, offer_stop, offers
from stepwise.frameworks.views.review import (
    version_approve,
    version_publish,
    version_retire,
    version_return,
    version_review,
    version_submit,
)
from stepwise.frameworks.views.versions import (
    version_changes,
    version_detail,
    version_export,
    version_preview,
    version_settings,
)

__all__ = [
    "case_package",
    "collaborator_add",
    "collaborator_remove",
    "framework_create",
    "framework_detail",
    "framework_list",
    "offer",
    "offer_self_enrolment",
    "offer_stop",
    "offers",
    "proficiency_add",
    "proficiency_edit",
    "proficiency_move",
    "proficiency_remove",
    "section_add",
    "section_edit",
    "section_move",
    "section_remove",
    "template_download",
    "template_help",
    "version_approve",
    "version_changes",
    "version_detail",
    "version_export",
    "version_import",
    "version_new",
    "version_preview",
    "version_publish",
    "version_retire",
    "version_return",
    "version_review",
    "version_settings",
    "version_submit",
]
