"""Passkeys as the second step of signing in (ADR 17): added at a first sign-in instead of an app
or later beside one, used after the password to pass the second step exactly as a code does,
listed and removed by their owner; never a way to sign in without the password."""

import time

import pytest
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.settings import app_settings

from stepwise.accounts import confirm_first, mfa, passkeys
from stepwise.accounts.models import AccountEvent, RecoveryCode
from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD
from stepwise.accounts.tests.passkey_authenticator import SoftPasskey, add, post_json, use

BACKEND = "stepwise.accounts.backends.EmailBackend"
VERIFY = reverse("accounts:mfa_verify")
HOME = reverse("core:home")
MANAGE = reverse("accounts:mfa_manage")
ADD = reverse("accounts:passkey_add")
PEOPLE = reverse("organisations:people")


def _password_only(client, person):
    client.force_login(person, backend=BACKEND)
    return client


def _with_passkey(client, person) -> SoftPasskey:
    """The person added a passkey at an earlier sign-in; this client has signed out since."""
    passkey = SoftPasskey()
    _password_only(client, person)
    assert add(client, passkey).status_code == 200
    client.logout()
    return passkey


def test_staff_with_no_second_step_may_add_a_passkey_instead_of_an_app(client, trust_admin):
    _password_only(client, trust_admin)
    set_up = client.get(PEOPLE).url
    page = client.get(set_up).content.decode()
    assert "use a passkey instead" in page
    assert client.get(f"{ADD}?next={PEOPLE}").status_code == 200
    key_before = client.session.session_key

    response = add(client, SoftPasskey(), next_url=PEOPLE)

    assert response.status_code == 200
    assert response.json()["redirect_url"].startswith(reverse("accounts:mfa_recovery_codes"))
    # Making the first passkey is this session's second step, with a new session key.
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert client.session.session_key != key_before
    assert RecoveryCode.objects.filter(device__user=trust_admin).count() == 10
    codes_page = client.get(response.json()["redirect_url"])
    assert codes_page.status_code == 200
    assert client.get(PEOPLE).status_code == 200
    event = AccountEvent.objects.get(person=trust_admin)
    assert event.kind == AccountEvent.Kind.PASSKEY_ADDED
    assert event.actor == trust_admin


def test_at_sign_in_a_passkey_passes_the_second_step(client, trust_admin, security_events):
    passkey = _with_passkey(client, trust_admin)
    _password_only(client, trust_admin)
    verify = client.get(PEOPLE)
    assert verify.url.startswith(VERIFY)
    page = client.get(verify.url).content.decode()
    assert "Use a passkey" in page
    # Without JavaScript the page says so, and the code box stays.
    assert "A passkey needs JavaScript" in page
    assert 'name="code"' in page
    key_before = client.session.session_key

    response = use(client, passkey, next_url=PEOPLE)

    assert response.status_code == 200
    assert response.json()["redirect_url"] == PEOPLE
    assert client.session.session_key != key_before
    device_id = client.session[DEVICE_ID_SESSION_KEY]
    assert device_id == WebAuthnCredential.objects.get(user=trust_admin).persistent_id
    assert client.get(PEOPLE).status_code == 200
    assert WebAuthnCredential.objects.get(user=trust_admin).last_used_at is not None
    assert [event["factor"] for event in security_events("second_step_passed")] == ["passkey"]


def test_an_unsafe_next_address_is_not_followed(client, trust_admin):
    passkey = _with_passkey(client, trust_admin)
    _password_only(client, trust_admin)
    response = use(client, passkey, next_url="https://evil.example/")
    assert response.json()["redirect_url"] == HOME


def test_someone_elses_passkey_does_not_pass_the_second_step(client, trust_admin, assessor):
    theirs = _with_passkey(client, assessor)
    _with_passkey(client, trust_admin)
    _password_only(client, trust_admin)
    options = post_json(client, reverse("accounts:passkey_sign_in_begin")).json()
    response = post_json(client, reverse("accounts:passkey_sign_in_complete"), theirs.get(options))
    assert response.status_code == 403
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(PEOPLE).status_code == 302


def test_a_passkey_answering_for_another_site_is_refused(client, trust_admin):
    _password_only(client, trust_admin)
    elsewhere = SoftPasskey(origin="https://evil.example", rp_id="evil.example")
    response = add(client, elsewhere)
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()
    assert not AccountEvent.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_passkey_answer_used_twice_is_refused(client, trust_admin):
    passkey = _with_passkey(client, trust_admin)
    _password_only(client, trust_admin)
    options = post_json(client, reverse("accounts:passkey_sign_in_begin")).json()
    answer = passkey.get(options)
    complete = reverse("accounts:passkey_sign_in_complete")
    assert post_json(client, complete, answer).status_code == 200
    # The challenge was used up with the first answer.
    assert post_json(client, complete, answer).status_code == 400


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"id": 5}', "[" * 5000])
def test_unreadable_answers_are_a_400_not_a_500(client, trust_admin, body):
    _with_passkey(client, trust_admin)
    _password_only(client, trust_admin)
    post_json(client, reverse("accounts:passkey_sign_in_begin"))
    response = client.post(
        reverse("accounts:passkey_sign_in_complete"), body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_with_an_app_a_password_alone_cannot_add_a_passkey(client, trust_admin):
    two_step.app_for(trust_admin)
    _password_only(client, trust_admin)
    response = post_json(client, reverse("accounts:passkey_add_begin"))
    assert response.status_code == 403
    assert response.json()["code"] == "user_not_verified"
    assert client.get(ADD).url.startswith(VERIFY)


def test_after_the_app_code_a_passkey_may_be_added_beside_it(client, trust_admin):
    two_step.app_for(trust_admin)
    mfa.recovery_codes_renew(person=trust_admin)
    two_step.sign_in(client, trust_admin)
    response = add(client, SoftPasskey())
    assert response.status_code == 200
    # Recovery codes came with the app: the same ones stay.
    assert response.json()["redirect_url"] == MANAGE
    assert RecoveryCode.objects.filter(device__user=trust_admin).count() == 10
    page = client.get(MANAGE).content.decode()
    assert "Authenticator app" in page
    assert "Passkey" in page and "Not used yet" in page


def test_a_learner_who_adds_a_passkey_is_then_asked_for_it(client, learner):
    passkey = _with_passkey(client, learner)
    _password_only(client, learner)
    assert client.get(HOME).url.startswith(VERIFY)
    use(client, passkey)
    assert client.get(HOME).status_code == 200


def test_passwordless_sign_in_is_off_and_refused(client, trust_admin):
    _with_passkey(client, trust_admin)
    assert app_settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is False
    # The library's own routes are not in the URLconf; ours need a signed-in session.
    with pytest.raises(NoReverseMatch):
        reverse("otp_webauthn:credential-authentication-begin")
    for name in ("passkey_sign_in_begin", "passkey_sign_in_complete"):
        response = post_json(client, reverse(f"accounts:{name}"))
        assert response.status_code == 403
        assert response.json()["code"] == "passwordless_login_disabled"
    for name in ("passkey_add_begin", "passkey_add_complete"):
        assert post_json(client, reverse(f"accounts:{name}")).status_code == 403
    assert "_auth_user_id" not in client.session


def test_someone_with_no_passkey_gets_no_passkey_options(client, trust_admin):
    two_step.app_for(trust_admin)
    _password_only(client, trust_admin)
    assert "Use a passkey" not in client.get(VERIFY).content.decode()
    response = post_json(client, reverse("accounts:passkey_sign_in_begin"))
    assert response.status_code == 404


def test_removing_a_passkey_writes_an_event_once(client, trust_admin):
    _with_passkey(client, trust_admin)
    passkey = WebAuthnCredential.objects.get(user=trust_admin)
    assert passkeys.passkey_remove(person=trust_admin, passkey=passkey)
    assert not passkeys.passkey_remove(person=trust_admin, passkey=passkey)
    assert not WebAuthnCredential.objects.exists()
    kinds = list(AccountEvent.objects.values_list("kind", flat=True))
    assert kinds == [AccountEvent.Kind.PASSKEY_ADDED, AccountEvent.Kind.PASSKEY_REMOVED]


def test_a_person_removes_their_own_passkey_from_their_page(client, trust_admin):
    passkey = _with_passkey(client, trust_admin)
    _password_only(client, trust_admin)
    use(client, passkey)
    device = WebAuthnCredential.objects.get(user=trust_admin)
    remove = reverse("accounts:passkey_remove", args=[device.pk])
    assert remove in client.get(MANAGE).content.decode()
    assert "only passkey" in client.get(remove).content.decode()
    response = client.post(remove)
    assert response.url == MANAGE
    assert not WebAuthnCredential.objects.exists()
    assert client.post(remove).status_code == 404


def test_nobody_removes_someone_elses_passkey(client, trust_admin, assessor):
    _with_passkey(client, assessor)
    theirs = WebAuthnCredential.objects.get(user=assessor)
    two_step.sign_in(client, trust_admin)
    remove = reverse("accounts:passkey_remove", args=[theirs.pk])
    assert client.get(remove).status_code == 404
    assert client.post(remove).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_a_two_step_reset_removes_passkeys_too(client, trust_admin):
    _with_passkey(client, trust_admin)
    assert mfa.two_step_reset(person=trust_admin) == 2  # the passkey and the recovery codes
    assert not WebAuthnCredential.objects.exists()


def test_the_relying_party_is_the_site_address(client, trust_admin, settings):
    settings.SITE_URL = "https://stepwise.example.org:8443"
    assert passkeys.relying_party_id() == "stepwise.example.org"
    assert passkeys.site_origin() == "https://stepwise.example.org:8443"
    _password_only(client, trust_admin)
    options = post_json(client, reverse("accounts:passkey_add_begin")).json()
    assert options["rp"] == {"id": "stepwise.example.org", "name": "Stepwise"}
    elsewhere = SoftPasskey(origin="http://testserver", rp_id="stepwise.example.org")
    complete = reverse("accounts:passkey_add_complete")
    assert post_json(client, complete, elsewhere.create(options)).status_code == 422


def test_with_passkeys_and_no_app_the_box_asks_for_a_recovery_code(client, trust_admin):
    _with_passkey(client, trust_admin)
    codes = mfa.recovery_codes_renew(person=trust_admin)
    _password_only(client, trust_admin)
    page = client.get(VERIFY).content.decode()
    assert "Recovery code" in page and "authenticator app" not in page
    wrong = client.post(VERIFY, {"code": "abcde-fghjk"})
    assert "The recovery code is not right" in wrong.content.decode()
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(PEOPLE).status_code == 200


def test_with_a_passkey_an_app_is_set_up_beside_it(client, trust_admin):
    passkey = _with_passkey(client, trust_admin)
    set_up = reverse("accounts:mfa_set_up")
    _password_only(client, trust_admin)
    assert client.get(set_up).url.startswith(VERIFY)
    use(client, passkey)
    page = client.get(set_up).content.decode()
    assert "Set up an authenticator app" in page and "Besides your passkeys" in page
    assert "use a passkey instead" not in page


def test_another_passkey_and_removing_one_need_a_recent_password(client, trust_admin):
    passkey = _with_passkey(client, trust_admin)
    _password_only(client, trust_admin)
    use(client, passkey)
    session = client.session
    session[confirm_first.CONFIRMED_AT] = int(time.time()) - 3600  # an hour later
    session.save()
    assert client.get(ADD).url.startswith(reverse("accounts:confirm_password"))
    response = post_json(client, reverse("accounts:passkey_add_begin"))
    assert response.status_code == 403
    assert response.json()["code"] == "password_not_confirmed"
    device = WebAuthnCredential.objects.get(user=trust_admin)
    remove = reverse("accounts:passkey_remove", args=[device.pk])
    assert client.post(remove).url.startswith(reverse("accounts:confirm_password"))
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()
    confirmed = client.post(
        reverse("accounts:confirm_password") + f"?next={ADD}",
        {"current_password": TEST_PASSWORD},
    )
    assert confirmed.url == ADD
    assert client.get(ADD).status_code == 200
    assert add(client, SoftPasskey()).status_code == 200
