"""Planning an infusion series (pure), and booking it all or nothing."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.availability import Slot
from booking.domain.errors import DomainError


class SeriesImpossible(DomainError):
    """Not enough free times fit the series rules."""

    def __init__(self, found: int, wanted: int) -> None:
        super().__init__(f"only {found} of {wanted} sessions fit these rules")
        self.found = found
        self.wanted = wanted


@dataclass(frozen=True)
class SeriesRules:
    """How a course of infusions should be spread."""

    count: int  # sessions, e.g. 6
    within_days: int  # all sessions within this many days of the first day, e.g. 21
    min_gap_days: int = 1  # at least this many days between sessions
    weekdays: frozenset[int] = frozenset()  # preferred weekdays (Monday is 0); empty means any
    earliest: time | None = None  # preferred time of day for the start
    latest: time | None = None

    def __post_init__(self) -> None:
        if self.count < 1 or self.within_days < 1 or self.min_gap_days < 1:
            raise ValueError("count, within_days and min_gap_days must be at least 1")


def plan_series(slots: Sequence[Slot], rules: SeriesRules, first_day: date, zone: ZoneInfo) -> list[Slot]:
    """Pick one free slot per session: earliest days first, keeping the spacing.

    Taking the earliest allowed day each time fits the most sessions into the
    window; within a day, the time closest to the first session's is chosen so
    the course keeps a steady rhythm. Raises `SeriesImpossible` if too few fit.
    """
    last_day = first_day + timedelta(days=rules.within_days - 1)
    by_day: dict[date, list[Slot]] = {}
    for slot in slots:
        local = slot.start.astimezone(zone)
        day = local.date()
        if not first_day <= day <= last_day:
            continue
        if rules.weekdays and day.weekday() not in rules.weekdays:
            continue
        wall = local.time()
        if (rules.earliest and wall < rules.earliest) or (rules.latest and wall > rules.latest):
            continue
        by_day.setdefault(day, []).append(slot)

    plan: list[Slot] = []
    previous: date | None = None
    for day in sorted(by_day):
        if previous is not None and (day - previous).days < rules.min_gap_days:
            continue
        candidates = by_day[day]
        if plan:
            anchor = plan[0].start.astimezone(zone)
            minutes = anchor.hour * 60 + anchor.minute
            pick = min(candidates, key=lambda s: abs(_minutes(s, zone) - minutes))
        else:
            pick = min(candidates, key=lambda s: s.start)
        plan.append(pick)
        previous = day
        if len(plan) == rules.count:
            return plan
    raise SeriesImpossible(len(plan), rules.count)


def _minutes(slot: Slot, zone: ZoneInfo) -> int:
    local = slot.start.astimezone(zone)
    return local.hour * 60 + local.minute


@dataclass(frozen=True)
class PlannedSession:
    """One session as staff confirmed it (possibly adjusted)."""

    start: datetime
    chair_id: int | None = None
