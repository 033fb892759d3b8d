"""Free slots against a brute-force model, and independence from how inputs are written."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from booking.domain.availability import (
    Occupancy,
    OpeningRange,
    Period,
    day_bounds,
    local_instant,
)
from tests.domain.availability_scenarios import (
    CHICAGO,
    FOREVER,
    UTC,
    ZONES,
    Scenario,
    first_days,
    is_ordinary,
    is_skipped,
    model,
    observed,
    scenarios,
)

# A range closing at 02:00 on the night Chicago's clocks jump from 01:59 to 03:00:
# it is open until the jump (08:00 UTC), so 01:00 and 01:30 CST are offered.
SKIPPED_CLOSING = Scenario(
    zone=CHICAGO,
    first_day=date(2026, 3, 8),
    days=1,
    ranges=(OpeningRange(6, time(0), time(2)),),
    chairs=(1,),
    occupancies=(),
    closed_days=frozenset(),
    closed_periods=(),
    step=30,
    duration=30,
    recovery=0,
    notice=0,
    horizon=FOREVER,
    now=datetime(2026, 3, 1, tzinfo=UTC),
)


@example(sc=SKIPPED_CLOSING)
@given(sc=scenarios())
def test_slots_match_a_brute_force_model(sc: Scenario) -> None:
    assert observed(sc.run()) == model(sc)


# On the night Chicago falls back, "now" is 07:30 UTC: the second 01:30.
REPEATED_HOUR = Scenario(
    zone=CHICAGO,
    first_day=date(2026, 11, 1),
    days=1,
    ranges=(OpeningRange(6, time(0), time(4)),),
    chairs=(1,),
    occupancies=(),
    closed_days=frozenset(),
    closed_periods=(),
    step=15,
    duration=30,
    recovery=30,
    notice=15,
    horizon=FOREVER,
    now=datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
)


# A booking that night from 01:50 CDT to 01:10 CST: 06:50-07:10 UTC.
BOOKED_OVER_REPEATED_HOUR = replace(
    REPEATED_HOUR,
    occupancies=(
        Occupancy(
            1, datetime(2026, 11, 1, 6, 50, tzinfo=UTC), datetime(2026, 11, 1, 7, 10, tzinfo=UTC)
        ),
    ),
    now=datetime(2026, 10, 1, tzinfo=UTC),
)


@example(sc=REPEATED_HOUR)
@example(sc=BOOKED_OVER_REPEATED_HOUR)
@given(sc=scenarios())
def test_result_does_not_depend_on_the_zone_inputs_are_written_in(sc: Scenario) -> None:
    """The same instants written in UTC or in the clinic's own zone give the same slots."""

    def written_in(zone: ZoneInfo | timezone) -> Scenario:
        return replace(
            sc,
            now=sc.now.astimezone(zone),
            occupancies=tuple(
                Occupancy(o.chair_id, o.start.astimezone(zone), o.blocked_until.astimezone(zone))
                for o in sc.occupancies
            ),
            closed_periods=tuple(
                Period(p.start.astimezone(zone), p.end.astimezone(zone)) for p in sc.closed_periods
            ),
        )

    assert observed(written_in(sc.zone).run()) == observed(written_in(UTC).run())


@given(
    zone_day=st.sampled_from(ZONES).flatmap(lambda z: st.tuples(st.just(z), first_days(z))),
    minute=st.one_of(st.integers(0, 24 * 60 - 1), st.integers(0, 4 * 60)),
)
def test_local_instant_and_day_bounds(zone_day: tuple[ZoneInfo, date], minute: int) -> None:
    zone, day = zone_day
    wall = time(minute // 60, minute % 60)
    found = local_instant(day, wall, zone)
    if is_skipped(day, wall, zone):
        assert found is None
    else:
        assert found is not None
        assert found.replace(tzinfo=None) == datetime.combine(day, wall)
        assert found.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == datetime.combine(
            day, wall
        )
        assert found.astimezone(UTC) == datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)
        bounds = day_bounds(day, zone)
        assert bounds.start <= found < bounds.end
    bounds = day_bounds(day, zone)
    length = bounds.end - bounds.start
    if is_ordinary(day, zone):
        assert length == timedelta(hours=24)
    else:
        assert length in (timedelta(hours=23), timedelta(hours=25))
    assert bounds.start.astimezone(zone).replace(tzinfo=None) == datetime.combine(day, time(0))
