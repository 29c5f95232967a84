"""How gunicorn serves Stepwise: read by `gunicorn config.wsgi` from the working directory, so
production, `make serve`, `make loadtest` and `make production-smoke` all use it. Chosen by
measurement: docs/adr/0018-production-server.md. Options given on the command line or in
GUNICORN_CMD_ARGS override these.
"""

import gc
import os
import sys

# Threads in each worker process: a request waiting on PostgreSQL leaves the CPU to another.
worker_class = "gthread"
_cores = len(os.sched_getaffinity(0))
workers = int(os.environ.get("WEB_CONCURRENCY", _cores))
threads = int(os.environ.get("STEPWISE_THREADS", 4))
# Keep-alive between a load balancer and the workers, which gthread workers hold cheaply.
keepalive = 5
# How long one thread runs before another waiting for the GIL may take over. At Python's 5 ms,
# a request back from PostgreSQL waits behind a thread busy rendering for up to 5 ms at each of
# its queries; at 1 ms the load test's p95 fell in every pair of runs (ADR 18, addendum).
SWITCH_INTERVAL_SECONDS = 0.001


def post_worker_init(worker):
    """Once the worker has loaded Django, move everything loading made (about 160,000 objects)
    out of the garbage collector's reach: they live as long as the worker, and scanning them
    on every full collection was the slow tail of large pages (the whole Step's p95 went from
    142 ms to 45 ms of CPU; docs/adr/0018-production-server.md). Then lets threads take turns
    every millisecond. (Collecting the youngest objects less often was measured and not
    taken: ADR 18's addendum of 5 December, 13:47.)"""
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
