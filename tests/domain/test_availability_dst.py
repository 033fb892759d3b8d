"""Free slots across daylight-saving changes in Chicago and London (pure, no app)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.domain.availability import Occupancy
from tests.domain.availability_cases import (
    CHICAGO,
    CHICAGO_FALL,
    CHICAGO_SPRING,
    LONDON,
    LONDON_FALL,
    LONDON_SPRING,
    NEW_YORK,
    UTC,
    by_wall,
    find,
    grid,
    labels,
    open_on,
    utc,
    walls,
)

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
