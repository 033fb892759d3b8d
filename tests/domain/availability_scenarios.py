"""Hypothesis strategies and independent oracles for the availability properties."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

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
from tests.domain.availability_cases import CHICAGO, LONDON, NEW_YORK, UTC

ZONES = [CHICAGO, LONDON, NEW_YORK]

# Sundays on which the clocks change.
US_CHANGES = [date(2026, 3, 8), date(2026, 11, 1), date(2027, 3, 14), date(2027, 11, 7)]
UK_CHANGES = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]
CHANGES = {CHICAGO: US_CHANGES, NEW_YORK: US_CHANGES, LONDON: UK_CHANGES}

# Zones other than the clinic's in which inputs are written. Instants written in
# the clinic's own zone are the subject of
# test_result_does_not_depend_on_the_zone_inputs_are_written_in.
INPUT_ZONES = [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]

FOREVER = 3650 * 24 * 60  # minutes


@dataclass(frozen=True)
class Scenario:
    """Everything free_slots needs, with durations in minutes."""

    zone: ZoneInfo
    first_day: date
    days: int
    ranges: tuple[OpeningRange, ...]
    chairs: tuple[int, ...]
    occupancies: tuple[Occupancy, ...]
    closed_days: frozenset[date]
    closed_periods: tuple[Period, ...]
    step: int
    duration: int
    recovery: int
    notice: int
    horizon: int
    now: datetime

    @property
    def block(self) -> timedelta:
        return timedelta(minutes=self.duration + self.recovery)

    @property
    def query_days(self) -> list[date]:
        return [self.first_day + timedelta(days=k) for k in range(self.days)]

    def run(self, **changes: Any) -> list[Slot]:
        """free_slots on this scenario, optionally with some fields replaced."""
        sc = replace(self, **changes) if changes else self
        return free_slots(
            Calendar(sc.zone, sc.ranges, sc.closed_days, sc.closed_periods),
            Rules(
                step=timedelta(minutes=sc.step),
                min_notice=timedelta(minutes=sc.notice),
                horizon=timedelta(minutes=sc.horizon),
            ),
            ServiceTiming(timedelta(minutes=sc.duration), timedelta(minutes=sc.recovery)),
            list(sc.chairs),
            list(sc.occupancies),
            first_day=sc.first_day,
            days=sc.days,
            now=sc.now,
        )


# --- Strategies -------------------------------------------------------------------


def first_days(zone: ZoneInfo) -> st.SearchStrategy[date]:
    """A clock-change day of `zone`, a day up to three days before one, or any date."""
    return st.one_of(
        st.sampled_from(CHANGES[zone]),
        st.tuples(st.sampled_from(CHANGES[zone]), st.integers(1, 3)).map(
            lambda pair: pair[0] - timedelta(days=pair[1])
        ),
        st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    )


def minutes_of(wall: time) -> int:
    """Minutes since midnight."""
    return wall.hour * 60 + wall.minute


def quarter(index: int) -> time:
    """The index-th quarter hour of the day: 0 -> 00:00, 95 -> 23:45."""
    return time(index // 4, index % 4 * 15)


def minutes_between(low: int, high: int) -> st.SearchStrategy[int]:
    """Minutes in [low, high], often on a quarter hour so that edges meet the grid."""
    return st.one_of(
        st.integers(-(-low // 15), high // 15).map(lambda k: 15 * k),
        st.integers(low, high),
    )


@st.composite
def scenarios(draw: st.DrawFn, quiet: bool = False) -> Scenario:
    """A clinic and a question; `quiet` means no bookings, closures, notice or horizon."""
    zone = draw(st.sampled_from(ZONES))
    # A third of the time, zoom in on the small hours of a clock-change night.
    night_shift = draw(st.sampled_from([False, False, True]))
    first_day = draw(st.sampled_from(CHANGES[zone]) if night_shift else first_days(zone))
    days = draw(st.integers(1, 2 if night_shift else 4))
    query_days = [first_day + timedelta(days=k) for k in range(days)]
    weekdays = sorted({day.weekday() for day in query_days})
    ranges = []
    for index in range(draw(st.integers(1, 5))):
        # The first range is always on one of the days asked about.
        on_a_day = st.sampled_from(weekdays)
        weekday = draw(on_a_day if index == 0 else st.one_of(on_a_day, st.integers(0, 6)))
        if night_shift and index == 0:
            opens = draw(st.integers(0, 12))
            closes = draw(st.integers(opens + 1, 24))
        else:
            # Small indexes put ranges over the night, when the clocks change.
            opens = draw(st.one_of(st.integers(0, 16), st.integers(0, 94)))
            closes = draw(
                st.one_of(st.integers(opens + 1, min(opens + 20, 95)), st.integers(opens + 1, 95))
            )
        ranges.append(OpeningRange(weekday, quarter(opens), quarter(closes)))
    chairs = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4, unique=True)))
    # 45 does not divide an hour, so the grid does not survive a one-hour shift.
    step = draw(st.sampled_from([15, 30, 60, 45]))
    duration = draw(st.one_of(st.integers(3, 18).map(lambda k: 5 * k), st.integers(15, 240)))
    recovery = draw(
        st.one_of(st.just(0), st.integers(0, 6).map(lambda k: 5 * k), st.integers(0, 120))
    )

    window_start = datetime.combine(first_day, time(0), tzinfo=zone).astimezone(UTC)
    span = days * 24 * 60

    open_days = [
        (day, rng) for day in query_days for rng in ranges if rng.weekday == day.weekday()
    ]

    def instant(low: int, high: int) -> datetime:
        """An instant [low, high] minutes from the window start, at night, or near opening hours."""
        night = datetime.combine(draw(st.sampled_from(query_days)), time(0), tzinfo=zone)
        night = night.astimezone(UTC)
        choices = [
            minutes_between(low, high).map(lambda m: window_start + timedelta(minutes=m)),
            # The small hours, when the clocks change.
            minutes_between(-60, 300).map(lambda m: night + timedelta(minutes=m)),
        ]
        if open_days:
            # Around an opening range, where it meets the slots.
            day, rng = draw(st.sampled_from(open_days))
            midnight = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
            around = minutes_between(minutes_of(rng.opens) - 120, minutes_of(rng.closes))
            choices.append(around.map(lambda m: midnight + timedelta(minutes=m)))
        moment = draw(st.one_of(choices))
        return moment.astimezone(draw(st.sampled_from(INPUT_ZONES)))

    if quiet:
        return Scenario(
            zone, first_day, days, tuple(ranges), chairs, (), frozenset(), (),
            step, duration, recovery, 0, FOREVER, window_start - timedelta(days=1),
        )  # fmt: skip

    occupancies = []
    for _ in range(draw(st.integers(0, 10))):
        chair = draw(st.sampled_from(chairs + (99,)))
        start = instant(-600, span + 60)
        length = draw(st.one_of(minutes_between(0, 60), minutes_between(0, 300)))
        occupancies.append(Occupancy(chair, start, start + timedelta(minutes=length)))
    closed_days = frozenset(
        day for day in query_days if draw(st.sampled_from([False, False, False, True]))
    )
    closed_periods = []
    for _ in range(draw(st.integers(0, 2))):
        start = instant(-120, span)
        length = draw(minutes_between(15, 720))
        closed_periods.append(Period(start, start + timedelta(minutes=length)))
    notice = draw(
        st.one_of(st.just(0), minutes_between(0, 180), minutes_between(0, 3 * 24 * 60))
    )
    if draw(st.sampled_from([False, False, True])):
        horizon = draw(minutes_between(0, 10 * 24 * 60))
    else:
        horizon = FOREVER
    now = instant(-3 * 24 * 60, span)
    return Scenario(
        zone, first_day, days, tuple(ranges), chairs, tuple(occupancies), closed_days,
        tuple(closed_periods), step, duration, recovery, notice, horizon, now,
    )  # fmt: skip


# --- Independent oracles ---------------------------------------------------------------


def is_skipped(day: date, wall: time, zone: ZoneInfo) -> bool:
    """True if the clock jumps over `wall` on `day`.

    For a skipped time fold=0 reads it with the offset before the change, which
    is smaller than the one after; for a repeated time it is the other way round.
    """
    naive = datetime.combine(day, wall)
    early = naive.replace(tzinfo=zone, fold=0).utcoffset()
    late = naive.replace(tzinfo=zone, fold=1).utcoffset()
    assert early is not None and late is not None
    return early < late


def closing_instant(day: date, closes: time, zone: ZoneInfo) -> datetime:
    """When a range closing at `closes` local time ends, in UTC.

    A repeated closing time means its later occurrence (fold=1). A closing time
    the clock skips means the moment the clock jumps past it: until then the
    clock still reads earlier than the closing time.
    """
    later = datetime.combine(day, closes, tzinfo=zone).replace(fold=1).astimezone(UTC)
    if not is_skipped(day, closes, zone):
        return later
    wall = datetime.combine(day, closes)
    # fold=1 of a skipped time lies before the jump; walk forward to the jump.
    while later.astimezone(zone).replace(tzinfo=None) < wall:
        later += timedelta(minutes=1)
    return later


def occupied(occ: Occupancy, start: datetime, end: datetime) -> bool:
    """True if the booking holds its chair at some instant of [start, end)."""
    occ_start = occ.start.astimezone(UTC)
    occ_end = occ.blocked_until.astimezone(UTC)
    return occ_start < occ_end and occ_start < end and start < occ_end


def free_chairs(sc: Scenario, start: datetime, end: datetime) -> set[int]:
    return {
        chair
        for chair in sc.chairs
        if not any(o.chair_id == chair and occupied(o, start, end) for o in sc.occupancies)
    }


def is_ordinary(day: date, zone: ZoneInfo) -> bool:
    """True if the zone's offset does not change during `day`."""
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return midnight.utcoffset() == next_midnight.utcoffset()


def model(sc: Scenario) -> list[tuple[datetime, datetime, frozenset[int]]]:
    """Brute-force free slots: (UTC start, UTC end, free chairs)."""
    now = sc.now.astimezone(UTC)
    earliest = now + timedelta(minutes=sc.notice)
    latest = now + timedelta(minutes=sc.horizon)
    found: dict[datetime, frozenset[int]] = {}
    for day in sc.query_days:
        if day in sc.closed_days:
            continue
        for rng in sc.ranges:
            if rng.weekday != day.weekday():
                continue
            closing = closing_instant(day, rng.closes, sc.zone)
            for minute in range(minutes_of(rng.opens), minutes_of(rng.closes), sc.step):
                wall = time(minute // 60, minute % 60)
                if is_skipped(day, wall, sc.zone):
                    continue
                start = datetime.combine(day, wall, tzinfo=sc.zone).astimezone(UTC)
                end = start + sc.block
                if end > closing or start < earliest or start > latest:
                    continue
                if any(p.start < end and start < p.end for p in sc.closed_periods):
                    continue
                free = free_chairs(sc, start, end)
                if free:
                    found[start] = frozenset(free)
    duration = timedelta(minutes=sc.duration)
    return [(start, start + duration, found[start]) for start in sorted(found)]


def observed(slots: list[Slot]) -> list[tuple[datetime, datetime, frozenset[int]]]:
    return [(s.start.astimezone(UTC), s.end.astimezone(UTC), frozenset(s.chair_ids)) for s in slots]
