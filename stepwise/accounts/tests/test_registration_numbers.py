import pytest
from django.core.exceptions import ValidationError

from stepwise.accounts.registration import validate_registration_number


@pytest.mark.parametrize("number", ["12A3456B", "12a3456b", " 12A 3456B "])
def test_it_accepts_nmc_pins_and_tidies_them(number):
    assert validate_registration_number("NMC", number) == "12A3456B"


@pytest.mark.parametrize("number", ["123456B", "12A34567", "AA12345B", "12A3456", ""])
def test_it_rejects_malformed_nmc_pins_with_an_example(number):
    with pytest.raises(ValidationError, match="like 12A3456B"):
        validate_registration_number("NMC", number)


def test_it_checks_other_registers_in_their_own_format():
    assert validate_registration_number("GMC", "1234567") == "1234567"
    with pytest.raises(ValidationError, match="7 digits"):
        validate_registration_number("GMC", "12A3456B")
