"""A small in-process cache of availability responses.

Keys carry the clinic's calendar version (see booking/queries/calendar_version.py)
and the current minute, so an entry is never used after a booking or a settings
change, nor once the minimum-notice boundary has moved on.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class ResponseCache:
    """Least-recently-used bytes by key; thread-safe; size 0 disables it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        """The cached body, or None."""
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        """Remember `body`, dropping the least recently used entry when full."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
