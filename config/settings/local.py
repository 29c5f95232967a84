"""Development on a laptop: debug pages, emails printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
