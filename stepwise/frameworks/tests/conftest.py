import pytest

from stepwise.frameworks.tests.factories import FrameworkFactory, draft_version, published_version


@pytest.fixture
def framework(framework_author):
    return FrameworkFactory(created_by=framework_author, title="Step 1", slug="step-1")


@pytest.fixture
def draft(framework, framework_author):
    return draft_version(framework=framework, by=framework_author)


@pytest.fixture
def published(framework, framework_author):
    return published_version(framework=framework, by=framework_author)
