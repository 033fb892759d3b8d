"""The long-running outbox worker: deliver, wait when idle, stop cleanly on SIGTERM."""
from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from booking.mail.delivery import DeliveryReport, deliver_due
from booking.models import Channel

log = logging.getLogger(__name__)


def run_worker(
    *, once: bool, idle_seconds: float, batch: int, stop: threading.Event | None = None,
    channel: Channel | None = None,
) -> DeliveryReport:
    """Deliver in batches until `stop` is set (SIGTERM/SIGINT set it) or, with `once`, the queue is empty.

    With `channel`, only emails or only texts (one worker per channel: an outage of one never delays the other).
    """
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():

        def request_stop(signum: int, frame: FrameType | None) -> None:
            log.info("signal %s: finishing the current message, then stopping", signum)
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
    totals = DeliveryReport()
    while not stop.is_set():
        report = deliver_due(batch, stop, channel)
        for field in ("sent", "retried", "failed", "voided", "skipped", "deferred"):
            setattr(totals, field, getattr(totals, field) + getattr(report, field))
        if once and report.handled < batch:
            break
        if report.handled == 0 or report.retried:
            # Nothing due, or the server is failing: wait (a stop wakes us at once).
            stop.wait(idle_seconds)
    return totals
