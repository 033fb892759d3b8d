"""Free start times for a service, computed from a clinic's calendar.

Pure: standard library only, aware datetimes in and out, no formatting.
Slots sit on the clinic's local wall-clock grid (opening time plus multiples of
the step), while all durations are measured in real elapsed time (UTC), so a
two-hour infusion on a daylight-saving night still holds its chair for two
real hours. A wall-clock time skipped by a spring-forward change is never
offered; one repeated by a fall-back change is offered once (its first
occurrence).
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


@dataclass(frozen=True)
class OpeningRange:
    """The clinic is open on `weekday` (Monday is 0) from `opens` to `closes`, local time."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Period:
    """A half-open span of real time, [start, end), with aware datetimes."""

    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """True if [start, end) shares any instant with this period."""
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Occupancy:
    """An existing appointment holding `chair_id` from `start` to `blocked_until`."""

    chair_id: int
    start: datetime
    blocked_until: datetime


@dataclass(frozen=True)
class Calendar:
    """When a clinic is open, in its own zone."""

    zone: ZoneInfo
    opening_hours: tuple[OpeningRange, ...]
    closed_days: frozenset[date] = frozenset()
    closed_periods: tuple[Period, ...] = ()


@dataclass(frozen=True)
class Rules:
    """Booking rules: slot grid step, minimum notice and how far ahead one may book."""

    step: timedelta
    min_notice: timedelta
    horizon: timedelta


@dataclass(frozen=True)
class ServiceTiming:
    """How long a service lasts and how long the chair stays taken after it."""

    duration: timedelta
    recovery: timedelta = timedelta(0)

    @property
    def block(self) -> timedelta:
        """Total time the chair is held."""
        return self.duration + self.recovery


@dataclass(frozen=True)
class Slot:
    """A free start time and the chairs free for the whole block from it."""

    start: datetime  # aware, in the clinic's zone
    end: datetime  # end of the service, before recovery
    chair_ids: tuple[int, ...]


class _ChairBook:
    """Per-chair busy intervals, merged and sorted, for O(log n) free checks."""

    def __init__(self, chairs: Iterable[int], occupancies: Iterable[Occupancy]) -> None:
        spans: dict[int, list[tuple[datetime, datetime]]] = {c: [] for c in chairs}
        for occ in occupancies:
            start, until = _utc(occ.start), _utc(occ.blocked_until)
            if occ.chair_id in spans and until > start:
                spans[occ.chair_id].append((start, until))
        self._starts: dict[int, list[datetime]] = {}
        self._ends: dict[int, list[datetime]] = {}
        for chair, items in spans.items():
            items.sort()
            starts: list[datetime] = []
            ends: list[datetime] = []
            for start, end in items:
                if ends and start <= ends[-1]:
                    ends[-1] = max(ends[-1], end)
                else:
                    starts.append(start)
                    ends.append(end)
            self._starts[chair] = starts
            self._ends[chair] = ends

    def is_free(self, chair: int, start: datetime, end: datetime) -> bool:
        """True if nothing on `chair` overlaps [start, end)."""
        starts = self._starts[chair]
        i = bisect.bisect_left(starts, end)
        # Merged intervals are disjoint and sorted, so only the last one that
        # starts before `end` can reach past `start`.
        return i == 0 or self._ends[chair][i - 1] <= start


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    """The aware datetime of a local wall-clock time, or None if the clock skips it.

    For a time that occurs twice (clocks going back), the first occurrence.
    """
    naive = datetime.combine(day, wall)
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return aware


def day_bounds(day: date, zone: ZoneInfo) -> Period:
    """The real-time span of one local calendar day."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return Period(start, end)


def _closing_instant(day: date, closes: time, zone: ZoneInfo) -> datetime:
    """The real instant a range closes.

    A closing time repeated by a fall-back change means its later occurrence;
    one skipped by a spring-forward change means the moment the clocks jump.
    """
    if local_instant(day, closes, zone) is not None:
        return datetime.combine(day, closes, tzinfo=zone).replace(fold=1).astimezone(UTC)
    return jump_instant(day, closes, zone)


def jump_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """For a wall time the clocks skip (spring forward), the instant they jump at, in UTC."""
    # In a gap, fold=1 reads the time with the offset after the change, which
    # lands before the jump; walk forward to the first instant showing `wall` or later.
    naive = datetime.combine(day, wall)
    moment = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while moment.astimezone(zone).replace(tzinfo=None) < naive:
        moment += timedelta(minutes=1)
    return moment


def _utc(moment: datetime) -> datetime:
    """`moment` in UTC. Arithmetic and comparisons between datetimes that share a
    non-UTC zone are done on the wall clock, which is wrong across DST."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


def _wall_grid(opens: time, closes: time, step: timedelta) -> Iterable[time]:
    step_min = int(step.total_seconds() // 60)
    minute = opens.hour * 60 + opens.minute
    end = closes.hour * 60 + closes.minute
    while minute < end:
        yield time(minute // 60, minute % 60)
        minute += step_min


def free_slots(
    calendar: Calendar,
    rules: Rules,
    service: ServiceTiming,
    chairs: Sequence[int],
    occupancies: Iterable[Occupancy],
    *,
    first_day: date,
    days: int,
    now: datetime,
) -> list[Slot]:
    """Free start times for `service` on `days` local dates from `first_day`, in order.

    A start is free when the whole block (service plus recovery) fits inside
    one opening range, touches no closure, respects minimum notice and
    horizon, and at least one of `chairs` has nothing overlapping it.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = _utc(now)
    if rules.step < timedelta(minutes=1) or rules.step % timedelta(minutes=1):
        raise ValueError("step must be a positive whole number of minutes")
    if not chairs:
        return []
    zone = calendar.zone
    book = _ChairBook(chairs, occupancies)
    earliest = now + rules.min_notice
    latest = now + rules.horizon
    closed_periods = [Period(_utc(p.start), _utc(p.end)) for p in calendar.closed_periods]
    by_weekday: dict[int, list[OpeningRange]] = {}
    for rng in calendar.opening_hours:
        by_weekday.setdefault(rng.weekday, []).append(rng)

    found: dict[datetime, Slot] = {}
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day in calendar.closed_days:
            continue
        for rng in by_weekday.get(day.weekday(), ()):
            closing = _closing_instant(day, rng.closes, zone)
            for wall in _wall_grid(rng.opens, rng.closes, rules.step):
                local = local_instant(day, wall, zone)
                if local is None:
                    continue
                start = local.astimezone(UTC)
                block_end = start + service.block
                if block_end > closing or start < earliest or start > latest:
                    continue
                if start in found:
                    continue
                if any(p.overlaps(start, block_end) for p in closed_periods):
                    continue
                free = tuple(c for c in chairs if book.is_free(c, start, block_end))
                if free:
                    found[start] = Slot(
                        start=start.astimezone(zone),
                        end=(start + service.duration).astimezone(zone),
                        chair_ids=free,
                    )
    return [found[k] for k in sorted(found)]


def unavailable_reason(
    calendar: Calendar,
    rules: Rules,
    service: ServiceTiming,
    chairs: Sequence[int],
    occupancies: Sequence[Occupancy],
    start: datetime,
    now: datetime,
) -> str | None:
    """None if `start` is a free slot; else why not, as a code.

    Codes: "past", "notice", "horizon", "closed", "outside_hours" (not a start
    time on the opening-hours grid, or the block does not fit), "busy".
    """
    start, now = _utc(start), _utc(now)
    day = start.astimezone(calendar.zone).date()
    slots = free_slots(calendar, rules, service, chairs, occupancies, first_day=day, days=1, now=now)
    if any(_utc(s.start) == start for s in slots):
        return None
    if start < now:
        return "past"
    if start < now + rules.min_notice:
        return "notice"
    if start > now + rules.horizon:
        return "horizon"
    block_end = start + service.block
    if day in calendar.closed_days or any(
        Period(_utc(p.start), _utc(p.end)).overlaps(start, block_end) for p in calendar.closed_periods
    ):
        return "closed"
    open_calendar = Calendar(calendar.zone, calendar.opening_hours)
    open_rules = Rules(rules.step, timedelta(0), timedelta(days=100_000))
    grid = free_slots(open_calendar, open_rules, service, chairs, (), first_day=day, days=1, now=start)
    if not any(_utc(s.start) == start for s in grid):
        return "outside_hours"
    return "busy"


def nearest_slots(slots: Sequence[Slot], wanted: datetime, count: int = 4) -> list[Slot]:
    """The `count` free slots closest in time to `wanted`, in time order."""
    wanted = _utc(wanted)
    closest = sorted(slots, key=lambda s: abs(_utc(s.start) - wanted))[:count]
    return sorted(closest, key=lambda s: _utc(s.start))


def starts_by_day(slots: Iterable[Slot]) -> dict[date, list[datetime]]:
    """The slots' start times grouped by their local date, in order."""
    grouped: dict[date, list[datetime]] = {}
    for slot in slots:
        grouped.setdefault(slot.start.date(), []).append(slot.start)
    return grouped
