from stepwise.certificates.views.downloads import credential, download
from stepwise.certificates.views.public import check, verify
from stepwise.certificates.views.published import issuer, jwks, status_list
from stepwise.certificates.views.revocation import certificate_list, revoke

__all__ = [
    "certificate_list",
    "check",
    "credential",
    "download",
    "issuer",
    "jwks",
    "revoke",
    "status_list",
    "verify",
]
