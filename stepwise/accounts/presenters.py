"""What account pages show, prepared from objects already loaded (tested without a database)."""

from django.urls import reverse

from stepwise.accounts.models import SelfRegistration
from stepwise.core import formatting


def self_registration_rows(registration: SelfRegistration) -> list[dict]:
    """Summary-list rows of what someone registered with, for them to check before confirming."""
    rows = [
        ("Full name", registration.full_name),
        ("Email address", registration.email),
        ("Job title", registration.job_title),
        ("Professional registration", registration.registration),
        ("Trust", registration.trust.name),
        ("Unit", registration.unit.name if registration.unit else ""),
    ]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows if value]


def sso_link_rows(links) -> list[dict]:
    """Summary-list rows of a person's live single sign-on links, each with an unlink action."""
    return [
        {
            "key": {"text": link.email or "Single sign-on account"},
            "value": {"text": f"Linked on {formatting.date(link.linked_at)}"},
            "actions": {
                "items": [
                    {
                        "href": reverse("accounts:sso_unlink", args=[link.pk]),
                        "text": "Unlink",
                        "visuallyHiddenText": link.email or "single sign-on account",
                    }
                ]
            },
        }
        for link in links
    ]
