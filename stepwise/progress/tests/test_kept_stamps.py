"""A published version's stamped answer markup and its sections are kept across requests
(ADR 16), and nothing kept is ever shown for another version, a retired one or a draft."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stepwise.core.versioned_cache import key_for
from stepwise.frameworks.models import FrameworkVersion, TrustFramework
from stepwise.progress.services import enrolment_create

from .conftest import build_version
from .learner_support import read

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def url(enrolment, section) -> str:
    return reverse("progress:section", args=[enrolment.pk, section.pk])


def first_section(enrolment):
    return enrolment.version.sections.get(position=1)


def _main(response) -> str:
    """The page's main element, without its CSRF token (new on every response)."""
    html = read(response)
    return CSRF.sub("", html.split("<main", 1)[1].split("</main>", 1)[0])


def test_the_second_request_serves_the_kept_stamps_and_sections(client_for, learner, enrolment):
    page = url(enrolment, first_section(enrolment))
    client = client_for(learner)
    with CaptureQueriesContext(connection) as cold:
        first = client.get(page)
    key = enrolment.version.kept_key
    assert cache.get(key_for("markup", "answer-radios", key, "")) is not None
    assert cache.get(key_for("markup", "answer-reflection", key)) is not None
    assert [s.pk for s in cache.get(key_for("sections", key))] == [
        s.pk for s in enrolment.version.sections.order_by("position")
    ]
    with CaptureQueriesContext(connection) as warm:
        second = client.get(page)
    assert _main(second) == _main(first)
    assert _main(second).count('type="radio"') == 8
    assert len(warm) == len(cold) - 1  # the sections came from the cache


def _enrol(learner, trust, educator, version):
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    return enrolment_create(
        learner=learner, version=version, trust=trust, educator=educator, by=educator
    )


def test_each_version_shows_its_own_answers_at_once(client_for, learner, trust, educator):
    plain = build_version(slug="plain")
    custom = build_version(slug="custom")
    FrameworkVersion.objects.filter(pk=custom.pk).update(
        achieved_label="Competent", ongoing_label="Still learning"
    )
    custom.refresh_from_db()
    on_plain = _enrol(learner, trust, educator, plain)
    on_custom = _enrol(learner, trust, educator, custom)
    client = client_for(learner)

    plain_page = _main(client.get(url(on_plain, first_section(on_plain))))
    custom_page = _main(client.get(url(on_custom, first_section(on_custom))))

    assert plain.kept_key != custom.kept_key
    assert "Competent" not in plain_page and plain.achieved_label in plain_page
    assert "Competent" in custom_page and "Still learning" in custom_page
    assert f">{plain.achieved_label}<" not in custom_page


def test_retiring_a_version_gives_it_a_new_key(client_for, learner, enrolment):
    page = url(enrolment, first_section(enrolment))
    client_for(learner).get(page)
    published = enrolment.version.kept_key
    FrameworkVersion.objects.filter(pk=enrolment.version_id).update(
        state=FrameworkVersion.State.RETIRED, retired_at=timezone.now()
    )
    enrolment.version.refresh_from_db()
    assert enrolment.version.kept_key not in (None, published)
    response = client_for(learner).get(page)
    assert response.status_code == 200
    assert cache.get(key_for("sections", enrolment.version.kept_key)) is not None


def test_a_version_still_being_written_is_never_kept(db):
    version = build_version(slug="open")
    for state in (FrameworkVersion.State.DRAFT, FrameworkVersion.State.IN_REVIEW):
        FrameworkVersion.objects.filter(pk=version.pk).update(state=state)
        version.refresh_from_db()
        assert version.kept_key is None
        assert key_for("sections", version.kept_key) is None


def test_a_change_to_a_version_changes_its_key(db):
    version = build_version(slug="changed")
    before = version.kept_key
    FrameworkVersion.objects.filter(pk=version.pk).update(changed_at=timezone.now())
    version.refresh_from_db()
    assert version.kept_key != before
