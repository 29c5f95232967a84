"""Integers no database column holds match nothing (stepwise/core/lookups.py)."""

from stepwise.organisations.models import Organisation


def test_ids_no_integer_holds_match_nothing(trust):
    assert list(Organisation.objects.filter(pk__in=[trust.pk, 2**70, -(2**70)])) == [trust]
    assert not Organisation.objects.filter(pk__in=[2**70]).exists()


def test_a_foreign_key_given_an_id_no_integer_holds_matches_nothing(trust):
    # /enrolments/<2**63>/proficiencies/<id>/ was a 500 on SQLite, found by the fuzzer.
    unit = trust.units[0]
    assert not Organisation.objects.filter(parent_id=2**63, pk=unit.pk).exists()
    assert set(Organisation.objects.filter(parent_id__in=[trust.pk, 2**63])) == set(trust.units)
    assert unit in Organisation.objects.exclude(parent_id=2**63)
