"""What verifiers fetch: the public keys (JWKS), each Trust's issuer profile, and each Trust's
status lists. Public, machine-readable, readable from other sites' pages (CORS)."""

import logging

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from stepwise.certificates import keys, status
from stepwise.certificates.credentials import MEDIA_TYPE, issuer_profile, signed_status_list
from stepwise.organisations.models import Organisation

logger = logging.getLogger(__name__)


def _public(response, max_age: int):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _not_found(what: str) -> JsonResponse:
    return _public(JsonResponse({"error": f"No such {what}."}, status=404), 60)


def _unavailable(error: Exception) -> JsonResponse:
    logger.error("Signing keys: %s", error)
    response = JsonResponse({"error": "The signing keys are not available."}, status=503)
    response["Retry-After"] = "60"
    return response


def _trust(trust_id: int) -> Organisation | None:
    return Organisation.objects.filter(pk=trust_id, kind=Organisation.Kind.TRUST).first()


@require_safe
def jwks(request):
    try:
        published = keys.jwks()
    except keys.SigningKeyError as error:
        return _unavailable(error)
    return _public(JsonResponse(published, content_type="application/jwk-set+json"), 300)


@require_safe
def issuer(request, trust_id: int):
    trust = _trust(trust_id)
    if trust is None:
        return _not_found("issuer")
    return _public(
        JsonResponse(issuer_profile(trust), json_dumps_params={"ensure_ascii": False}), 300
    )


@require_safe
def status_list(request, trust_id: int, list_number: int):
    if _trust(trust_id) is None or not status.list_in_use(trust_id, list_number):
        return _not_found("status list")
    try:
        token = signed_status_list(trust_id, list_number)
    except keys.SigningKeyError as error:
        return _unavailable(error)
    # Short-lived: a revocation should reach verifiers within a minute.
    return _public(HttpResponse(token, content_type=MEDIA_TYPE), 60)
