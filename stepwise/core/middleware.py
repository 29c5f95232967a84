"""Response headers Django does not set itself, and the HTTP methods the service answers."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils.cache import patch_cache_control

# Every page is read with GET (HEAD) and changed with a form's POST; nothing uses any other.
METHODS = ("GET", "HEAD", "POST")


class ResponseHeadersMiddleware:
    """Every response: a Permissions-Policy turning off browser features the service never uses.
    Every response to someone with a session: Cache-Control no-store, so a signed-in page is not
    kept by the browser (the back button on a shared ward tablet) or any cache on the way."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        # The session cookie, sent or just set, rather than request.user: looking at the user
        # would cost queries on pages that never did, and a session is what signing in makes.
        cookie = settings.SESSION_COOKIE_NAME
        if cookie in request.COOKIES or cookie in response.cookies:
            patch_cache_control(response, no_store=True)
        return response


class HttpMethodsMiddleware:
    """Refuse every method but GET, HEAD and POST with 405, before any view runs (OWASP ASVS
    5.0 V13.4.4). Django's function views answer whatever method they are sent, so without
    this TRACE would get the page, and PUT the same as POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        return self.get_response(request)
