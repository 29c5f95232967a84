"""Frameworks for tests, built through the services so they hold what real ones hold."""

import factory

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.frameworks.exchange.content import FrameworkContent, ProficiencyData, SectionData
from stepwise.frameworks.models import Framework
from stepwise.frameworks.services import (
    version_approve,
    version_import,
    version_publish,
    version_submit_for_review,
)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    # Not "step-N": tests name their own "step-1", and a sequence must never collide with it.
    slug = factory.Sequence(lambda n: f"framework-{n}")
    title = factory.Sequence(lambda n: f"Step {n}")
    description = "Proficiencies for adult critical care nurses."
    created_by = factory.SubFactory(PersonFactory, is_framework_author=True)


# Two sections, five proficiencies: one optional, one supernumerary, guidance and hints.
SAMPLE = [
    (
        "1",
        "Respiratory",
        [
            ("1.1", "Describe the anatomy of the airway", {"supernumerary": True}),
            ("1.2", "Perform endotracheal suctioning", {"guidance": "Closed circuit only."}),
            ("1.3", "Set up a humidification circuit", {"optional": True}),
        ],
    ),
    (
        "2",
        "Cardiovascular",
        [
            ("2.1", "Record a 12-lead ECG", {"evidence_hints": "A supervised recording."}),
            ("2.2", "Measure central venous pressure", {}),
        ],
    ),
]


def content(spec=SAMPLE) -> FrameworkContent:
    return FrameworkContent(
        sections=[
            SectionData(
                code=code,
                title=title,
                proficiencies=[
                    ProficiencyData(code=p_code, statement=statement, **extra)
                    for p_code, statement, extra in proficiencies
                ],
            )
            for code, title, proficiencies in spec
        ]
    )


def draft_version(*, framework=None, by=None, spec=SAMPLE, label=""):
    framework = framework or FrameworkFactory()
    by = by or framework.created_by
    return version_import(framework=framework, content=content(spec), by=by, label=label)


def published_version(*, framework=None, by=None, spec=SAMPLE, label=""):
    version = draft_version(framework=framework, by=by, spec=spec, label=label)
    by = by or version.framework.created_by
    version_submit_for_review(version=version, by=by)
    version_approve(version=version, by=by)
    return version_publish(version=version, by=by)
