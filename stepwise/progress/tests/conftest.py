"""A small published framework offered by the persona Trust, and a learner enrolled on it."""

import pytest
from django.utils import timezone

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.frameworks.models import (
    Framework,
    FrameworkVersion,
    Proficiency,
    Section,
    TrustFramework,
)
from stepwise.progress.services import enrolment_create


def build_version(
    *,
    slug="step-1",
    sections=3,
    per_section=4,
    optional_per_section=1,
    minimum_optional=1,
    framework=None,
    label="1.0",
) -> FrameworkVersion:
    """A published version built straight in the database: tests of the journey do not need
    the authoring workflow."""
    author = PersonFactory(is_framework_author=True)
    framework = framework or Framework.objects.create(
        slug=slug, title=f"Sample {slug}", created_by=author
    )
    version = FrameworkVersion.objects.create(
        framework=framework, label=label, minimum_optional=minimum_optional, created_by=author
    )
    for s in range(1, sections + 1):
        section = Section.objects.create(
            version=version, position=s, code=str(s), title=f"Section {s}"
        )
        Proficiency.objects.bulk_create(
            [
                Proficiency(
                    version=version,
                    section=section,
                    position=p,
                    code=f"{s}.{p}",
                    statement=f"Statement {s}.{p}",
                    optional=p > per_section - optional_per_section,
                )
                for p in range(1, per_section + 1)
            ]
        )
    FrameworkVersion.objects.filter(pk=version.pk).update(
        state=FrameworkVersion.State.PUBLISHED, published_at=timezone.now()
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def version(db):
    return build_version()


@pytest.fixture
def offered(trust, version):
    TrustFramework.objects.create(trust=trust, framework=version.framework)
    return version


@pytest.fixture
def enrolment(learner, educator, assessor, trust, offered):
    return enrolment_create(
        learner=learner,
        version=offered,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
