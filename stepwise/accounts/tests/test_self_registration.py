import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.models import SelfRegistration, User
from stepwise.accounts.services import LinkError
from stepwise.organisations.models import Membership, MembershipEvent, Role

PASSWORD = "a-long-new-password-42"


def form_data(trust, **changes):
    data = {
        "full_name": "Iris Novak",
        "email": "Iris.Novak@Example.org",
        "job_title": "Staff Nurse",
        "unit": trust.units[0].pk,
        "registration_body": "NMC",
        "registration_number": "34c5678d",
        "new_password": PASSWORD,
        "confirm_password": PASSWORD,
    }
    data.update(changes)
    return data


def register(client, trust, **changes):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("organisations:register", args=[trust.registration_code]),
            form_data(trust, **changes),
        )


def confirmation_path(message) -> str:
    return message.body[message.body.index("/confirm-email/") :].split()[0]


def confirm(client, path, password=PASSWORD):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, {"password": password})


def test_it_registers_through_the_trust_link_and_waits_for_approval(client, trust, trust_admin):
    response = register(client, trust)
    assert response.url == reverse(
        "organisations:register_check_email", args=[trust.registration_code]
    )
    # Nothing is an account until the address is confirmed; the password waits as a hash.
    assert not User.objects.filter(email="iris.novak@example.org").exists()
    registration = SelfRegistration.objects.get()
    assert registration.email == "iris.novak@example.org"
    assert registration.registration_number == "34C5678D"
    assert PASSWORD not in registration.password
    assert check_password(PASSWORD, registration.password)

    page = client.get(confirmation_path(mail.outbox[0])).content.decode()
    assert '<h1 class="nhsuk-heading-l">Confirm your email address</h1>' in page
    assert "Iris Novak" in page and "NMC 34C5678D" in page
    assert "General Intensive Care Unit" in page
    assert 'name="csrfmiddlewaretoken"' in page

    page = confirm(client, confirmation_path(mail.outbox[0])).content.decode()
    assert "Email address confirmed" in page
    person = User.objects.get(email="iris.novak@example.org")
    assert person.check_password(PASSWORD)
    assert person.email_verified_at is not None
    assert (person.full_name, person.registration) == ("Iris Novak", "NMC 34C5678D")
    registration.refresh_from_db()
    assert registration.state == SelfRegistration.State.CONFIRMED
    assert registration.person == person
    assert registration.password == ""
    membership = Membership.objects.get(person=person)
    assert membership.state == Membership.State.AWAITING_APPROVAL
    assert membership.roles == [Role.LEARNER]
    assert membership.unit == trust.units[0]
    assert membership.events.get().kind == MembershipEvent.Kind.REGISTERED
    # The Trust administrators hear about it.
    assert mail.outbox[-1].to == [trust_admin.email]


def test_opening_the_link_changes_nothing(client, trust, trust_admin):
    # Mail scanners open links: only pressing the button on the page confirms.
    register(client, trust)
    path = confirmation_path(mail.outbox[0])
    for _ in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert client.get(path).status_code == 200
    assert not User.objects.filter(email="iris.novak@example.org").exists()
    assert not Membership.objects.filter(trust=trust, is_learner=True).exists()
    assert SelfRegistration.objects.get().state == SelfRegistration.State.WAITING
    assert len(mail.outbox) == 1


def test_confirming_needs_the_page_s_csrf_token(client, trust):
    register(client, trust)
    browser = Client(enforce_csrf_checks=True)
    path = confirmation_path(mail.outbox[0])
    assert browser.post(path).status_code == 403
    assert not User.objects.exists()
    page = browser.get(path).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        browser.post(path, {"csrfmiddlewaretoken": token, "password": PASSWORD})
    assert User.objects.get().email == "iris.novak@example.org"


def test_a_trust_without_approval_lets_people_start_at_once(client, trust):
    trust.registration_requires_approval = False
    trust.save()
    register(client, trust)
    page = confirm(client, confirmation_path(mail.outbox[0])).content.decode()
    assert f"You are now registered with {trust.name}" in page
    assert Membership.objects.get().state == Membership.State.ACTIVE


def test_a_confirmation_link_works_once(client, trust):
    register(client, trust)
    path = confirmation_path(mail.outbox[0])
    confirm(client, path)
    assert "already been used" in confirm(client, path).content.decode()
    assert "already been used" in client.get(path).content.decode()
    assert Membership.objects.count() == 1


def test_confirming_twice_at_once_makes_one_account(trust):
    from stepwise.organisations.joining import email_confirm

    register(Client(), trust)
    token = confirmation_path(mail.outbox[0]).split("/")[-2]
    assert email_confirm(token=token, password=PASSWORD).person.email == "iris.novak@example.org"
    with pytest.raises(LinkError, match="already been used"):
        email_confirm(token=token, password=PASSWORD)
    assert User.objects.count() == 1


@pytest.mark.parametrize("state", ["expired", "made up"])
def test_a_bad_link_gets_a_clear_page_and_makes_nothing(client, trust, state):
    register(client, trust)
    path = confirmation_path(mail.outbox[0])
    if state == "expired":
        SelfRegistration.objects.update(expires_at=timezone.now())
    else:
        path = path.replace(path.split("/")[-2], "made-up-token")
    for response in (client.get(path), confirm(client, path)):
        assert response.status_code == 200
        assert "There is a problem with this link" in response.content.decode()
    assert not User.objects.exists()
    assert SelfRegistration.objects.get().state == SelfRegistration.State.WAITING


def test_a_wrong_registration_code_is_not_found(client, trust):
    response = client.get(reverse("organisations:register", args=["not-the-code"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_rotated_code_stops_working(client, trust, trust_admin):
    from stepwise.organisations.services import trust_rotate_registration_code

    old = trust.registration_code
    trust_rotate_registration_code(trust=trust, by=trust_admin)
    assert client.get(reverse("organisations:register", args=[old])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"full_name": ""}, "Enter a full name"),
        ({"registration_number": "1234567"}, "Enter an NMC PIN in the correct format"),
        ({"registration_body": ""}, "Select the register your number is on"),
        ({"confirm_password": "different-password-1"}, "The passwords do not match"),
        ({"new_password": "password", "confirm_password": "password"}, "too common"),
        ({"unit": "999999"}, "Choose a unit from the list"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_created(client, trust, changes, message):
    response = register(client, trust, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert message in html
    assert "<title>Error:" in html
    assert not User.objects.exists()
    assert not SelfRegistration.objects.exists()
    assert mail.outbox == []


def test_another_trusts_unit_cannot_be_chosen(client, trust, other_trust):
    response = register(client, trust, unit=other_trust.units[0].pk)
    assert "Choose a unit from the list" in response.content.decode()


def test_a_registration_nobody_confirmed_in_time_keeps_no_password_hash(client, trust):
    register(client, trust)
    SelfRegistration.objects.update(expires_at=timezone.now())
    register(client, trust, email="someone.else@example.org")
    expired, waiting = SelfRegistration.objects.order_by("created_at")
    assert expired.password == ""
    assert check_password(PASSWORD, waiting.password)


def test_confirming_asks_for_the_password_chosen_when_registering(client, trust):
    register(client, trust)
    path = confirmation_path(mail.outbox[0])
    assert 'type="password"' in client.get(path).content.decode()
    for wrong in ("", "not-the-password-1"):
        page = confirm(client, path, password=wrong).content.decode()
        assert "There is a problem" in page
        assert (
            "Enter the password you chose when you registered"
            if not wrong
            else "The password is not the one you chose when you registered"
        ) in page
    assert not User.objects.exists()
    assert SelfRegistration.objects.get().state == SelfRegistration.State.WAITING
    assert "Email address confirmed" in confirm(client, path).content.decode()
    assert User.objects.get().check_password(PASSWORD)


def test_a_new_registration_of_the_address_stops_the_earlier_links(client, trust, other_trust):
    register(client, trust, new_password="someone-elses-1!", confirm_password="someone-elses-1!")
    register(client, other_trust)
    first, second = (confirmation_path(message) for message in mail.outbox)
    page = confirm(client, first, password="someone-elses-1!").content.decode()
    assert "This link has expired" in page
    assert not User.objects.exists()
    assert SelfRegistration.objects.filter(password="").count() == 1
    assert "Email address confirmed" in confirm(client, second).content.decode()
    assert User.objects.get().check_password(PASSWORD)


def test_no_browser_or_cache_keeps_the_confirmation_page(client, trust):
    # It shows the name, address and registration number to a visitor with no session.
    register(client, trust)
    client.cookies.clear()
    path = confirmation_path(mail.outbox[0])
    for response in (client.get(path), confirm(client, path, password="not-the-password-1")):
        assert "NMC 34C5678D" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
