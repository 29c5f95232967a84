"""The certificate test needs a learner signed off through the real services."""

from stepwise.certificates.tests.conftest import build_version, enrolment, offered, version

__all__ = ["build_version", "enrolment", "offered", "version"]
