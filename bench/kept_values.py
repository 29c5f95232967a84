"""What keeping a published version's stamps and sections saves (ADR 16), in one run.

Against the seed_bench dataset, the learner's section page, whole Step and action plans page
are requested in turns with the kept values (warm) and with every cache emptied just before
the request (cold: the stamps rendered through the NHS macros and the sections read, as
before ADR 16). Wall and CPU p50 of 50 each, after 5 warm-ups:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stepwise_bench \\
        .venv/bin/python -m bench.kept_values
"""

import os
import statistics
import sys
import time
from pathlib import Path

RUNS = 50
WARM_UPS = 5


def _timed(client, url, before=None) -> tuple[float, float]:
    if before:
        before()
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings
    from django.urls import reverse

    from bench import journey_pages as journey
    from stepwise.core.versioned_cache import forget_local

    call_command("migrate", verbosity=0, interactive=False)

    def empty():
        cache.clear()
        forget_local()

    with override_settings(**journey.SETTINGS):
        _lead, enrolment, section_id, _queue, _review = journey.subjects()
        plans, _signing, _educator = journey.tablet_subjects(enrolment.trust)
        learner = journey.client_for(enrolment.learner)
        pages = [
            ("Section page", learner, reverse("progress:section", args=[enrolment.pk, section_id])),
            ("Whole Step", learner, reverse("progress:answers", args=[enrolment.pk])),
            (
                "Action plans",
                journey.client_for(plans.learner),
                reverse("progress:action_plans", args=[plans.pk]),
            ),
        ]
        print("| page | cold wall p50 | warm wall p50 | cold CPU p50 | warm CPU p50 |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, client, url in pages:
            for _ in range(WARM_UPS):
                _timed(client, url)
            cold, warm = [], []
            for _ in range(RUNS):
                cold.append(_timed(client, url, before=empty))
                warm.append(_timed(client, url))
            p50 = lambda samples, i: statistics.median(s[i] for s in samples)  # noqa: E731
            print(
                f"| {label} | {p50(cold, 0):.1f} ms | {p50(warm, 0):.1f} ms "
                f"| {p50(cold, 1):.1f} ms | {p50(warm, 1):.1f} ms |",
                flush=True,
            )
    print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
