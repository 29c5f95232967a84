"""Daily reminders from apps above progress: `manage.py send_reminders` (in progress) runs
each one registered here from an AppConfig.ready(), after its own. A job takes the moment of
the run and returns the line the command prints; it must be safe to run twice a day."""

from collections.abc import Callable
from datetime import datetime

_jobs: dict[str, Callable[[datetime], str]] = {}


def register(name: str, job: Callable[[datetime], str]) -> None:
    _jobs[name] = job


def run_all(at: datetime) -> list[str]:
    return [job(at) for _name, job in sorted(_jobs.items())]
