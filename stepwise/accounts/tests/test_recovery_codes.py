"""Recovery codes are stored as ASVS V6.5.2 asks of secrets under 112 bits: a password hash
(Argon2id) with its own random salt, found by a lookup so each try costs one hash."""

from unittest import mock

import pytest

from stepwise.accounts import recovery_codes
from stepwise.accounts.models import RecoveryCode


def test_codes_are_four_groups_of_four_and_ten_different(assessor):
    codes = recovery_codes.renew(person=assessor)
    assert len(set(codes)) == 10
    for code in codes:
        groups = code.split("-")
        assert [len(group) for group in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(recovery_codes.ALPHABET)


def test_only_the_lookup_is_kept_as_written_and_the_secret_as_an_argon2_hash(assessor):
    codes = [code.replace("-", "") for code in recovery_codes.renew(person=assessor)]
    rows = {
        row.lookup: row.secret_hash for row in RecoveryCode.objects.filter(device__user=assessor)
    }
    assert set(rows) == {code[:4] for code in codes}
    salts = set()
    for code in codes:
        stored = rows[code[:4]]
        # Argon2id at OWASP's minimum: 19 MiB, 2 passes, 1 lane.
        assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert code[4:] not in stored
        assert recovery_codes.HASHER.verify(code[4:], stored)
        salts.add(stored.split("$")[-2])
    assert len(salts) == 10  # each with its own salt


def test_a_try_costs_one_hash_whatever_the_code(assessor):
    codes = recovery_codes.renew(person=assessor)
    wrong_secret = codes[0][:5] + "aaaa-aaaa-aaaa"
    lookups = {code[:4] for code in codes}
    unused = next(a * 4 for a in recovery_codes.ALPHABET if a * 4 not in lookups)
    unknown_lookup = f"{unused}-{codes[0][5:]}"
    for code in (wrong_secret, unknown_lookup, codes[1]):
        hasher = recovery_codes.HASHER
        with (
            mock.patch.object(hasher, "verify", wraps=hasher.verify) as checks,
            mock.patch.object(hasher, "encode", wraps=hasher.encode) as hashes,
        ):
            recovery_codes.check(person=assessor, code=code)
        assert checks.call_count + hashes.call_count == 1, code
    assert recovery_codes.left(assessor) == 9


def test_a_code_works_once_and_only_for_its_owner(assessor, educator):
    codes = recovery_codes.renew(person=assessor)
    recovery_codes.renew(person=educator)
    assert recovery_codes.check(person=educator, code=codes[0]) is None
    device = recovery_codes.check(person=assessor, code=codes[0].upper().replace("-", " "))
    assert device is not None and device.user_id == assessor.pk
    assert recovery_codes.check(person=assessor, code=codes[0]) is None
    assert recovery_codes.left(assessor) == 9 and recovery_codes.left(educator) == 10


def test_new_codes_end_the_old_ones(assessor):
    old = recovery_codes.renew(person=assessor)
    recovery_codes.renew(person=assessor)
    assert recovery_codes.check(person=assessor, code=old[0]) is None
    assert recovery_codes.left(assessor) == 10


@pytest.mark.parametrize("code", ["", "abcd", "abcd-efgh-jkmn-pqrs-tuvw", "ab\x00d-efgh-jkmn-pqrs"])
def test_codes_of_the_wrong_shape_are_refused_without_error(assessor, code):
    recovery_codes.renew(person=assessor)
    assert recovery_codes.check(person=assessor, code=code) is None
