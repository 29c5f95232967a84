from django.urls import path, re_path

from stepwise.certificates import views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/<uuid:serial>/download/", views.download, name="download"),
    path("certificates/<uuid:serial>/credential/", views.credential, name="credential"),
    path("certificates/<uuid:serial>/revoke/", views.revoke, name="revoke"),
    # Printed on every certificate and in its QR code: this address must never change. Any
    # text is taken (with or without a trailing slash) so a mistyped serial is "not found".
    re_path(r"^verify/(?P<serial>[^/]{1,100})/?$", views.verify, name="verify"),
    path("verify-credential/", views.check, name="check"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("issuers/<int:trust_id>", views.issuer, name="issuer"),
    path("issuers/<int:trust_id>/status/<int:list_number>", views.status_list, name="status_list"),
]
