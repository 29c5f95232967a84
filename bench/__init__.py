"""Benchmarks: timings belong here, never in tests.

A benchmark is a function in a module of this package, registered with `@benchmark("name")`.
It runs against a throwaway database that `python -m bench` prepares, and returns the
Markdown for its own section of bench/results.md; other sections of that file are kept.
"""

import re
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
HEADING = "# Benchmark results\n\nWritten by `.venv/bin/python -m bench` (or `make bench`).\n"

Benchmark = Callable[[], str]
REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    def register(function: Benchmark) -> Benchmark:
        if name in REGISTRY:
            raise ValueError(f"Two benchmarks are called {name!r}")
        REGISTRY[name] = function
        return function

    return register


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"


def write_section(name: str, markdown: str, path: Path = RESULTS) -> None:
    """Replace this benchmark's section of the results file, or add it at the end."""
    start, end = _markers(name)
    section = f"{start}\n{markdown.strip()}\n{end}"
    text = path.read_text() if path.exists() else HEADING
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)
