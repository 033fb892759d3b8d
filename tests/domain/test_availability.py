"""Free slots: opening hours, closures, notice and horizon, chairs and recovery (pure, no app)."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.domain.availability import (
    Calendar,
    OpeningRange,
    Period,
    Rules,
    ServiceTiming,
    free_slots,
)
from tests.domain.availability_cases import (
    CHICAGO,
    FOREVER,
    LONDON,
    LONG_AGO,
    MONDAY,
    UTC,
    at,
    find,
    grid,
    hm,
    labels,
    open_on,
    utc,
    walls,
)

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
