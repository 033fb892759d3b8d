"""Local instants, day bounds, and inputs written in the clinic's own zone (pure, no app)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.domain.availability import Occupancy, day_bounds, local_instant
from tests.domain.availability_cases import (
    CHICAGO,
    CHICAGO_FALL,
    CHICAGO_SPRING,
    LONDON,
    LONDON_FALL,
    LONDON_SPRING,
    MONDAY,
    UTC,
    at,
    by_wall,
    find,
    hm,
    open_on,
    walls,
)

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
