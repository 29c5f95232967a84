from django.urls import path

from stepwise.frameworks import views

app_name = "frameworks"

VERSION = "frameworks/<slug:slug>/versions/<int:version_id>/"

urlpatterns = [
    path(
        "ims/case/v1p1/CFPackages/<uuid:document_uuid>",
        views.case_package,
        name="case_package",
    ),
    # Frameworks (the fixed words first: rules.RESERVED_SLUGS keeps them from any slug)
    path("frameworks/", views.framework_list, name="list"),
    path("frameworks/new/", views.framework_create, name="create"),
    path("frameworks/template/", views.template_help, name="template"),
    path("frameworks/template/<str:fmt>/", views.template_download, name="template_download"),
    path("frameworks/<slug:slug>/", views.framework_detail, name="framework"),
    path(
        "frameworks/<slug:slug>/collaborators/new/",
        views.collaborator_add,
        name="collaborator_add",
    ),
    path(
        "frameworks/<slug:slug>/collaborators/<int:collaborator_id>/remove/",
        views.collaborator_remove,
        name="collaborator_remove",
    ),
    path("frameworks/<slug:slug>/versions/new/", views.version_new, name="version_new"),
    path("frameworks/<slug:slug>/import/", views.version_import, name="import"),
    # A version
    path(VERSION, views.version_detail, name="version"),
    path(VERSION + "settings/", views.version_settings, name="version_settings"),
    path(VERSION + "export/<str:fmt>/", views.version_export, name="export"),
    path(VERSION + "preview/", views.version_preview, name="preview"),
    path(VERSION + "changes/", views.version_changes, name="changes"),
    path(VERSION + "submit/", views.version_submit, name="submit"),
    path(VERSION + "review/", views.version_review, name="review"),
    path(VERSION + "approve/", views.version_approve, name="approve"),
    path(VERSION + "return/", views.version_return, name="return"),
    path(VERSION + "publish/", views.version_publish, name="publish"),
    path(VERSION + "retire/", views.version_retire, name="retire"),
    # Its content, while a draft
    path(VERSION + "sections/new/", views.section_add, name="section_add"),
    path(VERSION + "sections/<int:section_id>/", views.section_edit, name="section_edit"),
    path(
        VERSION + "sections/<int:section_id>/remove/",
        views.section_remove,
        name="section_remove",
    ),
    path(VERSION + "sections/<int:section_id>/move/", views.section_move, name="section_move"),
    path(
        VERSION + "sections/<int:section_id>/proficiencies/new/",
        views.proficiency_add,
        name="proficiency_add",
    ),
    path(
        VERSION + "proficiencies/<int:proficiency_id>/",
        views.proficiency_edit,
        name="proficiency_edit",
    ),
    path(
        VERSION + "proficiencies/<int:proficiency_id>/remove/",
        views.proficiency_remove,
        name="proficiency_remove",
    ),
    path(
        VERSION + "proficiencies/<int:proficiency_id>/move/",
        views.proficiency_move,
        name="proficiency_move",
    ),
    # The Trust's offers
    path("offered-frameworks/", views.offers, name="offers"),
    path("offered-frameworks/<slug:slug>/offer/", views.offer, name="offer"),
    path("offered-frameworks/<slug:slug>/stop/", views.offer_stop, name="offer_stop"),
    path(
        "offered-frameworks/<slug:slug>/self-enrolment/",
        views.offer_self_enrolment,
        name="offer_self_enrolment",
    ),
]
