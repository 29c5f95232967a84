from django.urls import path

from stepwise.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/learners/", views.learners, name="learners"),
    path("reports/export.<str:file_format>", views.export, name="export"),
]
