"""Fasting instructions as clock times: real elapsed hours, shown in the clinic's zone."""
from __future__ import annotations

from datetime import datetime

import pytest

from booking.domain.preparation import FastingTimes, fasting_times
from tests.domain.availability_cases import CHICAGO, LONDON, UTC


def test_hours_before_an_ordinary_morning_visit() -> None:
    start = datetime(2026, 6, 4, 8, tzinfo=CHICAGO)
    times = fasting_times(start, 6, 2)
    assert times == FastingTimes(datetime(2026, 6, 4, 2, tzinfo=CHICAGO), datetime(2026, 6, 4, 6, tzinfo=CHICAGO))
    assert times.no_food_after is not None and times.no_food_after.tzinfo is CHICAGO


def test_a_long_fast_starts_the_day_before() -> None:
    times = fasting_times(datetime(2026, 6, 4, 8, tzinfo=CHICAGO), 12, 4)
    assert times.no_food_after == datetime(2026, 6, 3, 20, tzinfo=CHICAGO)
    assert times.clear_liquids_until == datetime(2026, 6, 4, 4, tzinfo=CHICAGO)


def test_times_are_in_the_zone_the_start_is_given_in() -> None:
    # 14:00 UTC is 09:00 in Chicago and 15:00 in London (BST).
    in_london = fasting_times(datetime(2026, 6, 4, 15, tzinfo=LONDON), 6, 2)
    assert in_london.no_food_after is not None and in_london.no_food_after.tzinfo is LONDON
    assert (in_london.no_food_after.hour, in_london.no_food_after.minute) == (9, 0)
    in_chicago = fasting_times(datetime(2026, 6, 4, 9, tzinfo=CHICAGO), 6, 2)
    assert in_london.no_food_after == in_chicago.no_food_after  # the same instant
    assert in_chicago.no_food_after is not None and in_chicago.no_food_after.hour == 3


def test_across_spring_forward_the_clock_time_moves_by_the_lost_hour() -> None:
    # Sunday 8 March 2026 08:00 CDT (13:00 UTC); at 02:00 CST the clocks jumped to 03:00.
    times = fasting_times(datetime(2026, 3, 8, 8, tzinfo=CHICAGO), 8, 6)
    assert times.no_food_after is not None and times.clear_liquids_until is not None
    assert times.no_food_after.astimezone(UTC) == datetime(2026, 3, 8, 5, tzinfo=UTC)
    assert times.no_food_after.replace(tzinfo=None) == datetime(2026, 3, 7, 23)  # nine hours on the clock
    assert times.clear_liquids_until.astimezone(UTC) == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert times.clear_liquids_until.replace(tzinfo=None) == datetime(2026, 3, 8, 1)  # 01:00 CST


def test_across_fall_back_the_same_clock_time_can_be_two_instants() -> None:
    # Sunday 1 November 2026 08:00 CST (14:00 UTC); 01:00 happens twice that night.
    start = datetime(2026, 11, 1, 8, tzinfo=CHICAGO)
    eight_before = fasting_times(start, 8, None).no_food_after
    seven_before = fasting_times(start, 7, None).no_food_after
    assert eight_before is not None and seven_before is not None
    assert eight_before.replace(tzinfo=None) == seven_before.replace(tzinfo=None) == datetime(2026, 11, 1, 1)
    assert eight_before.astimezone(UTC) == datetime(2026, 11, 1, 6, tzinfo=UTC)  # 01:00 CDT
    assert seven_before.astimezone(UTC) == datetime(2026, 11, 1, 7, tzinfo=UTC)  # 01:00 CST
    assert (eight_before.fold, seven_before.fold) == (0, 1)


@pytest.mark.parametrize("fasting_hours", [None, 0])
def test_no_fasting_means_no_times_at_all(fasting_hours: int | None) -> None:
    assert fasting_times(datetime(2026, 6, 4, 8, tzinfo=CHICAGO), fasting_hours, 2) == FastingTimes(None, None)


def test_clear_liquids_are_optional_and_zero_means_up_to_the_visit() -> None:
    start = datetime(2026, 6, 4, 8, tzinfo=CHICAGO)
    assert fasting_times(start, 6, None) == FastingTimes(datetime(2026, 6, 4, 2, tzinfo=CHICAGO), None)
    assert fasting_times(start, 6, 0).clear_liquids_until == start


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        fasting_times(datetime(2026, 6, 4, 8), 6, 2)
