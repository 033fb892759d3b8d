"""Prometheus metrics: the counters every layer may bump, and the scrape's registry.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty directory per start, see
deploy/gunicorn.conf.py): each worker then writes its values to files there and a
scrape adds them up. Labels never hold patient data: endpoints are route names,
never paths (a patient's page address is a secret).
"""
from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import REGISTRY, Metric
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "booking_http_requests_total", "Requests answered, by route name, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "booking_http_request_duration_seconds", "Time to answer a request, by route name.",
    ["endpoint"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
BOOKINGS = Counter("booking_bookings_total", "Appointments booked, by who booked.", ["booker"])
BOOKING_CONFLICTS = Counter(
    "booking_booking_conflicts_total", "Bookings refused because the time was taken (409)."
)
OUTBOX_SENT = Counter("booking_outbox_sent_total", "Messages delivered, by channel.", ["channel"])
OUTBOX_FAILED = Counter(
    "booking_outbox_failed_total", "Messages given up on (permanent refusal or out of tries), by channel.",
    ["channel"],
)
OUTBOX_RETRIED = Counter("booking_outbox_retried_total", "Failed tries to be retried, by channel.", ["channel"])
REMINDERS_SKIPPED_LATE = Counter(
    "booking_reminders_skipped_late_total", "Reminders not sent because their moment had passed."
)
LOGIN_FAILURES = Counter(
    "booking_login_failures_total", "Refused staff sign-ins, by step (password or second factor).", ["step"]
)
RATE_LIMITED = Counter("booking_rate_limited_total", "Requests refused by a rate limit (429), by route name.",
                       ["endpoint"])


def exposition(extra: Collector | None = None) -> bytes:
    """The text a scrape gets: every process's counters, plus `extra` (read at scrape time)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    if extra is None:
        return generate_latest(registry)
    scrape = CollectorRegistry()
    scrape.register(_Both(registry, extra))
    return generate_latest(scrape)


class _Both(Collector):
    def __init__(self, registry: CollectorRegistry, extra: Collector) -> None:
        self.registry, self.extra = registry, extra

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()
        yield from self.extra.collect()
