"""Every change to frameworks: keyword-only functions, one transaction each, with event rows."""

from stepwise.frameworks.services.content import (
    Move,
    proficiency_add,
    proficiency_edit,
    proficiency_move,
    proficiency_remove,
    section_add,
    section_edit,
    section_move,
    section_remove,
)
from stepwise.frameworks.services.offers import (
    trust_framework_offer,
    trust_framework_set_self_enrolment,
    trust_framework_withdraw,
)
from stepwise.frameworks.services.people import (
    collaborator_add,
    collaborator_remove,
    review_comment_add,
)
from stepwise.frameworks.services.versions import (
    framework_create,
    next_label,
    version_approve,
    version_draft,
    version_import,
    version_publish,
    version_retire,
    version_return,
    version_submit_for_review,
    version_update,
)

__all__ = [
    "Move",
    "collaborator_add",
    "collaborator_remove",
    "framework_create",
    "next_label",
    "proficiency_add",
    "proficiency_edit",
    "proficiency_move",
    "proficiency_remove",
    "review_comment_add",
    "section_add",
    "section_edit",
    "section_move",
    "section_remove",
    "trust_framework_offer",
    "trust_framework_set_self_enrolment",
    "trust_framework_withdraw",
    "version_approve",
    "version_draft",
    "version_import",
    "version_publish",
    "version_retire",
    "version_return",
    "version_submit_for_review",
    "version_update",
]
