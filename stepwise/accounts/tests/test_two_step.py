"""Two-step sign-in (issue 12, point 1): staff set up an authenticator app at their first
sign-in and enter its code every time after; recovery codes work once each; learners may turn
it on; a session that has not passed the second step reaches no staff page."""

import re
from base64 import b32decode
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepwise.accounts import mfa
from stepwise.accounts.models import RecoveryCode
from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:mfa_verify")
SET_UP = reverse("accounts:mfa_set_up")
CODES = reverse("accounts:mfa_recovery_codes")
MANAGE = reverse("accounts:mfa_manage")
HOME = reverse("core:home")


def password_step(client, person, next_url=""):
    data = {"email": person.email, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(SIGN_IN, data)


def secret_on(page: str) -> str:
    """The key the set-up page writes out for typing, as hex (what an app would hold)."""
    typed = re.search(r'class="stepwise-secret"><code>([A-Z2-7 ]+)</code>', page).group(1)
    return b32decode("".join(typed.split())).hex()


def set_up_app(client) -> tuple[str, list[str]]:
    """Set up an app on the set-up page; the app's secret and the recovery codes shown."""
    secret = secret_on(client.get(SET_UP).content.decode())
    response = client.post(SET_UP, {"code": mfa.code_now(secret)})
    assert response.status_code == 302 and response.url.startswith(CODES)
    page = client.get(response.url).content.decode()
    return secret, re.findall(
        r"<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code></li>", page
    )


@pytest.mark.parametrize(
    "persona", ["assessor", "educator", "trust_admin", "framework_author", "platform_admin"]
)
def test_staff_set_up_an_app_after_the_password_before_any_page(client, request, persona):
    person = request.getfixturevalue(persona)
    response = password_step(client, person, next_url="/people/")
    assert response.url == f"{SET_UP}?next={quote('/people/', safe='')}"
    # Between the two steps, every other page sends them back to it.
    for path in (HOME, "/people/", "/to-review/", "/platform-admin/", "/frameworks/"):
        assert client.get(path).url.startswith(SET_UP), path
    # The device is remembered only after the second step.
    assert not any(name.endswith("stepwise_device") for name in response.cookies)


def test_the_set_up_page_shows_a_qr_code_and_the_key_written_out(client, assessor):
    password_step(client, assessor)
    response = client.get(SET_UP)
    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    secret = secret_on(page)
    assert len(bytes.fromhex(secret)) == 20
    svg = re.search(r'<svg[^>]*class="stepwise-qr-code".*?</svg>', page, re.S).group(0)
    assert "QR code for your authenticator app" in svg
    assert "style" not in svg and "<script" not in svg  # nothing the CSP would refuse
    # The same key until it is set up, so reloading the page does not break a half-done scan.
    assert secret_on(client.get(SET_UP).content.decode()) == secret
    assert mfa.setup_url(assessor, secret).startswith(
        f"otpauth://totp/Stepwise%3A{quote(assessor.email)}?secret="
    )


def test_a_wrong_code_when_setting_up_is_an_error_and_sets_nothing_up(client, assessor):
    password_step(client, assessor)
    secret = secret_on(client.get(SET_UP).content.decode())
    wrong = f"{(int(mfa.code_now(secret)) + 1) % 1_000_000:06d}"
    for code in (wrong, "", "12ab56", "1" * 30):
        page = client.post(SET_UP, {"code": code}).content.decode()
        assert "nhsuk-error-summary" in page
        assert "Error: " in page
    assert not TOTPDevice.objects.filter(user=assessor).exists()


def test_setting_up_verifies_the_session_and_shows_ten_codes_once(client, assessor):
    password_step(client, assessor, next_url="/to-review/")
    secret = secret_on(client.get(f"{SET_UP}?next=/to-review/").content.decode())
    response = client.post(SET_UP, {"code": mfa.code_now(secret), "next": "/to-review/"})
    assert response.url == f"{CODES}?next=%2Fto-review%2F"
    assert any(name.endswith("stepwise_device") for name in response.cookies)
    page = client.get(response.url).content.decode()
    codes = re.findall(
        r"<li><code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code></li>", page
    )
    assert len(set(codes)) == 10
    assert 'href="/to-review/"' in page
    # Shown once: the page does not show them again.
    assert client.get(CODES).url == MANAGE
    assert client.get("/to-review/").status_code == 200
    # Kept as a lookup and a password hash of the rest (test_recovery_codes.py).
    stored = RecoveryCode.objects.filter(device__user=assessor)
    assert sorted(row.lookup for row in stored) == sorted(code[:4] for code in codes)


def test_next_sign_in_asks_for_the_apps_code_and_each_code_works_once(
    client, assessor, security_events
):
    password_step(client, assessor)
    secret, _ = set_up_app(client)
    client.post(reverse("accounts:sign_out"))

    assert password_step(client, assessor, "/people/").url == f"{VERIFY}?next=%2Fpeople%2F"
    assert client.get(HOME).url.startswith(VERIFY)
    TOTPDevice.objects.filter(user=assessor).update(last_t=-1)  # a new 30 seconds
    code = mfa.code_now(secret)
    response = client.post(VERIFY, {"code": code, "next": "/people/"})
    assert response.url == "/people/"
    client.post(reverse("accounts:sign_out"))

    # The same code again (someone who watched it typed) is refused.
    password_step(client, assessor)
    page = client.post(VERIFY, {"code": code}).content.decode()
    assert "The security code is not right" in page
    assert client.get(HOME).url.startswith(VERIFY)
    # Both steps are in the security event log (ASVS V16.3.1), never the code itself.
    [passed] = security_events("second_step_passed")
    assert (passed["user_id"], passed["factor"]) == (assessor.pk, "app")
    [failed] = security_events("second_step_failed")
    assert failed["user_id"] == assessor.pk
    assert all("code" not in event for event in security_events())


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(client, assessor):
    password_step(client, assessor)
    _, codes = set_up_app(client)
    client.post(reverse("accounts:sign_out"))

    password_step(client, assessor)
    response = client.post(VERIFY, {"code": codes[3].upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[0][0] == HOME
    assert "You have 9 recovery codes left" in response.content.decode()
    client.post(reverse("accounts:sign_out"))

    password_step(client, assessor)
    assert "not right" in client.post(VERIFY, {"code": codes[3]}).content.decode()
    assert client.post(VERIFY, {"code": codes[4]}).url == HOME


def test_new_recovery_codes_replace_the_old_ones(client, assessor):
    password_step(client, assessor)
    _, old = set_up_app(client)
    page = client.get(MANAGE).content.decode()
    assert "10 of 10 left" in page
    response = client.post(reverse("accounts:mfa_recovery_codes_new"))
    assert response.url == CODES
    new = re.findall(r"<li><code>([a-z0-9-]{19})</code></li>", client.get(CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("accounts:sign_out"))
    password_step(client, assessor)
    assert "not right" in client.post(VERIFY, {"code": old[0]}).content.decode()
    assert client.post(VERIFY, {"code": new[0]}).url == HOME


def test_a_learner_is_not_asked_but_may_turn_it_on_and_is_asked_from_then_on(client, learner):
    assert password_step(client, learner).url == HOME
    assert client.get(HOME).status_code == 200
    page = client.get(MANAGE).content.decode()
    assert "Two-step sign-in is not turned on" in page
    secret, codes = set_up_app(client)
    assert len(codes) == 10
    client.post(reverse("accounts:sign_out"))

    assert password_step(client, learner).url == f"{VERIFY}?next=%2F"
    assert client.get("/my-proficiencies/").url.startswith(VERIFY)
    TOTPDevice.objects.filter(user=learner).update(last_t=-1)
    assert client.post(VERIFY, {"code": mfa.code_now(secret)}).url == HOME


def test_replacing_the_app_needs_the_second_step_first(client, assessor):
    two_step.app_for(assessor)
    password_step(client, assessor)
    assert client.get(SET_UP).url.startswith(VERIFY)
    client.post(VERIFY, {"code": two_step.code_for(two_step.app_for(assessor))})
    page = client.get(SET_UP).content.decode()
    assert "Set up a new authenticator app" in page
    secret = secret_on(page)
    assert client.post(SET_UP, {"code": mfa.code_now(secret)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=assessor).values_list("key", flat=True)) == [secret]


def test_the_verify_page_sends_someone_who_needs_no_code_on(client, learner):
    password_step(client, learner)
    assert client.get(f"{VERIFY}?next=/accessibility/").url == "/accessibility/"
    assert client.get(f"{VERIFY}?next=https://evil.example/").url == HOME


def test_a_session_signed_in_another_way_still_needs_the_second_step(client, assessor):
    # force_login stands for any way in that calls login() (an invitation, single sign-on).
    client.force_login(assessor, backend=two_step.BACKEND)
    response = client.get("/to-review/")
    assert response.url == f"{SET_UP}?next=%2Fto-review%2F"
    # A form sent before the second step is not acted on, and keeps no next address.
    response = client.post("/people/register/", {"full_name": "X"})
    assert response.url == SET_UP
