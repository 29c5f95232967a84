"""The Bitstring Status List: the encoding the W3C spec defines, random unique places, a new
list when one fills up, and our own list addresses recognised."""

import base64
import gzip
import uuid

import pytest
from django.db import IntegrityError
from django.urls import reverse

from stepwise.certificates import status
from stepwise.certificates.models import Certificate
from stepwise.certificates.tests.factories import another_enrolment, unsaved_certificate


class TestEncoding:
    def test_an_empty_list_is_16_kilobytes_of_zeros_gzipped_with_a_multibase_prefix(self):
        encoded = status.encode_list([])
        assert encoded.startswith("u")
        assert "=" not in encoded
        raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
        assert raw == bytes(16 * 1024)

    def test_bit_zero_is_the_leftmost_bit_of_the_first_byte(self):
        bits = status.decode_list(status.encode_list([0, 9, status.LIST_SIZE - 1]))
        assert bits[0] == 0b1000_0000
        assert bits[1] == 0b0100_0000
        assert bits[-1] == 0b0000_0001
        assert [i for i in range(status.LIST_SIZE) if status.bit_is_set(bits, i)] == [
            0,
            9,
            status.LIST_SIZE - 1,
        ]

    def test_the_encoding_is_the_same_every_time(self):
        assert status.encode_list([5, 7]) == status.encode_list([7, 5])

    @pytest.mark.parametrize(
        "encoded",
        ["", "no-prefix", "u!!!not base64", "u" + base64.urlsafe_b64encode(b"plain").decode()],
    )
    def test_what_is_not_an_encoded_list_is_refused(self, encoded):
        with pytest.raises(ValueError):
            status.decode_list(encoded)

    def test_a_short_list_is_refused(self):
        short = gzip.compress(bytes(100))
        with pytest.raises(ValueError, match="shorter than 16 kB"):
            status.decode_list("u" + base64.urlsafe_b64encode(short).decode().rstrip("="))

    def test_an_index_outside_the_list_is_refused(self):
        bits = status.decode_list(status.encode_list([]))
        with pytest.raises(ValueError):
            status.bit_is_set(bits, status.LIST_SIZE)
        with pytest.raises(ValueError):
            status.bit_is_set(bits, -1)


class TestPlaces:
    def test_every_certificate_gets_its_own_random_place(self, signed_off):
        assert signed_off.status_list == 1
        assert 0 <= signed_off.status_index < status.LIST_SIZE

    def test_another_broken_rule_is_not_mistaken_for_a_clash(self, signed_off, monkeypatch):
        # The first two draws hit the taken index; the third is free, but a second
        # certificate for one enrolment breaks another rule: that error is not retried.
        draws = iter([signed_off.status_index, signed_off.status_index, 4242])
        monkeypatch.setattr(status.secrets, "randbelow", lambda _n: next(draws))
        copy = Certificate.objects.get(pk=signed_off.pk)
        copy.pk = None
        copy.serial = uuid.uuid4()
        with pytest.raises(IntegrityError):
            status.entry_assign(certificate=copy)

    def test_a_clash_is_retried_until_a_free_index(self, signed_off, monkeypatch):
        draws = iter([signed_off.status_index, 4242])
        monkeypatch.setattr(status.secrets, "randbelow", lambda _n: next(draws))
        fresh = unsaved_certificate(another_enrolment(signed_off.enrolment))
        status.entry_assign(certificate=fresh)
        assert fresh.pk is not None
        assert (fresh.status_list, fresh.status_index) == (1, 4242)

    def test_a_new_list_starts_when_the_current_one_is_half_full(self, signed_off, monkeypatch):
        monkeypatch.setattr(status, "LIST_FILL_LIMIT", 1)
        fresh = unsaved_certificate(another_enrolment(signed_off.enrolment))
        status.entry_assign(certificate=fresh)
        assert fresh.status_list == 2


class TestAddresses:
    def test_our_status_list_addresses_are_recognised(self, trust):
        url = status.status_list_url(trust.pk, 3)
        assert url == f"http://testserver/issuers/{trust.pk}/status/3"
        assert status.parse_status_list_url(url) == (trust.pk, 3)

    @pytest.mark.parametrize(
        "url",
        [
            "https://elsewhere.example/issuers/1/status/1",
            "http://testserver/issuers/1",
            "http://testserver/verify/abc",
            "http://testserver/no/such/page",
            None,
            42,
        ],
    )
    def test_anything_else_is_not(self, url):
        assert status.parse_status_list_url(url) is None

    def test_an_unused_list_or_a_non_trust_is_not_found(self, client, signed_off, trust):
        assert (
            client.get(reverse("certificates:status_list", args=[trust.pk, 9])).status_code == 404
        )
        unit = trust.units[0]
        assert client.get(reverse("certificates:status_list", args=[unit.pk, 1])).status_code == 404
        response = client.get(reverse("certificates:status_list", args=[trust.pk, 1]))
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cache-Control"] == "public, max-age=60"
