from django.urls import path

from stepwise.privacy import views

app_name = "privacy"

urlpatterns = [
    path("your-data/", views.my_data, name="my_data"),
    path("people/<int:membership_id>/data-export/", views.person_export, name="person_export"),
    path("data-exports/<uuid:export_id>/", views.export_progress, name="export_progress"),
    path("data-exports/<uuid:export_id>/download/", views.export_download, name="export_download"),
]
