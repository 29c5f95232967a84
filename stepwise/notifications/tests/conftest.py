from stepwise.progress.tests.conftest import build_version, enrolment, offered, version

__all__ = ["build_version", "enrolment", "offered", "version"]
