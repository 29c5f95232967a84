"""Response headers Django does not set itself, the HTTP methods the service answers, and the
server's own timing of each request when measuring."""

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
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


class ServerTimingMiddleware:
    """When measuring (STEPWISE_SERVER_TIMING, on in config.settings.serve_local only), each
    response says in a Server-Timing header how much of this thread's CPU its request took,
    and how long: `make loadtest` reads them for the median CPU a request (issue 13), which
    the server processes' CPU totals cannot give. Off, it takes itself out of the chain: a
    real site does not tell anyone its timings."""

    def __init__(self, get_response):
        if not settings.STEPWISE_SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        cpu = (time.thread_time() - started_cpu) * 1000
        total = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"cpu;dur={cpu:.2f}, app;dur={total:.2f}"
        return response
