from django.urls import path

from stepwise.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path(
        "ims/case/v1p1/CFPackages/<uuid:document_uuid>",
        views.case_package,
        name="case_package",
    ),
]
