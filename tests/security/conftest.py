"""Shared by the tests that visit every URL."""

from tests.quiet import quiet_refusals  # noqa: F401 (an autouse fixture for this folder)
