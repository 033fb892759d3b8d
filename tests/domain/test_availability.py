"""Unit tests for the pure slot maths in booking.domain.availability.

No app and no database: only standard-library values go in and come out.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.domain.availability import (
    Calendar,
    Occupancy,
    OpeningRange,
    Period,
    Rules,
    ServiceTiming,
    Slot,
    day_bounds,
    free_slots,
    local_instant,
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


# --- Opening hours and the wall-clock grid ---------------------------------


def test_slots_sit_on_the_grid_and_the_whole_block_fits_before_closing() -> None:
    slots = find(ranges=open_on(MONDAY, ("08:00", "12:00")), step=30, duration=60)
    # 11:30 would end at 12:30, after closing.
    assert walls(slots) == grid("08:00", "11:00", 30)


def test_the_grid_is_anchored_at_the_opening_time() -> None:
    slots = find(ranges=open_on(MONDAY, ("08:10", "10:00")), step=30, duration=30)
    assert walls(slots) == ["08:10", "08:40", "09:10"]


def test_a_block_ending_exactly_at_closing_time_is_offered() -> None:
    slots = find(ranges=open_on(MONDAY, ("08:00", "10:00")), step=15, duration=45, recovery=15)
    assert walls(slots)[-1] == "09:00"


def test_several_ranges_a_day() -> None:
    slots = find(
        ranges=open_on(MONDAY, ("08:00", "12:00"), ("13:00", "18:00")),
        step=30,
        duration=45,
        recovery=15,
    )
    assert walls(slots) == grid("08:00", "11:00", 30) + grid("13:00", "17:00", 30)


def test_a_block_whose_recovery_runs_into_the_lunch_break_is_refused() -> None:
    ranges = open_on(MONDAY, ("08:00", "12:00"), ("13:00", "18:00"))
    with_recovery = walls(find(ranges=ranges, step=30, duration=30, recovery=30))
    assert "11:00" in with_recovery  # ends exactly at 12:00
    assert "11:30" not in with_recovery  # its recovery would run to 12:30
    assert not [w for w in with_recovery if "12:00" <= w < "13:00"]
    without_recovery = walls(find(ranges=ranges, step=30, duration=30, recovery=0))
    assert "11:30" in without_recovery


def test_a_block_may_not_straddle_two_ranges_even_when_they_touch() -> None:
    slots = find(
        ranges=open_on(MONDAY, ("08:00", "10:00"), ("10:00", "12:00")),
        step=30,
        duration=90,
    )
    assert walls(slots) == ["08:00", "08:30", "10:00", "10:30"]


def test_a_block_longer_than_every_range_gets_nothing() -> None:
    assert find(ranges=open_on(MONDAY, ("08:00", "09:00")), duration=61) == []


def test_only_the_ranges_of_the_local_weekday_apply() -> None:
    tuesday = MONDAY + timedelta(days=1)
    slots = find(
        ranges=open_on(tuesday, ("09:00", "10:00")),
        first_day=MONDAY,
        days=2,
        duration=30,
    )
    assert labels(slots) == ["2026-06-02 09:00", "2026-06-02 09:30"]


def test_a_week_of_weekday_hours() -> None:
    ranges = tuple(OpeningRange(wd, time(9), time(10)) for wd in range(5))
    slots = find(ranges=ranges, first_day=MONDAY, days=7, step=60, duration=60)
    assert labels(slots) == [f"2026-06-0{d} 09:00" for d in range(1, 6)]


def test_no_days_means_no_slots() -> None:
    assert find(ranges=open_on(MONDAY, ("08:00", "12:00")), days=0) == []


# --- Closures ---------------------------------------------------------------


def test_a_closed_day_has_no_slots() -> None:
    ranges = tuple(OpeningRange(wd, time(9), time(10)) for wd in range(7))
    slots = find(
        ranges=ranges,
        days=3,
        step=60,
        duration=60,
        closed_days=[MONDAY + timedelta(days=1)],
    )
    assert labels(slots) == ["2026-06-01 09:00", "2026-06-03 09:00"]


def test_a_closed_period_removes_every_block_that_touches_it() -> None:
    closure = Period(at(MONDAY, "10:00"), at(MONDAY, "11:00"))
    ranges = open_on(MONDAY, ("08:00", "12:00"))
    slots = find(ranges=ranges, step=30, duration=30, closed_periods=[closure])
    # 09:30 ends exactly when the closure starts; 11:00 starts exactly when it ends.
    assert walls(slots) == ["08:00", "08:30", "09:00", "09:30", "11:00", "11:30"]
    with_recovery = find(ranges=ranges, step=30, duration=30, recovery=15, closed_periods=[closure])
    assert "09:30" not in walls(with_recovery)
    assert "09:00" in walls(with_recovery)


@pytest.mark.parametrize("zone", [UTC, LONDON, timezone(timedelta(hours=9, minutes=30))])
def test_a_closed_period_may_be_expressed_in_any_zone(zone: timezone | ZoneInfo) -> None:
    closure = Period(
        at(MONDAY, "10:00").astimezone(zone), at(MONDAY, "11:00").astimezone(zone)
    )
    slots = find(ranges=open_on(MONDAY, ("08:00", "12:00")), duration=30, closed_periods=[closure])
    assert walls(slots) == ["08:00", "08:30", "09:00", "09:30", "11:00", "11:30"]


def test_a_closed_period_spanning_several_days() -> None:
    ranges = tuple(OpeningRange(wd, time(9), time(17)) for wd in range(7))
    closure = Period(at(MONDAY, "15:00"), at(MONDAY + timedelta(days=2), "10:00"))
    slots = find(ranges=ranges, days=3, step=60, duration=60, closed_periods=[closure])
    assert labels(slots) == (
        [f"2026-06-01 {w}" for w in grid("09:00", "14:00", 60)]
        + [f"2026-06-03 {w}" for w in grid("10:00", "16:00", 60)]
    )


# --- Notice and horizon -------------------------------------------------------


def test_minimum_notice_is_measured_from_now_and_inclusive() -> None:
    ranges = open_on(MONDAY, ("08:00", "18:00"))
    now = utc(MONDAY, "08:00")
    exact = find(ranges=ranges, duration=30, notice=timedelta(hours=2), now=now)
    assert walls(exact)[0] == "10:00"
    off_grid = find(ranges=ranges, duration=30, notice=timedelta(hours=2, minutes=5), now=now)
    assert walls(off_grid)[0] == "10:30"


def test_past_starts_are_never_offered() -> None:
    slots = find(ranges=open_on(MONDAY, ("08:00", "18:00")), duration=30, now=utc(MONDAY, "10:10"))
    assert walls(slots)[0] == "10:30"


def test_horizon_is_measured_from_now_and_inclusive() -> None:
    ranges = open_on(MONDAY, ("08:00", "18:00"))
    now = utc(MONDAY, "08:00")
    slots = find(ranges=ranges, duration=30, horizon=timedelta(hours=3), now=now)
    assert walls(slots) == grid("08:00", "11:00", 30)


def test_notice_and_horizon_across_days() -> None:
    ranges = tuple(OpeningRange(wd, time(9), time(17)) for wd in range(7))
    slots = find(
        ranges=ranges,
        days=3,
        step=60,
        duration=60,
        notice=timedelta(hours=3),
        horizon=timedelta(days=1),
        now=utc(MONDAY, "12:00"),
    )
    assert labels(slots) == (
        [f"2026-06-01 {w}" for w in grid("15:00", "16:00", 60)]
        + [f"2026-06-02 {w}" for w in grid("09:00", "12:00", 60)]
    )


# --- Chairs and occupancies ---------------------------------------------------


def test_a_slot_stays_while_one_chair_is_free_and_goes_when_all_are_busy() -> None:
    ranges = open_on(MONDAY, ("08:00", "14:00"))
    one_busy = [Occupancy(1, utc(MONDAY, "10:00"), utc(MONDAY, "11:00"))]
    slots = by_wall(find(ranges=ranges, chairs=(1, 2), occupancies=one_busy))
    assert slots["10:00"].chair_ids == (2,)
    assert slots["08:00"].chair_ids == (1, 2)
    both_busy = one_busy + [Occupancy(2, utc(MONDAY, "10:30"), utc(MONDAY, "11:30"))]
    slots = by_wall(find(ranges=ranges, chairs=(1, 2), occupancies=both_busy))
    assert "10:00" not in slots  # 10:00-11:00 meets both appointments
    assert "10:30" not in slots
    assert slots["11:00"].chair_ids == (1,)  # chair 2 until 11:30
    assert slots["09:30"].chair_ids == (2,)  # chair 1 busy from 10:00
    assert slots["11:30"].chair_ids == (1, 2)


def test_recovery_of_an_existing_appointment_holds_the_chair() -> None:
    # An appointment 10:00-11:00 followed by 45 minutes of recovery.
    booked = Occupancy(1, utc(MONDAY, "10:00"), utc(MONDAY, "11:45"))
    slots = walls(
        find(ranges=open_on(MONDAY, ("08:00", "14:00")), step=15, duration=30, occupancies=[booked])
    )
    assert "11:30" not in slots
    assert "11:45" in slots
    assert "09:30" in slots  # ends exactly at 10:00
    assert "09:45" not in slots


def test_recovery_of_the_new_service_must_also_be_free() -> None:
    booked = Occupancy(1, utc(MONDAY, "11:00"), utc(MONDAY, "12:00"))
    slots = walls(
        find(
            ranges=open_on(MONDAY, ("08:00", "14:00")),
            step=30,
            duration=30,
            recovery=30,
            occupancies=[booked],
        )
    )
    assert "10:00" in slots  # block 10:00-11:00
    assert "10:30" not in slots  # recovery 11:00-11:30 meets the booking
    assert "12:00" in slots


def test_chair_ids_are_exactly_the_free_chairs() -> None:
    occupancies = [
        Occupancy(1, utc(MONDAY, "09:00"), utc(MONDAY, "10:00")),
        Occupancy(2, utc(MONDAY, "09:30"), utc(MONDAY, "10:30")),
    ]
    slots = by_wall(
        find(
            ranges=open_on(MONDAY, ("09:00", "11:00")),
            chairs=(3, 1, 2),
            duration=30,
            occupancies=occupancies,
        )
    )
    expected = {"09:00": {3, 2}, "09:30": {3}, "10:00": {3, 1}, "10:30": {3, 1, 2}}
    assert {wall: set(slot.chair_ids) for wall, slot in slots.items()} == expected
    for slot in slots.values():
        assert len(set(slot.chair_ids)) == len(slot.chair_ids)


def test_occupancies_of_other_chairs_are_ignored() -> None:
    elsewhere = Occupancy(99, utc(MONDAY, "00:00"), utc(MONDAY + timedelta(days=1), "00:00"))
    slots = find(ranges=open_on(MONDAY, ("08:00", "10:00")), chairs=(1,), occupancies=[elsewhere])
    assert walls(slots) == grid("08:00", "09:00", 30)
    assert all(slot.chair_ids == (1,) for slot in slots)


def test_adjacent_appointments_do_not_overlap() -> None:
    booked = Occupancy(1, utc(MONDAY, "10:00"), utc(MONDAY, "11:00"))
    slots = walls(find(ranges=open_on(MONDAY, ("08:00", "13:00")), step=60, occupancies=[booked]))
    assert slots == ["08:00", "09:00", "11:00", "12:00"]


def test_overlapping_nested_and_chained_occupancies() -> None:
    occupancies = [
        Occupancy(1, utc(MONDAY, "12:30"), utc(MONDAY, "13:00")),
        Occupancy(1, utc(MONDAY, "09:30"), utc(MONDAY, "09:45")),  # inside the next one
        Occupancy(1, utc(MONDAY, "09:00"), utc(MONDAY, "12:00")),
        Occupancy(1, utc(MONDAY, "12:00"), utc(MONDAY, "12:30")),
        Occupancy(1, utc(MONDAY, "10:00"), utc(MONDAY, "10:15")),  # also inside
    ]
    slots = walls(
        find(
            ranges=open_on(MONDAY, ("08:00", "14:00")),
            step=15,
            duration=15,
            occupancies=occupancies,
        )
    )
    assert slots == grid("08:00", "08:45", 15) + grid("13:00", "13:45", 15)


def test_an_empty_occupancy_holds_nothing() -> None:
    empty = Occupancy(1, utc(MONDAY, "10:00"), utc(MONDAY, "10:00"))
    slots = walls(find(ranges=open_on(MONDAY, ("09:00", "12:00")), occupancies=[empty]))
    assert "10:00" in slots
    assert "09:30" in slots


@pytest.mark.parametrize("zone", [UTC, LONDON, timezone(timedelta(hours=-3, minutes=-30))])
def test_occupancies_may_be_expressed_in_any_other_zone(zone: timezone | ZoneInfo) -> None:
    start, end = at(MONDAY, "10:00").astimezone(zone), at(MONDAY, "11:00").astimezone(zone)
    booked = Occupancy(1, start, end)
    slots = walls(find(ranges=open_on(MONDAY, ("08:00", "13:00")), step=60, occupancies=[booked]))
    assert slots == ["08:00", "09:00", "11:00", "12:00"]


def test_no_chairs_means_no_slots() -> None:
    assert find(ranges=open_on(MONDAY, ("08:00", "18:00")), chairs=()) == []


# --- Argument checks and shape of the result ----------------------------------


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        find(ranges=open_on(MONDAY, ("08:00", "12:00")), now=datetime(2026, 6, 1, 8, 0))
    with pytest.raises(ValueError):
        find(ranges=open_on(MONDAY, ("08:00", "12:00")), chairs=(), now=datetime(2026, 6, 1))


@pytest.mark.parametrize(
    "step", [timedelta(0), timedelta(seconds=90), timedelta(minutes=-15), timedelta(seconds=30)]
)
def test_the_step_must_be_a_positive_whole_number_of_minutes(step: timedelta) -> None:
    calendar = Calendar(CHICAGO, open_on(MONDAY, ("08:00", "12:00")))
    rules = Rules(step=step, min_notice=timedelta(0), horizon=FOREVER)
    with pytest.raises(ValueError):
        free_slots(
            calendar,
            rules,
            ServiceTiming(timedelta(minutes=30)),
            [1],
            [],
            first_day=MONDAY,
            days=1,
            now=LONG_AGO,
        )


def test_results_are_sorted_aware_and_in_the_clinic_zone() -> None:
    # Ranges listed out of order, across several days, in a zone east of UTC.
    ranges = tuple(
        OpeningRange(wd, hm(a), hm(b))
        for wd in (2, 0, 1)
        for a, b in (("14:00", "16:00"), ("07:00", "09:00"))
    )
    slots = find(ranges=ranges, zone=LONDON, days=3, step=30, duration=30)
    assert len(slots) == 3 * 8
    starts = [s.start.astimezone(UTC) for s in slots]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    for slot in slots:
        for moment in (slot.start, slot.end):
            assert moment.utcoffset() is not None
            assert isinstance(moment.tzinfo, ZoneInfo)
            assert moment.tzinfo.key == "Europe/London"
    assert labels(slots)[:2] == ["2026-06-01 07:00", "2026-06-01 07:30"]
    assert slots[0].start.utcoffset() == timedelta(hours=1)


def test_slot_end_is_the_end_of_the_service_without_recovery() -> None:
    slots = find(ranges=open_on(MONDAY, ("08:00", "12:00")), duration=45, recovery=30)
    for slot in slots:
        assert slot.end - slot.start == timedelta(minutes=45)
    assert f"{slots[0].end:%H:%M}" == "08:45"


# --- Daylight-saving changes ----------------------------------------------------


def test_chicago_spring_forward_never_offers_the_skipped_hour() -> None:
    slots = find(
        ranges=open_on(CHICAGO_SPRING, ("00:00", "05:00")),
        first_day=CHICAGO_SPRING,
        step=30,
        duration=30,
    )
    assert walls(slots) == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30"]
    assert not [w for w in walls(slots) if w.startswith("02:")]
    by = by_wall(slots)
    assert by["01:30"].start.utcoffset() == timedelta(hours=-6)
    assert by["03:00"].start.utcoffset() == timedelta(hours=-5)
    # Every start is a real wall-clock time: the round trip through UTC keeps it.
    for slot in slots:
        back = slot.start.astimezone(UTC).astimezone(CHICAGO)
        assert back.replace(tzinfo=None) == slot.start.replace(tzinfo=None)


def test_a_skipped_grid_time_is_dropped_not_moved_an_hour_later() -> None:
    # With a 45-minute step the grid is 00:00, 00:45, 01:30, 02:15, 03:00, ...;
    # 02:15 does not exist that night, and 03:15 is not on the grid.
    slots = find(
        ranges=open_on(CHICAGO_SPRING, ("00:00", "05:00")),
        first_day=CHICAGO_SPRING,
        step=45,
        duration=30,
    )
    assert walls(slots) == ["00:00", "00:45", "01:30", "03:00", "03:45", "04:30"]


def test_chicago_spring_forward_block_lasts_real_time() -> None:
    slots = by_wall(
        find(
            ranges=open_on(CHICAGO_SPRING, ("00:00", "05:00")),
            first_day=CHICAGO_SPRING,
            step=30,
            duration=60,
        )
    )
    crossing = slots["01:30"]
    assert f"{crossing.end:%H:%M}" == "03:30"
    assert crossing.end.astimezone(UTC) - crossing.start.astimezone(UTC) == timedelta(hours=1)
    # The range holds only four real hours, so the last hour-long block starts at 04:00.
    assert max(slots) == "04:00"


def test_chicago_spring_forward_range_holds_only_its_real_hours() -> None:
    # 01:00-03:00 on the wall is one real hour that night.
    slots = find(
        ranges=open_on(CHICAGO_SPRING, ("01:00", "03:00")),
        first_day=CHICAGO_SPRING,
        step=30,
        duration=60,
    )
    assert walls(slots) == ["01:00"]
    assert slots[0].end.astimezone(UTC) == utc(CHICAGO_SPRING, "03:00")


def test_chicago_fall_back_offers_each_wall_time_once() -> None:
    slots = find(
        ranges=open_on(CHICAGO_FALL, ("00:00", "04:00")),
        first_day=CHICAGO_FALL,
        step=30,
        duration=30,
    )
    assert walls(slots) == grid("00:00", "03:30", 30)
    assert len(set(labels(slots))) == len(slots)
    by = by_wall(slots)
    # The repeated hour is offered at its first occurrence (daylight time).
    assert by["01:00"].start.astimezone(UTC) == datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    assert by["01:30"].start.astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert by["02:00"].start.astimezone(UTC) == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    starts = {s.start.astimezone(UTC) for s in slots}
    assert datetime(2026, 11, 1, 7, 0, tzinfo=UTC) not in starts
    assert datetime(2026, 11, 1, 7, 30, tzinfo=UTC) not in starts


def test_chicago_fall_back_block_crossing_the_repeated_hour_lasts_real_time() -> None:
    slots = by_wall(
        find(
            ranges=open_on(CHICAGO_FALL, ("00:00", "04:00")),
            first_day=CHICAGO_FALL,
            step=30,
            duration=60,
        )
    )
    crossing = slots["01:30"]
    assert crossing.end.astimezone(UTC) - crossing.start.astimezone(UTC) == timedelta(hours=1)
    assert f"{crossing.end:%H:%M}" == "01:30"
    assert crossing.end.utcoffset() == timedelta(hours=-6)
    # Four wall hours are five real hours: the last hour-long block starts at 03:00.
    assert max(slots) == "03:00"


def test_chicago_fall_back_closing_time_in_the_repeated_hour_is_its_later_occurrence() -> None:
    ranges = open_on(CHICAGO_FALL, ("00:00", "01:30"))  # closes 01:30 CST, 07:30 UTC
    hour = find(ranges=ranges, first_day=CHICAGO_FALL, step=30, duration=60)
    assert walls(hour) == ["00:00", "00:30", "01:00"]
    two_hours = find(ranges=ranges, first_day=CHICAGO_FALL, step=30, duration=120)
    assert walls(two_hours) == ["00:00", "00:30"]  # 00:30 CDT + 2h = 07:30 UTC exactly


def test_chicago_fall_back_occupancy_in_utc_blocks_its_chair() -> None:
    booked = Occupancy(
        1, datetime(2026, 11, 1, 6, 50, tzinfo=UTC), datetime(2026, 11, 1, 7, 10, tzinfo=UTC)
    )
    slots = walls(
        find(
            ranges=open_on(CHICAGO_FALL, ("00:00", "04:00")),
            first_day=CHICAGO_FALL,
            step=60,
            duration=60,
            occupancies=[booked],
        )
    )
    assert slots == ["00:00", "02:00", "03:00"]


def test_london_spring_forward_never_offers_the_skipped_hour() -> None:
    slots = find(
        ranges=open_on(LONDON_SPRING, ("00:00", "04:00")),
        first_day=LONDON_SPRING,
        zone=LONDON,
        step=30,
        duration=30,
    )
    assert walls(slots) == ["00:00", "00:30", "02:00", "02:30", "03:00", "03:30"]
    by = by_wall(slots)
    assert f"{by['00:30'].end:%H:%M}" == "02:00"
    assert by["00:30"].end.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_london_fall_back_offers_each_wall_time_once() -> None:
    slots = find(
        ranges=open_on(LONDON_FALL, ("00:00", "03:00")),
        first_day=LONDON_FALL,
        zone=LONDON,
        step=30,
        duration=30,
    )
    assert walls(slots) == grid("00:00", "02:30", 30)
    assert len(set(labels(slots))) == len(slots)
    by = by_wall(slots)
    assert by["01:00"].start.astimezone(UTC) == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    assert by["01:30"].start.utcoffset() == timedelta(hours=1)
    assert by["02:00"].start.astimezone(UTC) == datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
    assert datetime(2026, 10, 25, 1, 0, tzinfo=UTC) not in {s.start for s in slots}


@pytest.mark.parametrize(
    ("zone", "dst_day"),
    [
        (CHICAGO, CHICAGO_SPRING),
        (CHICAGO, CHICAGO_FALL),
        (LONDON, LONDON_SPRING),
        (LONDON, LONDON_FALL),
        (NEW_YORK, CHICAGO_SPRING),
        (NEW_YORK, CHICAGO_FALL),
    ],
)
def test_daytime_slots_are_unchanged_on_a_dst_day(zone: ZoneInfo, dst_day: date) -> None:
    ordinary = dst_day - timedelta(days=7)
    assert dst_day.weekday() == ordinary.weekday()
    ranges = open_on(dst_day, ("09:00", "17:00"))
    options = {"ranges": ranges, "zone": zone, "step": 15, "duration": 45, "recovery": 15}
    on_dst = find(first_day=dst_day, **options)
    usual = find(first_day=ordinary, **options)
    assert len(on_dst) == len(usual) == 29  # 09:00 to 16:00 every 15 minutes
    assert walls(on_dst) == walls(usual)
    for slot in on_dst:
        assert slot.start.astimezone(zone).date() == dst_day


# --- local_instant and day_bounds ------------------------------------------------


@pytest.mark.parametrize(
    ("day", "wall", "zone"),
    [
        (CHICAGO_SPRING, "02:00", CHICAGO),
        (CHICAGO_SPRING, "02:30", CHICAGO),
        (CHICAGO_SPRING, "02:59", CHICAGO),
        (LONDON_SPRING, "01:00", LONDON),
        (LONDON_SPRING, "01:45", LONDON),
    ],
)
def test_local_instant_of_a_skipped_time_is_none(day: date, wall: str, zone: ZoneInfo) -> None:
    assert local_instant(day, hm(wall), zone) is None


@pytest.mark.parametrize(
    ("day", "wall", "zone", "expected_utc", "summer_offset"),
    [
        (CHICAGO_FALL, "01:00", CHICAGO, datetime(2026, 11, 1, 6, 0, tzinfo=UTC), -5),
        (CHICAGO_FALL, "01:30", CHICAGO, datetime(2026, 11, 1, 6, 30, tzinfo=UTC), -5),
        (LONDON_FALL, "01:30", LONDON, datetime(2026, 10, 25, 0, 30, tzinfo=UTC), 1),
    ],
)
def test_local_instant_of_a_repeated_time_is_its_first_occurrence(
    day: date, wall: str, zone: ZoneInfo, expected_utc: datetime, summer_offset: int
) -> None:
    found = local_instant(day, hm(wall), zone)
    assert found is not None
    assert found.fold == 0
    assert found.utcoffset() == timedelta(hours=summer_offset)
    assert found.astimezone(UTC) == expected_utc
    assert found.replace(tzinfo=None) == datetime.combine(day, hm(wall))


@pytest.mark.parametrize(
    ("day", "wall", "zone", "offset"),
    [
        (CHICAGO_SPRING, "01:59", CHICAGO, -6),
        (CHICAGO_SPRING, "03:00", CHICAGO, -5),
        (CHICAGO_FALL, "02:00", CHICAGO, -6),
        (LONDON_SPRING, "00:59", LONDON, 0),
        (LONDON_SPRING, "02:00", LONDON, 1),
        (MONDAY, "12:00", LONDON, 1),
        (MONDAY, "00:00", CHICAGO, -5),
    ],
)
def test_local_instant_of_an_ordinary_time(
    day: date, wall: str, zone: ZoneInfo, offset: int
) -> None:
    found = local_instant(day, hm(wall), zone)
    assert found is not None
    assert found.tzinfo is zone
    assert found.replace(tzinfo=None) == datetime.combine(day, hm(wall))
    assert found.utcoffset() == timedelta(hours=offset)


@pytest.mark.parametrize(
    ("day", "zone", "hours", "midnight_utc"),
    [
        (MONDAY, CHICAGO, 24, datetime(2026, 6, 1, 5, 0, tzinfo=UTC)),
        (CHICAGO_SPRING, CHICAGO, 23, datetime(2026, 3, 8, 6, 0, tzinfo=UTC)),
        (CHICAGO_FALL, CHICAGO, 25, datetime(2026, 11, 1, 5, 0, tzinfo=UTC)),
        (LONDON_SPRING, LONDON, 23, datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
        (LONDON_FALL, LONDON, 25, datetime(2026, 10, 24, 23, 0, tzinfo=UTC)),
    ],
)
def test_day_bounds_span_the_real_length_of_the_local_day(
    day: date, zone: ZoneInfo, hours: int, midnight_utc: datetime
) -> None:
    bounds = day_bounds(day, zone)
    assert bounds.start == midnight_utc
    assert bounds.end - bounds.start == timedelta(hours=hours)
    assert bounds.start.astimezone(zone).replace(tzinfo=None) == datetime.combine(day, time(0))
    assert bounds.end.astimezone(zone).replace(tzinfo=None) == datetime.combine(
        day + timedelta(days=1), time(0)
    )


# --- Inputs written in the clinic's own zone, and closing times the clock skips ---
#
# The inputs are all valid aware datetimes; only the zone they are written in
# differs from the tests above. Python adds and compares aware datetimes that
# share one tzinfo object (ZoneInfo(key) is cached, so the clinic's zone always
# is that object) by wall clock, ignoring fold and offset changes, so the
# module must move them to UTC first. Each of these failed before it did.


def test_minimum_notice_holds_when_now_is_given_in_the_repeated_hour() -> None:
    # now = 01:30 CST, the second 01:30 of the night, which is 07:30 UTC.
    now = at(CHICAGO_FALL, "01:30", fold=1)
    assert now.astimezone(UTC) == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    slots = find(
        ranges=open_on(CHICAGO_FALL, ("00:00", "04:00")),
        first_day=CHICAGO_FALL,
        step=15,
        duration=15,
        notice=timedelta(minutes=15),
        now=now,
    )
    earliest = now.astimezone(UTC) + timedelta(minutes=15)
    assert [s for s in slots if s.start.astimezone(UTC) < earliest] == []
    assert walls(slots)[0] == "02:00"


def test_minimum_notice_is_real_time_when_now_is_local_before_spring_forward() -> None:
    # now = 01:30 CST (07:30 UTC); two hours of notice end at 09:30 UTC = 04:30 CDT.
    now = at(CHICAGO_SPRING, "01:30")
    slots = find(
        ranges=open_on(CHICAGO_SPRING, ("00:00", "06:00")),
        first_day=CHICAGO_SPRING,
        step=30,
        duration=30,
        notice=timedelta(hours=2),
        now=now,
    )
    assert walls(slots)[0] == "04:30"


def test_horizon_is_the_same_whether_now_is_local_or_utc() -> None:
    # now = Saturday 12:00 CDT (17:00 UTC); 24 hours later is Sunday 11:00 CST.
    now_local = at(CHICAGO_FALL - timedelta(days=1), "12:00")
    options = {
        "ranges": open_on(CHICAGO_FALL, ("08:00", "14:00")),
        "first_day": CHICAGO_FALL,
        "duration": 30,
        "horizon": timedelta(days=1),
    }
    from_utc = find(now=now_local.astimezone(UTC), **options)
    assert walls(from_utc)[-1] == "11:00"
    from_local = find(now=now_local, **options)
    assert walls(from_local) == walls(from_utc)


def test_occupancy_written_in_the_clinic_zone_across_fall_back_holds_its_chair() -> None:
    # 01:50 CDT to 01:10 CST: twenty real minutes, 06:50-07:10 UTC.
    booked = Occupancy(1, at(CHICAGO_FALL, "01:50"), at(CHICAGO_FALL, "01:10", fold=1))
    assert booked.blocked_until.astimezone(UTC) - booked.start.astimezone(UTC) == timedelta(
        minutes=20
    )
    slots = walls(
        find(
            ranges=open_on(CHICAGO_FALL, ("00:00", "04:00")),
            first_day=CHICAGO_FALL,
            step=60,
            duration=60,
            occupancies=[booked],
        )
    )
    assert slots == ["00:00", "02:00", "03:00"]  # as with the same booking in UTC


def test_occupancies_written_in_the_clinic_zone_are_ordered_by_real_time() -> None:
    occupancies = [
        # 01:20-01:30 CDT = 06:20-06:30 UTC
        Occupancy(1, at(CHICAGO_FALL, "01:20"), at(CHICAGO_FALL, "01:30")),
        # 01:10-01:15 CST = 07:10-07:15 UTC
        Occupancy(1, at(CHICAGO_FALL, "01:10", fold=1), at(CHICAGO_FALL, "01:15", fold=1)),
    ]
    slots = by_wall(
        find(
            ranges=open_on(CHICAGO_FALL, ("00:00", "04:00")),
            first_day=CHICAGO_FALL,
            step=30,
            duration=60,
            occupancies=occupancies,
        )
    )
    # 01:30 CDT + 1h runs 06:30-07:30 UTC, through the second booking.
    assert "01:30" not in slots


@pytest.mark.parametrize(
    ("zone", "day", "closes", "expected"),
    [
        # Open until 02:00 on the night Chicago jumps from 01:59 CST to 03:00 CDT.
        (CHICAGO, CHICAGO_SPRING, "02:00", ["00:00", "00:30", "01:00", "01:30"]),
        (CHICAGO, CHICAGO_SPRING, "02:30", ["00:00", "00:30", "01:00", "01:30"]),
        # Open until 01:00 on the night London jumps from 00:59 GMT to 02:00 BST.
        (LONDON, LONDON_SPRING, "01:00", ["00:00", "00:30"]),
    ],
)
def test_a_closing_time_skipped_by_spring_forward_keeps_the_hours_before_it(
    zone: ZoneInfo, day: date, closes: str, expected: list[str]
) -> None:
    # Every expected block ends no later than the instant the clock jumps past
    # the closing time, and its wall times all read before the closing time.
    slots = find(
        ranges=open_on(day, ("00:00", closes)),
        first_day=day,
        zone=zone,
        step=30,
        duration=30,
    )
    assert walls(slots) == expected
