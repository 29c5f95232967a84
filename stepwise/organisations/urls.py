from django.urls import path

from stepwise.organisations import views
from stepwise.organisations.upload import views as upload_views

app_name = "organisations"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/register/", views.person_register, name="person_register"),
    path("people/upload/", upload_views.bulk_upload, name="bulk_upload"),
    path(
        "people/upload/<uuid:upload_id>/",
        upload_views.bulk_upload_progress,
        name="bulk_upload_progress",
    ),
    path("people/<int:membership_id>/", views.person_detail, name="person_detail"),
    path("people/<int:membership_id>/roles/", views.person_roles, name="person_roles"),
    path("people/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("people/<int:membership_id>/invite/", views.invitation_resend, name="invitation_resend"),
    path("registrations/", views.approvals, name="approvals"),
    path("registrations/<int:membership_id>/", views.approval_decide, name="approval_decide"),
    path("trust-settings/", views.trust_settings, name="settings"),
    path(
        "trust-settings/new-link/",
        views.registration_link_new,
        name="settings_new_link",
    ),
]
