"""Hypothesis properties of free slots: chairs, opening hours, closures, notice, horizon, DST."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given

from tests.domain.availability_scenarios import (
    UTC,
    Scenario,
    closing_instant,
    free_chairs,
    is_ordinary,
    minutes_of,
    observed,
    occupied,
    scenarios,
)

# --- Properties ---------------------------------------------------------------------


@given(sc=scenarios())
def test_listed_chairs_are_free_for_the_whole_block_and_busy_chairs_are_not_listed(
    sc: Scenario,
) -> None:
    for slot in sc.run():
        start = slot.start.astimezone(UTC)
        end = start + sc.block
        assert slot.chair_ids, "a slot without a free chair"
        assert len(set(slot.chair_ids)) == len(slot.chair_ids)
        for chair in slot.chair_ids:
            assert chair in sc.chairs
            clashes = [o for o in sc.occupancies if o.chair_id == chair and occupied(o, start, end)]
            assert clashes == [], f"chair {chair} is booked during {start}-{end}"
        # Every chair left out is busy, so when all are busy there is no slot.
        assert set(slot.chair_ids) == free_chairs(sc, start, end)


@given(sc=scenarios())
def test_every_start_is_on_the_grid_of_an_opening_range_and_the_block_fits(sc: Scenario) -> None:
    for slot in sc.run():
        start = slot.start.astimezone(UTC)
        local = start.astimezone(sc.zone)
        day, wall = local.date(), local.time()
        assert day in sc.query_days
        fitting = [
            rng
            for rng in sc.ranges
            if rng.weekday == day.weekday()
            and rng.opens <= wall < rng.closes
            and (minutes_of(wall) - minutes_of(rng.opens)) % sc.step == 0
            and start + sc.block <= closing_instant(day, rng.closes, sc.zone)
        ]
        assert fitting, f"{local} fits no opening range"
        assert slot.end.astimezone(UTC) == start + timedelta(minutes=sc.duration)
        # The whole block stays on the slot's local date.
        assert (start + sc.block - timedelta(microseconds=1)).astimezone(sc.zone).date() == day


@given(sc=scenarios())
def test_no_slot_on_a_closed_day_or_touching_a_closed_period(sc: Scenario) -> None:
    for slot in sc.run():
        start = slot.start.astimezone(UTC)
        end = start + sc.block
        assert start.astimezone(sc.zone).date() not in sc.closed_days
        for period in sc.closed_periods:
            assert not (period.start < end and start < period.end), f"{start} meets {period}"


@given(sc=scenarios())
def test_every_start_respects_minimum_notice_and_horizon(sc: Scenario) -> None:
    now = sc.now.astimezone(UTC)
    for slot in sc.run():
        start = slot.start.astimezone(UTC)
        assert start >= now + timedelta(minutes=sc.notice)
        assert start <= now + timedelta(minutes=sc.horizon)


@given(sc=scenarios())
def test_starts_are_distinct_real_wall_clock_times_in_the_clinic_zone(sc: Scenario) -> None:
    slots = sc.run()
    instants = [s.start.astimezone(UTC) for s in slots]
    assert instants == sorted(instants)
    assert len(set(instants)) == len(instants)
    wall_labels = [(s.start.date(), s.start.hour, s.start.minute) for s in slots]
    assert len(set(wall_labels)) == len(wall_labels)
    for slot, instant in zip(slots, instants, strict=True):
        assert isinstance(slot.start.tzinfo, ZoneInfo)
        assert slot.start.tzinfo.key == sc.zone.key
        assert slot.start.utcoffset() is not None
        naive = slot.start.replace(tzinfo=None)
        # A real wall-clock time: local -> UTC -> local gives it back ...
        assert instant.astimezone(sc.zone).replace(tzinfo=None) == naive
        # ... and a repeated one is its first occurrence.
        assert instant == naive.replace(tzinfo=sc.zone, fold=0).astimezone(UTC)


@given(sc=scenarios(quiet=True))
def test_on_ordinary_days_every_grid_time_whose_block_fits_is_offered(sc: Scenario) -> None:
    slots = sc.run()
    block = sc.duration + sc.recovery
    for day in sc.query_days:
        if not is_ordinary(day, sc.zone):
            continue
        expected = {
            minute
            for rng in sc.ranges
            if rng.weekday == day.weekday()
            for minute in range(minutes_of(rng.opens), minutes_of(rng.closes), sc.step)
            if minute + block <= minutes_of(rng.closes)
        }
        offered = [s for s in slots if s.start.date() == day]
        assert {s.start.hour * 60 + s.start.minute for s in offered} == expected
        assert len(offered) == len(expected)
        for slot in offered:
            assert set(slot.chair_ids) == set(sc.chairs)


@given(sc=scenarios())
def test_asking_day_by_day_gives_the_same_slots(sc: Scenario) -> None:
    whole = observed(sc.run())
    pieces = [item for day in sc.query_days for item in observed(sc.run(first_day=day, days=1))]
    assert pieces == whole
