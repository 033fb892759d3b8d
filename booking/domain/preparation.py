"""Pre-visit instructions as real clock times for one appointment (pure)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone


@dataclass(frozen=True)
class FastingTimes:
    """When to stop eating and drinking, as aware datetimes in the clinic's zone."""

    no_food_after: datetime | None
    clear_liquids_until: datetime | None


def fasting_times(
    start: datetime, fasting_hours: int | None, clear_liquids_hours: int | None
) -> FastingTimes:
    """Clock times for fasting before `start`, an aware datetime in the clinic's zone.

    Offsets are real elapsed hours (computed in UTC), so across a DST change the
    clock time shifts by the hour the clocks moved.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if not fasting_hours:
        return FastingTimes(None, None)
    zone = start.tzinfo
    utc = start.astimezone(timezone.utc)
    no_food = (utc - timedelta(hours=fasting_hours)).astimezone(zone)
    liquids = None
    if clear_liquids_hours is not None:
        liquids = (utc - timedelta(hours=clear_liquids_hours)).astimezone(zone)
    return FastingTimes(no_food, liquids)
