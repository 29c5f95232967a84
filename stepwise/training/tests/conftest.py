"""Packages written and published through the real services, and signing keys for the
certificates they issue (the certificates app's own test support)."""

import pytest
from django.test import TestCase

from stepwise.certificates.tests.conftest import fresh_throttle, signing_keys
from stepwise.training.models import Audience
from stepwise.training.services import authoring
from stepwise.training.services.learning import package_complete, page_open

__all__ = ["fresh_throttle", "signing_keys"]


def publish(package, author):
    version = package.versions.get(state="draft")
    authoring.version_submit(version=version, by=author)
    authoring.version_publish(version=version, by=author)
    version.refresh_from_db()
    return version


def make_package(
    author,
    *,
    slug="using-stepwise",
    title="Using Stepwise",
    audience=Audience.EVERYONE,
    framework=None,
    pages=(("Welcome", "Stepwise keeps your record. " * 20), ("Your role", "You assess. " * 50)),
    validity_months=None,
    declaration="I have read the pre-reading and understand my role.",
):
    package = authoring.package_create(
        slug=slug, title=title, audience=audience, by=author, framework=framework
    )
    version = package.versions.get()
    authoring.version_update(
        version=version, by=author, declaration=declaration, validity_months=validity_months
    )
    for page_title, body in pages:
        authoring.page_save(version=version, by=author, title=page_title, body=body)
    publish(package, author)
    return package


def read_all(person, version):
    for page in version.pages.all():
        page_open(person=person, page=page)


def complete(person, version, membership, *, make_pdf=True):
    with TestCase.captureOnCommitCallbacks(execute=make_pdf):
        completion = package_complete(
            person=person, version=version, membership=membership, declaration_agreed=True
        )
    completion.certificate.refresh_from_db()
    return completion


@pytest.fixture
def package(framework_author):
    return make_package(framework_author)


@pytest.fixture
def version(package):
    return package.versions.get(state="published")
