"""What the in-process benches share (bench/workspace.py, bench/reviews.py): Django set up on
the bench database with the production settings, and requests timed with its test client.
No web server and no network: the figures are the time Django takes for one request.
"""

import os
import statistics
import time
from collections.abc import Callable

import run  # bench/run.py: the bench database and its settings


def set_up_django() -> tuple[dict[str, str], str]:
    """Seed the bench database if needed and set Django up on it in this process; return the
    environment and how long seeding took."""
    env = run.bench_environment()
    # No page timed in-process calls the card processor; production settings only ask for
    # its address.
    env.setdefault("SOUK_STRIPE_API_BASE", "http://127.0.0.1:9")
    seed_time = run.seed(env)
    os.environ.update(env)
    import django

    django.setup()
    return env, seed_time


def time_requests(
    client, path: str, repeat: int, *, before: Callable[[], object] = lambda: None
) -> tuple[int, int, float, float]:
    """Request the path once to count its SQL queries, then repeat times, calling `before`
    ahead of each request (untimed); return the status, queries, p50 and p99 in ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        _read(response)
    count = len(queries)  # now: the log it reads goes on with later requests
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        _read(client.get(path))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, round(len(times) * 0.99) - 1)]
    return response.status_code, count, statistics.median(times), p99


def _read(response) -> bytes:
    return b"".join(response) if response.streaming else response.content
