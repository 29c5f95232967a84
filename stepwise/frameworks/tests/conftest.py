from html import unescape

import pytest

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.frameworks.models import FrameworkCollaborator
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


def _collaborator(framework, role):
    person = PersonFactory()
    FrameworkCollaborator.objects.create(framework=framework, person=person, role=role)
    return person


@pytest.fixture
def reviewer(framework):
    """Reviews Step 1; no other framework role."""
    return _collaborator(framework, FrameworkCollaborator.Role.REVIEWER)


@pytest.fixture
def contributor(framework):
    """Helps write Step 1; no other framework role."""
    return _collaborator(framework, FrameworkCollaborator.Role.CONTRIBUTOR)


@pytest.fixture
def outsider(db):
    """Signed in, with no framework role anywhere."""
    return PersonFactory()


def read(response) -> str:
    """The page as text to search, with entities decoded."""
    return unescape(response.content.decode())


def big_spec(proficiencies: int, sections: int = 10):
    """A framework of this many proficiencies, spread over sections, some optional, with
    guidance and evidence hints."""
    per_section = proficiencies // sections
    return [
        (
            str(s),
            f"Section {s}",
            [
                (
                    f"{s}.{p}",
                    f"Carry out procedure {s}.{p} safely and explain why",
                    {
                        "guidance": "Follow local policy.",
                        "evidence_hints": "A supervised observation.",
                        "optional": p % 10 == 0,
                    },
                )
                for p in range(1, per_section + 1)
            ],
        )
        for s in range(1, sections + 1)
    ]
