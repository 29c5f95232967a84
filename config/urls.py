from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("stepwise.core.urls")),
    path("", include("stepwise.accounts.urls")),
    path("", include("stepwise.organisations.urls")),
    path("", include("stepwise.frameworks.urls")),
    path("platform-admin/", admin.site.urls),
]

handler400 = "stepwise.core.views.bad_request"
handler403 = "stepwise.core.views.forbidden"
handler404 = "stepwise.core.views.not_found"
handler500 = "stepwise.core.views.server_error"
