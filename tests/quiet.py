"""A fixture for the tests that visit every URL or fuzz every form (each folder's conftest
imports it)."""

import logging

import pytest


@pytest.fixture(autouse=True)
def quiet_refusals():
    """Django logs every 4xx with its traceback: thousands in these tests, and slow."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)
