"""Small in-process caches of computed availability, one per worker.

An entry is stored under what it answers (clinic, service, dates) with a stamp of
what it was computed from: the clinic's calendar version (see
booking/queries/calendar_version.py) and the current minute. It is used only while
both still match, so never after a booking or a settings change, nor once the
minimum-notice boundary has moved on; a newer answer replaces it in place, so
outdated entries do not pile up.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime
from typing import Any

from flask import current_app


class LruCache:
    """Least-recently-used values by key, each with a stamp; thread-safe; size 0 disables it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, stamp: Hashable) -> Any | None:
        """The value stored for `key` with this very `stamp`, or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != stamp:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: Hashable, stamp: Hashable, value: Any) -> None:
        """Remember `value` for `key` (replacing any older one), dropping the least recently used when full."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = (stamp, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def availability_cache(name: str, size_setting: str) -> LruCache:
    """This app's cache called `name`, holding as many entries as the `size_setting` config says."""
    caches = current_app.extensions.setdefault("availability_caches", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches[name] = LruCache(current_app.config[size_setting])
    return cache


def stamp(version: int, now: datetime) -> tuple[int, datetime]:
    """What an entry was computed from: the calendar version and the minute."""
    return version, now.replace(second=0, microsecond=0)
