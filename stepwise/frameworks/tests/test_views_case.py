import uuid

import pytest

from stepwise.frameworks.services import version_draft, version_retire, version_submit_for_review
from stepwise.frameworks.tests.case_schema import case_problems
from stepwise.frameworks.tests.factories import published_version


def url(version_or_uuid) -> str:
    document = getattr(version_or_uuid, "document_uuid", version_or_uuid)
    return f"/ims/case/v1p1/CFPackages/{document}"


def test_anyone_can_read_a_published_version_as_case(client, published):
    response = client.get(url(published))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    package = response.json()
    assert package["CFDocument"]["identifier"] == str(published.document_uuid)
    assert case_problems(package) == []


def test_a_retired_version_stays_readable(client, published, framework_author):
    version_retire(version=published, by=framework_author)

    response = client.get(url(published))

    assert response.status_code == 200
    assert response.json()["CFDocument"]["adoptionStatus"] == "Deprecated"


def test_a_draft_is_not_found(client, published, framework_author):
    draft = version_draft(framework=published.framework, by=framework_author)

    response = client.get(url(draft))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["imsx_description"] == "Unknown Object"


def test_a_version_in_review_is_not_found(client, draft, framework_author):
    version_submit_for_review(version=draft, by=framework_author)

    assert client.get(url(draft)).status_code == 404


def test_an_unknown_document_is_not_found(client, db):
    assert client.get(url(uuid.uuid4())).status_code == 404


@pytest.mark.parametrize("path", ["not-a-uuid", "3F2B6C1E-8A4D-4F3B-9C2E-1D5A7B8C9E0F"])
def test_a_malformed_identifier_is_not_found(client, db, path):
    assert client.get(f"/ims/case/v1p1/CFPackages/{path}").status_code == 404


def test_it_only_reads(client, published):
    assert client.post(url(published)).status_code == 405
    assert client.head(url(published)).status_code == 200


def test_its_query_count_does_not_grow_with_the_framework(
    client, framework_author, django_assert_max_num_queries
):
    spec = [
        (str(s), f"Section {s}", [(f"{s}.{p}", "Do it", {}) for p in range(50)])
        for s in range(1, 9)
    ]
    version = published_version(spec=spec, by=framework_author)

    with django_assert_max_num_queries(3):
        response = client.get(url(version))

    assert len(response.json()["CFItems"]) == 8 + 400
