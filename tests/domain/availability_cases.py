"""Shared values and builders for the availability unit tests (no app, no database)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from booking.domain.availability import (
    Calendar,
    Occupancy,
    OpeningRange,
    Period,
    Rules,
    ServiceTiming,
    Slot,
    free_slots,
)

UTC = timezone.utc
CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

MONDAY = date(2026, 6, 1)  # an ordinary Monday, far from any clock change
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)
FOREVER = timedelta(days=3650)

# Sundays on which the clocks change, and what happens.
CHICAGO_SPRING = date(2026, 3, 8)  # 02:00 CST -> 03:00 CDT
CHICAGO_FALL = date(2026, 11, 1)  # 02:00 CDT -> 01:00 CST
LONDON_SPRING = date(2026, 3, 29)  # 01:00 GMT -> 02:00 BST
LONDON_FALL = date(2026, 10, 25)  # 02:00 BST -> 01:00 GMT


def hm(text: str) -> time:
    """'08:30' -> time(8, 30)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def at(day: date, wall: str, zone: ZoneInfo = CHICAGO, fold: int = 0) -> datetime:
    """An aware datetime on the clinic's wall clock."""
    return datetime.combine(day, hm(wall), tzinfo=zone).replace(fold=fold)


def utc(day: date, wall: str, zone: ZoneInfo = CHICAGO, fold: int = 0) -> datetime:
    """The same instant as `at`, expressed in UTC."""
    return at(day, wall, zone, fold).astimezone(UTC)


def open_on(day: date, *spans: tuple[str, str]) -> tuple[OpeningRange, ...]:
    """Opening ranges on the weekday of `day`."""
    return tuple(OpeningRange(day.weekday(), hm(a), hm(b)) for a, b in spans)


def find(
    *,
    ranges: Iterable[OpeningRange],
    first_day: date = MONDAY,
    days: int = 1,
    zone: ZoneInfo = CHICAGO,
    step: int = 30,
    duration: int = 60,
    recovery: int = 0,
    notice: timedelta = timedelta(0),
    horizon: timedelta = FOREVER,
    chairs: Sequence[int] = (1,),
    occupancies: Iterable[Occupancy] = (),
    closed_days: Iterable[date] = (),
    closed_periods: Iterable[Period] = (),
    now: datetime = LONG_AGO,
) -> list[Slot]:
    """free_slots with quiet defaults: one chair, no notice, a ten-year horizon."""
    calendar = Calendar(
        zone=zone,
        opening_hours=tuple(ranges),
        closed_days=frozenset(closed_days),
        closed_periods=tuple(closed_periods),
    )
    rules = Rules(step=timedelta(minutes=step), min_notice=notice, horizon=horizon)
    service = ServiceTiming(timedelta(minutes=duration), timedelta(minutes=recovery))
    return free_slots(
        calendar,
        rules,
        service,
        list(chairs),
        list(occupancies),
        first_day=first_day,
        days=days,
        now=now,
    )


def walls(slots: Iterable[Slot]) -> list[str]:
    """Local wall-clock labels 'HH:MM' of the slot starts."""
    return [f"{s.start:%H:%M}" for s in slots]


def labels(slots: Iterable[Slot]) -> list[str]:
    """Local 'YYYY-MM-DD HH:MM' labels of the slot starts."""
    return [f"{s.start:%Y-%m-%d %H:%M}" for s in slots]


def grid(first: str, last: str, step: int) -> list[str]:
    """Wall labels from `first` to `last` inclusive, every `step` minutes."""
    start = hm(first).hour * 60 + hm(first).minute
    end = hm(last).hour * 60 + hm(last).minute
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(start, end + 1, step)]


def by_wall(slots: Iterable[Slot]) -> dict[str, Slot]:
    """Slots keyed by their wall label (only for days without repeated times)."""
    return {f"{s.start:%H:%M}": s for s in slots}
