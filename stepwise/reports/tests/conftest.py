"""The progress tests' framework and enrolment fixtures, for the reports built on them."""

from stepwise.progress.tests.conftest import enrolment, offered, version  # noqa: F401
