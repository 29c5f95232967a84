from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import include, path

from stepwise.core.admin_search import bounded_search


def _admin_sign_in(request, extra_context=None):
    # Platform administrators sign in through the service's own page, with its throttling;
    # anyone else who is signed in is simply not allowed.
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/platform-admin/"))


admin.site.login = _admin_sign_in
admin.site.admin_view = bounded_search(admin.site.admin_view)
admin.site.site_header = "Stepwise platform administration"
admin.site.site_title = "Stepwise admin"

urlpatterns = [
    path("", include("stepwise.core.urls")),
    path("", include("stepwise.accounts.urls")),
    path("", include("stepwise.organisations.urls")),
    path("", include("stepwise.frameworks.urls")),
    path("", include("stepwise.progress.urls")),
    path("", include("stepwise.certificates.urls")),
    path("", include("stepwise.notifications.urls")),
    path("", include("stepwise.passports.urls")),
    path("", include("stepwise.reports.urls")),
    path("", include("stepwise.feedback.urls")),
    path("", include("stepwise.training.urls")),
    path("", include("stepwise.privacy.urls")),
    path("platform-admin/", admin.site.urls),
]

handler400 = "stepwise.core.views.bad_request"
handler403 = "stepwise.core.views.forbidden"
handler404 = "stepwise.core.views.not_found"
handler500 = "stepwise.core.views.server_error"
