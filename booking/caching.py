"""Small in-process caches of computed availability, one per worker.

Keys carry the clinic's calendar version (see booking/queries/calendar_version.py)
and the current minute, so an entry is never used after a booking or a settings
change, nor once the minimum-notice boundary has moved on.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime
from typing import Any

from flask import current_app


class LruCache:
    """Least-recently-used values by key; thread-safe; size 0 disables it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        """The cached value, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Remember `value`, dropping the least recently used entry when full."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def availability_cache(name: str) -> LruCache:
    """This app's cache called `name`, sized by AVAILABILITY_CACHE_SIZE."""
    caches = current_app.extensions.setdefault("availability_caches", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches[name] = LruCache(current_app.config["AVAILABILITY_CACHE_SIZE"])
    return cache


def this_minute(now: datetime) -> datetime:
    """`now` truncated to the minute: the part of a cache key that expires entries."""
    return now.replace(second=0, microsecond=0)
