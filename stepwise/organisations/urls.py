from django.urls import path

from stepwise.organisations import views
from stepwise.organisations.upload import views as upload_views
from stepwise.organisations.views import access_log, invitations, joining

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
    path(
        "people/<int:membership_id>/two-step-sign-in/reset/",
        views.two_step_reset,
        name="two_step_reset",
    ),
    path("people/<int:membership_id>/invite/", views.invitation_resend, name="invitation_resend"),
    path(
        "people/<int:membership_id>/withdraw-invitation/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    # A person's own invitations to join a Trust (views/invitations.py).
    path("invitations/", invitations.join_invitations, name="join_invitations"),
    path("invitations/<int:membership_id>/accept/", invitations.join_accept, name="join_accept"),
    path("invitations/<int:membership_id>/decline/", invitations.join_decline, name="join_decline"),
    path("registrations/", views.approvals, name="approvals"),
    path("registrations/<int:membership_id>/", views.approval_decide, name="approval_decide"),
    path("trust-settings/", views.trust_settings, name="settings"),
    path("access-log/", access_log.access_log, name="access_log"),
    path(
        "trust-settings/new-link/",
        views.registration_link_new,
        name="settings_new_link",
    ),
    path("join/<str:code>/", joining.register, name="register"),
    path(
        "join/<str:code>/check-your-email/",
        joining.register_check_email,
        name="register_check_email",
    ),
    path("confirm-email/<str:token>/", joining.confirm_email, name="confirm_email"),
    path("switch-organisation/", joining.switch_organisation, name="switch_organisation"),
]
