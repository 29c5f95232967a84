"""The drill needs a certificate signed off through the real services."""

from stepwise.certificates.tests.conftest import build_version, enrolment, offered, version

__all__ = ["build_version", "enrolment", "offered", "version"]
