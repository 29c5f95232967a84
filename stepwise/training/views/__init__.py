from stepwise.training.views.authoring import (
    authoring,
    package_create,
    package_detail,
    page_add,
    page_edit,
    page_remove,
    version_detail,
    version_draft,
    version_publish,
    version_return,
    version_settings,
    version_submit,
)
from stepwise.training.views.learning import attachment, complete, mine, package, page
from stepwise.training.views.records import records, records_download, rule

__all__ = [
    "attachment",
    "authoring",
    "complete",
    "mine",
    "package",
    "package_create",
    "package_detail",
    "page",
    "page_add",
    "page_edit",
    "page_remove",
    "records",
    "records_download",
    "rule",
    "version_detail",
    "version_draft",
    "version_publish",
    "version_return",
    "version_settings",
    "version_submit",
]
