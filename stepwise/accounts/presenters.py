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


def signed_in_rows(rows, *, current: int | None) -> list[dict]:
    """One line per session still signed in: this device first, marked, with no button (it
    signs out with Sign out); the others each with a way to sign it out."""
    lines = [
        {
            "id": row.pk,
            "device": row.device or "An unknown browser",
            "address": row.address or "Not known",
            "signed_in": formatting.date_time(row.started_at),
            "last_active": formatting.date_time(row.last_seen_at),
            "this_device": row.pk == current,
            "sign_out_href": reverse("accounts:signed_in_end", args=[row.pk]),
        }
        for row in rows
    ]
    return sorted(lines, key=lambda line: not line["this_device"])
