"""The per-worker availability caches: stamps, replacement in place, LRU eviction."""
from __future__ import annotations

from datetime import datetime, timezone

from booking.caching import LruCache, stamp


def test_a_value_is_used_only_with_the_stamp_it_was_stored_with() -> None:
    cache = LruCache(4)
    cache.put("clinic-1", (7, "12:00"), "answer")
    assert cache.get("clinic-1", (7, "12:00")) == "answer"
    assert cache.get("clinic-1", (8, "12:00")) is None  # the calendar changed
    assert cache.get("clinic-1", (7, "12:01")) is None  # the minute moved on
    assert cache.get("clinic-2", (7, "12:00")) is None


def test_a_newer_answer_replaces_the_old_one_instead_of_piling_up() -> None:
    cache = LruCache(4)
    for minute in range(100):
        cache.put("clinic-1", (7, minute), f"answer {minute}")
    assert len(cache) == 1
    assert cache.get("clinic-1", (7, 99)) == "answer 99"


def test_the_least_recently_used_key_goes_first() -> None:
    cache = LruCache(2)
    cache.put("a", 1, "A")
    cache.put("b", 1, "B")
    assert cache.get("a", 1) == "A"  # now "b" is the least recently used
    cache.put("c", 1, "C")
    assert cache.get("b", 1) is None
    assert (cache.get("a", 1), cache.get("c", 1)) == ("A", "C")


def test_size_zero_keeps_nothing() -> None:
    cache = LruCache(0)
    cache.put("a", 1, "A")
    assert cache.get("a", 1) is None and len(cache) == 0


def test_stamp_is_the_version_and_the_minute() -> None:
    moment = datetime(2026, 11, 22, 9, 30, 41, 123, tzinfo=timezone.utc)
    assert stamp(3, moment) == (3, datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc))
