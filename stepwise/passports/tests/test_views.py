import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stepwise.passports.models import ImportedPassport, PriorAttainment
from stepwise.passports.tests.conftest import sign_as_other, trusted_other
from stepwise.progress.models import Decision
from stepwise.progress.states import RecordState

IMPORT = "passports:import"


def upload(client, content, name="passport.jwt"):
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(reverse(IMPORT), {"passport_file": SimpleUploadedFile(name, data)})


def test_pages_ask_anonymous_people_to_sign_in(client, enrolment):
    for url in (
        reverse("passports:download"),
        reverse(IMPORT),
        reverse("passports:prior_attainment", args=[enrolment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response["Location"]


def test_the_learner_downloads_their_signed_passport(client_for, learner, signed_off):
    response = client_for(learner).get(reverse("passports:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert 'filename="stepwise-passport-' in response["Content-Disposition"]
    body = response.content.decode().split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert claims["passport"]["learner"]["name"] == learner.full_name


def test_my_proficiencies_links_to_the_passport(client_for, learner):
    page = client_for(learner).get(reverse("progress:mine")).content.decode()
    assert reverse("passports:download") in page and reverse(IMPORT) in page


def test_import_is_for_learners(client_for, trust_admin):
    assert client_for(trust_admin).get(reverse(IMPORT)).status_code == 403


def test_the_learner_imports_their_passport(client_for, learner, own_token):
    client = client_for(learner)
    response = upload(client, own_token)
    assert response.status_code == 302
    assert ImportedPassport.objects.filter(learner=learner).count() == 1
    page = client.get(reverse(IMPORT)).content.decode()
    assert "has been imported" in page and "Passports you have imported" in page


def test_a_passport_from_a_trusted_installation_imports(client_for, settings, learner, payload):
    settings.STEPWISE_TRUSTED_ISSUERS = trusted_other()
    assert upload(client_for(learner), sign_as_other(payload)).status_code == 302
    assert ImportedPassport.objects.get().issuer_name == "Other installation"


def _tampered(token):
    header, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["iat"] += 1
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


@pytest.mark.parametrize(
    "make, message",
    [
        (_tampered, "changed since it was issued"),
        (lambda token: token[: len(token) // 2], "damaged or incomplete"),
        (lambda token: '{"passport": {', "JSON file"),
        (lambda token: b"\x89PNG\r\n\x1a\n\x00\xff", "not a picture"),
        (lambda token: "", "The file is empty"),
    ],
)
def test_bad_passports_are_explained_and_import_nothing(
    client_for, learner, own_token, make, message
):
    response = upload(client_for(learner), make(own_token))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "Error: Import your passport" in page
    assert not ImportedPassport.objects.exists() and not PriorAttainment.objects.exists()


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _with_part(token: str, index: int, json_text: str) -> str:
    parts = token.split(".")
    parts[index] = _b64(json_text)
    return ".".join(parts)


@pytest.mark.parametrize(
    ("index", "json_text"),
    [(0, "[" * 50_000), (1, '{"a": ' * 50_000), (1, "[" * 40 + "]" * 40)],
    ids=["header", "contents", "contents-deep-but-parsable"],
)
def test_deeply_nested_json_is_explained_not_a_crash(
    client_for, learner, own_token, index, json_text
):
    # The first two were a RecursionError (a 500).
    response = upload(client_for(learner), _with_part(own_token, index, json_text))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The passport is damaged: there is too much nesting in its" in page
    assert not ImportedPassport.objects.exists()


def test_unknown_issuer_and_wrong_person_are_explained(
    client_for, learner, other_learner, payload, own_token
):
    page = upload(client_for(learner), sign_as_other(payload)).content.decode()
    assert "list of trusted issuers" in page
    page = upload(client_for(other_learner), own_token).content.decode()
    assert "belongs to someone else" in page
    assert not ImportedPassport.objects.exists()


def test_a_20_mb_upload_is_refused_with_a_message(client_for, learner):
    response = upload(client_for(learner), b"e" * (20 * 1024 * 1024))
    assert response.status_code == 413
    assert "must be 1 MB or smaller" in response.content.decode()
    assert not ImportedPassport.objects.exists()


def csrf_client_for(learner) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner, backend="stepwise.accounts.backends.EmailBackend")
    client.get(reverse(IMPORT))
    return client


def test_an_import_without_the_csrf_token_is_refused(learner, own_token):
    client = csrf_client_for(learner)
    response = client.post(reverse(IMPORT), {"passport_file": SimpleUploadedFile("p.jwt", b"x")})
    assert response.status_code == 403
    assert "Your session has expired" in response.content.decode()
    file = SimpleUploadedFile("passport.jwt", own_token.encode())
    response = client.post(reverse(IMPORT), {"passport_file": file})
    assert response.status_code == 403
    assert not ImportedPassport.objects.exists()


def test_an_import_with_the_csrf_token_is_imported(learner, own_token):
    client = csrf_client_for(learner)
    csrf = client.cookies["csrftoken"].value
    file = SimpleUploadedFile("passport.jwt", own_token.encode())
    response = client.post(reverse(IMPORT), {"csrfmiddlewaretoken": csrf, "passport_file": file})
    assert response.status_code == 302
    assert ImportedPassport.objects.count() == 1


def test_with_csrf_checks_a_20_mb_upload_is_stopped_at_the_limit_and_explained(learner):
    # The size limit is in place before anything reads the body for the token: were the page
    # CSRF-checked up front, adding the limit after the read would be a server error.
    client = csrf_client_for(learner)
    csrf = client.cookies["csrftoken"].value
    big = SimpleUploadedFile("passport.jwt", b"e" * (20 * 1024 * 1024))
    response = client.post(reverse(IMPORT), {"csrfmiddlewaretoken": csrf, "passport_file": big})
    assert response.status_code == 413
    assert "must be 1 MB or smaller" in response.content.decode()
    assert not ImportedPassport.objects.exists()


def test_importing_twice_is_a_message(client_for, learner, own_token):
    client = client_for(learner)
    upload(client, own_token)
    page = upload(client, own_token).content.decode()
    assert "already imported" in page
    assert ImportedPassport.objects.count() == 1


def test_a_misconfigured_trust_list_is_a_503_not_a_500(client_for, settings, learner, own_token):
    settings.STEPWISE_TRUSTED_ISSUERS = "not json"
    assert upload(client_for(learner), own_token).status_code == 503


# The educator's side --------------------------------------------------------------------


@pytest.fixture
def imported(client_for, learner, own_token):
    upload(client_for(learner), own_token)
    return PriorAttainment.objects.all()


def _url(enrolment):
    return reverse("passports:prior_attainment", args=[enrolment.pk])


def test_prior_attainment_is_for_educators_of_the_trust(
    client_for, new_enrolment, learner, other_trust_admin, educator, imported
):
    assert client_for(learner).get(_url(new_enrolment)).status_code == 403
    # The persona educator works at the first Trust: the new enrolment is not theirs.
    assert client_for(educator).get(_url(new_enrolment)).status_code == 404


def test_the_educator_sees_and_accepts_prior_attainment(
    client_for, new_enrolment, imported, django_assert_max_num_queries
):
    client = client_for(new_enrolment.educator)
    manage = client.get(reverse("progress:enrolment_manage", args=[new_enrolment.pk]))
    assert _url(new_enrolment) in manage.content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(_url(new_enrolment)).content.decode()
    assert "Recognised prior attainment from this Stepwise service" in page
    chosen = [str(a.pk) for a in imported[:2]]
    response = client.post(_url(new_enrolment), {"attainments": chosen})
    assert response.status_code == 302
    assert new_enrolment.records.filter(state=RecordState.CONFIRMED).count() == 2
    assert (
        Decision.objects.filter(record__enrolment=new_enrolment)
        .exclude(prior_attainment_source="")
        .count()
        == 2
    )


def test_choosing_nothing_or_a_forged_id_is_explained(client_for, new_enrolment, imported):
    client = client_for(new_enrolment.educator)
    page = client.post(_url(new_enrolment), {}).content.decode()
    assert "Choose at least one proficiency to accept" in page
    page = client.post(_url(new_enrolment), {"attainments": ["999999"]}).content.decode()
    assert "Choose from the proficiencies listed" in page
    assert not Decision.objects.filter(record__enrolment=new_enrolment).exists()


def test_a_changed_statement_is_shown_but_not_offered(client_for, new_enrolment, imported):
    changed = imported.first()
    PriorAttainment.objects.filter(pk=changed.pk).update(statement="An older wording")
    page = client_for(new_enrolment.educator).get(_url(new_enrolment)).content.decode()
    assert "An older wording" in page and "statement differs" in page
    assert f'value="{changed.pk}"' not in page
