from django.urls import path

from stepwise.training import views

app_name = "training"

VERSION = "training-packages/<slug:slug>/versions/<int:version_id>/"

urlpatterns = [
    # The person's side
    path("training/", views.mine, name="mine"),
    path("training/<slug:slug>/", views.package, name="package"),
    path("training/<slug:slug>/pages/<int:page_id>/", views.page, name="page"),
    path("training/<slug:slug>/pages/<int:page_id>/file/", views.attachment, name="attachment"),
    path("training/<slug:slug>/complete/", views.complete, name="complete"),
    # The Trust's records and rule
    path("training-records/", views.records, name="records"),
    path(
        "training-records/download/<str:file_format>/",
        views.records_download,
        name="records_download",
    ),
    path("training-records/rule/", views.rule, name="rule"),
    # Writing packages
    path("training-packages/", views.authoring, name="authoring"),
    path("training-packages/new/", views.package_create, name="package_create"),
    path("training-packages/<slug:slug>/", views.package_detail, name="authoring_package"),
    path("training-packages/<slug:slug>/draft/", views.version_draft, name="version_draft"),
    path(VERSION, views.version_detail, name="version"),
    path(VERSION + "settings/", views.version_settings, name="version_settings"),
    path(VERSION + "pages/new/", views.page_add, name="page_add"),
    path(VERSION + "pages/<int:page_id>/", views.page_edit, name="page_edit"),
    path(VERSION + "pages/<int:page_id>/remove/", views.page_remove, name="page_remove"),
    path(VERSION + "pages/<int:page_id>/move/", views.page_move, name="page_move"),
    path(VERSION + "submit/", views.version_submit, name="submit"),
    path(VERSION + "return/", views.version_return, name="return"),
    path(VERSION + "publish/", views.version_publish, name="publish"),
]
