from django.urls import path

from stepwise.reports import views, views_exports, views_frameworks, views_network

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/learners/", views.learners, name="learners"),
    path(
        "reports/learners/export.<str:file_format>",
        views.learners_export,
        name="learners_export",
    ),
    path("reports/export.<str:file_format>", views.export, name="export"),
    path(
        "reports/downloads/<uuid:export_id>/",
        views_exports.export_progress,
        name="export_progress",
    ),
    path(
        "reports/downloads/<uuid:export_id>/file",
        views_exports.export_download,
        name="export_download",
    ),
    path("reports/frameworks/", views_frameworks.framework_list, name="frameworks"),
    path(
        "reports/frameworks/<slug:slug>/rejections/",
        views_frameworks.framework_rejections,
        name="framework_rejections",
    ),
    path("reports/england/", views_network.national, name="national"),
    path(
        "reports/england/export.<str:file_format>",
        views_network.national,
        name="national_export",
    ),
    path("reports/networks/<int:network_id>/", views_network.network, name="network"),
    path(
        "reports/networks/<int:network_id>/export.<str:file_format>",
        views_network.network,
        name="network_export",
    ),
    path(
        "reports/networks/<int:network_id>/trusts/<int:trust_id>/",
        views_network.network_trust,
        name="network_trust",
    ),
    path(
        "reports/networks/<int:network_id>/trusts/<int:trust_id>/export.<str:file_format>",
        views_network.network_trust,
        name="network_trust_export",
    ),
]
