"""Requesting one URL as one person and naming what happened, without leaving any trace: each
request runs in a savepoint rolled back afterwards, and the client's cookies are put back, so
every cell of the matrix starts from the same world."""

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from stepwise.accounts.tests import two_step

SIGN_IN = reverse(settings.LOGIN_URL)
ADMIN_SIGN_IN = reverse("admin:login")
SECOND_STEP = (reverse("accounts:mfa_verify"), reverse("accounts:mfa_set_up"))


class Visitor:
    """A test client per person, signed in once: with the second step of two-step sign-in
    too where they must use it, unless `second_step=False` (only the password, as a person
    between the two steps)."""

    def __init__(self, people: dict, *, second_step: bool = True):
        self.clients = {}
        for persona, person in people.items():
            client = Client(raise_request_exception=False)
            if person is not None and second_step:
                two_step.sign_in(client, person)
            elif person is not None:
                client.force_login(person, backend=two_step.BACKEND)
            self.clients[persona] = client

    def request(self, persona: str, method: str, path: str, *, before_rollback=None, **extra):
        """`method` is the test client's ("get", "post"), or any HTTP method in capitals;
        `before_rollback(response)` may look at what the request wrote before it goes."""
        client = self.clients[persona]
        cookies = client.cookies
        client.cookies = type(cookies)(cookies)  # a copy, so what the response sets goes
        try:
            with transaction.atomic():
                if method.isupper():
                    response = client.generic(method, path, **extra)
                else:
                    response = getattr(client, method)(path, **extra)
                if before_rollback is not None:
                    before_rollback(response)
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        return response


def outcome(response) -> str:
    """'in' for a redirect to sign in, 'code' for one to two-step sign-in's second step;
    otherwise the status code."""
    if response.status_code == 302:
        target = resolve_path(response["Location"])
        if target in (SIGN_IN, ADMIN_SIGN_IN):
            return "in"
        if target in SECOND_STEP:
            return "code"
    return str(response.status_code)


def resolve_path(location: str) -> str:
    path = location.split("?", 1)[0]
    if "://" in path:
        path = "/" + path.split("://", 1)[1].split("/", 1)[-1]
    try:
        resolve(path)
    except Resolver404:  # a redirect outside the URLconf is just "302"
        return ""
    return path
