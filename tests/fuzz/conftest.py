"""Shared by the fuzzing tests."""

from tests.quiet import quiet_refusals  # noqa: F401 (an autouse fixture for this folder)
