"""Free slots and chairs: busy chairs, recovery, overlapping occupancies (pure, no app)."""
from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.domain.availability import Occupancy
from tests.domain.availability_cases import (
    LONDON,
    MONDAY,
    UTC,
    at,
    by_wall,
    find,
    grid,
    open_on,
    utc,
    walls,
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
