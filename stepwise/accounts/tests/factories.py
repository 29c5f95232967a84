import factory
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from stepwise.accounts.models import User

TEST_PASSWORD = "correct-horse-battery-staple"

_faker = factory.Faker._get_faker(locale="en_GB")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Faker's names sometimes hold an apostrophe (O'Brien), which pages escape; tests that
    # look for a name in a page would then fail at random. Escaping has tests of its own.
    full_name = factory.LazyFunction(lambda: _faker.name().replace("'", ""))
    job_title = "Staff Nurse"
    registration_body = "NMC"
    registration_number = factory.Sequence(lambda n: f"{n % 100:02d}A{n % 10000:04d}B")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def reset_link(client, person) -> str:
    """Ask for a password reset for `person` and return the link's path from the email."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": person.email})
    body = mail.outbox[-1].body
    return body[body.index("/password-reset/") :].split()[0]
