"""The progress tests' framework and enrolment fixtures, for the reports built on them."""

import pytest

from stepwise.frameworks.models import FrameworkVersion, Proficiency
from stepwise.progress.tests.conftest import enrolment, offered, version  # noqa: F401


@pytest.fixture
def period(offered):  # noqa: F811
    """The sample version: 4 weeks, its first two proficiencies for the period."""
    FrameworkVersion.objects.filter(pk=offered.pk).update(supernumerary_weeks=4)
    first_two = Proficiency.objects.filter(version=offered).order_by(
        "section__position", "position"
    )[:2]
    Proficiency.objects.filter(pk__in=[p.pk for p in first_two]).update(supernumerary=True)
    offered.refresh_from_db()
    return offered
