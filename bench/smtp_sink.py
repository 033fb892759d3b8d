"""A local SMTP sink (aiosmtpd) that counts messages and their Message-IDs.

    python -m bench.smtp_sink --port 8725 --stats stats.json

Accepts everything, keeps nothing but each message's Message-ID and arrival
time, and on SIGTERM writes {count, unique, duplicates, first, last} to the
stats file. The delivery rate is count / (last - first): start-up of the
sender is not counted.
"""
from __future__ import annotations

import argparse
import json
import re
import signal
import threading
import time
from typing import Any

from aiosmtpd.controller import Controller

_MESSAGE_ID = re.compile(rb"^message-id:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class CountingHandler:
    """Remembers the Message-ID and arrival time of every message."""

    def __init__(self) -> None:
        self.ids: list[bytes] = []
        self.first: float | None = None
        self.last: float | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Accept the message and note its Message-ID."""
        now = time.monotonic()
        self.first = self.first if self.first is not None else now
        self.last = now
        head = envelope.original_content.split(b"\r\n\r\n", 1)[0]
        match = _MESSAGE_ID.search(head)
        self.ids.append(match.group(1) if match else b"")
        return "250 OK"

    def stats(self) -> dict[str, Any]:
        """Counts and the delivery window."""
        unique = len(set(self.ids))
        return {"count": len(self.ids), "unique": unique, "duplicates": len(self.ids) - unique,
                "missing_id": self.ids.count(b""), "first": self.first, "last": self.last}


def main() -> None:
    """Serve until SIGTERM, then write the stats."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stats", required=True)
    args = parser.parse_args()
    handler = CountingHandler()
    controller = Controller(handler, hostname=args.host, port=args.port, data_size_limit=10 * 1024 * 1024)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    stop.wait()
    controller.stop()
    with open(args.stats, "w") as handle:
        json.dump(handler.stats(), handle)


if __name__ == "__main__":
    main()
