"""Professional registers and the format of their registration numbers."""

import re

from django.core.exceptions import ValidationError
from django.db import models


class RegistrationBody(models.TextChoices):
    NMC = "NMC", "Nursing and Midwifery Council (NMC)"
    HCPC = "HCPC", "Health and Care Professions Council (HCPC)"
    GMC = "GMC", "General Medical Council (GMC)"
    GPHC = "GPhC", "General Pharmaceutical Council (GPhC)"


FORMATS = {
    # Two digits, a letter, four digits, a letter: 12A3456B.
    RegistrationBody.NMC: (re.compile(r"^\d{2}[A-Z]\d{4}[A-Z]$"), "like 12A3456B"),
    RegistrationBody.HCPC: (re.compile(r"^[A-Z]{2}\d{5,6}$"), "like PA123456"),
    RegistrationBody.GMC: (re.compile(r"^\d{7}$"), "7 digits, like 1234567"),
    RegistrationBody.GPHC: (re.compile(r"^\d{7}$"), "7 digits, like 2012345"),
}


def normalise_registration_number(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()


def validate_registration_number(body: str, number: str) -> str:
    """Return the number tidied up, or raise ValidationError saying what it should look like."""
    cleaned = normalise_registration_number(number)
    pattern, example = FORMATS[RegistrationBody(body)]
    if not pattern.match(cleaned):
        if body == RegistrationBody.NMC:
            raise ValidationError(
                "Enter an NMC PIN in the correct format: two numbers, a letter, four numbers "
                "and a letter, like 12A3456B"
            )
        raise ValidationError(
            f"Enter a {body} registration number in the correct format, {example}"
        )
    return cleaned
