"""Run the benchmarks: `.venv/bin/python -m bench [name ...]`.

Uses the test settings against a throwaway SQLite file (never data/), migrated afresh, and
writes each benchmark's section of bench/results.md.
"""

import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path


def _prepare_django(folder: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("DATABASE_URL", None)
    # With no DATABASE_URL the settings put SQLite (WAL, IMMEDIATE) in this folder.
    os.environ["STEPWISE_DATA_DIR"] = folder
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _discover() -> None:
    import bench

    for module in pkgutil.iter_modules(bench.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"bench.{module.name}")


def main(names: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="stepwise-bench-") as folder:
        _prepare_django(folder)
        import bench

        _discover()
        unknown = set(names) - set(bench.REGISTRY)
        if unknown:
            print(f"No benchmark called {', '.join(sorted(unknown))}.", file=sys.stderr)
            print(f"There are: {', '.join(sorted(bench.REGISTRY))}.", file=sys.stderr)
            return 2
        for name, run in bench.REGISTRY.items():
            if names and name not in names:
                continue
            print(f"{name}: running…", flush=True)
            started = time.perf_counter()
            markdown = run()
            bench.write_section(name, markdown)
            print(f"{name}: done in {time.perf_counter() - started:.1f} s", flush=True)
            print(markdown, flush=True)
    print(f"Results written to {bench.RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
