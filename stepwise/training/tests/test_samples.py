"""The sample packages seed_demo loads: one per role for Step 1, each ending with that
role's user guide, published, and loaded once however often seed_demo runs."""

from stepwise.frameworks.services import framework_create
from stepwise.training import markdown
from stepwise.training.models import Audience, Package
from stepwise.training.samples import load_sample_packages


def test_each_roles_package_ends_with_its_user_guide(framework_author):
    framework_create(slug="step-1", title="Step 1", by=framework_author)
    published = load_sample_packages(by=framework_author)
    assert {v.package.audience for v in published} == {
        Audience.LEARNER,
        Audience.ASSESSOR,
        Audience.EDUCATOR,
    }
    for version in published:
        assert version.is_published
        pages = list(version.pages.order_by("position"))
        assert pages[-1].title.startswith("User guide for")
        for page in pages:
            assert markdown.word_count(page.body) > 100, page.title
            assert "CC3N" not in page.body
    assert load_sample_packages(by=framework_author) == []
    assert Package.objects.count() == 3


def test_without_the_framework_nothing_is_loaded(framework_author):
    assert load_sample_packages(by=framework_author) == []
