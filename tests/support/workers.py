"""Several outbox workers at once, as threads: the tests that no message goes out twice."""
from __future__ import annotations

import threading
from typing import Any

from booking.mail.delivery import deliver_due


def drain_with_workers(app: Any, workers: int = 4, batch: int = 50) -> None:
    """Start `workers` threads together, each delivering `batch` at a time until none is due."""
    barrier = threading.Barrier(workers)

    def work() -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            while deliver_due(batch).handled:
                pass

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
