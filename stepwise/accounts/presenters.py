"""What account pages show, prepared from objects already loaded (tested without a database)."""

from stepwise.accounts.models import SelfRegistration


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
