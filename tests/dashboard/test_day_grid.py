"""The day grid: rows of time from opening to closing, a column per chair, appointments spanning rows."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking.dashboard.day_grid import Cell, Grid, build_grid
from booking.models import Appointment, Chair, OpeningHours, Patient, Service
from booking.queries.schedule import Entry
from tests.domain.availability_cases import CHICAGO, UTC

THURSDAY = date(2026, 6, 4)  # CDT, UTC-5
CHAIRS = [Chair(id=1, name="Chair 1"), Chair(id=2, name="Chair 2")]


def hours(day: date, opens: int = 8, closes: int = 18) -> list[OpeningHours]:
    return [OpeningHours(weekday=day.weekday(), opens=time(opens), closes=time(closes))]


def entry(chair: Chair, starts: datetime, minutes: int, recovery: int = 0) -> Entry:
    """An appointment as the database returns it: in UTC."""
    starts = starts.astimezone(UTC)
    ends = starts + timedelta(minutes=minutes)
    appointment = Appointment(starts_at=starts, ends_at=ends, blocked_until=ends + timedelta(minutes=recovery))
    return Entry(appointment, Patient(full_name="Pat"), Service(name="Infusion"), chair)


def at(hour: int, minute: int = 0, day: date = THURSDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO)


def kinds(grid: Grid, column: int) -> list[str]:
    return [cells[column].kind for _, cells in grid.rows]


def labels(grid: Grid) -> list[str]:
    return [moment.strftime("%H:%M") for moment, _ in grid.rows]


def test_an_empty_day_is_half_hours_from_opening_to_closing() -> None:
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [])
    assert grid.chairs == CHAIRS
    assert len(grid.rows) == 20
    assert grid.rows[0][0] == at(8) and grid.rows[-1][0] == at(17, 30)
    assert labels(grid)[:3] == ["08:00", "08:30", "09:00"]
    assert all(cell == Cell("free") for _, cells in grid.rows for cell in cells)
    assert all(len(cells) == 2 for _, cells in grid.rows)


def test_only_the_day_s_own_weekday_counts() -> None:
    week = [OpeningHours(weekday=w, opens=time(7 if w == THURSDAY.weekday() else 10), closes=time(12)) for w in range(7)]
    grid = build_grid(THURSDAY, CHICAGO, week, CHAIRS, [])
    assert labels(grid)[0] == "07:00" and labels(grid)[-1] == "11:30"


def test_a_closed_day_without_appointments_shows_eight_to_six() -> None:
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY + timedelta(days=1)), CHAIRS, [])
    assert labels(grid)[0] == "08:00" and len(grid.rows) == 20


def test_two_opening_ranges_run_from_the_first_opening_to_the_last_closing() -> None:
    split = hours(THURSDAY, 8, 12) + hours(THURSDAY, 14, 19)
    grid = build_grid(THURSDAY, CHICAGO, split, CHAIRS, [])
    assert (labels(grid)[0], labels(grid)[-1], len(grid.rows)) == ("08:00", "18:30", 22)


def test_an_opening_off_the_hour_starts_the_grid_on_the_hour() -> None:
    grid = build_grid(THURSDAY, CHICAGO, [OpeningHours(weekday=THURSDAY.weekday(), opens=time(8, 30), closes=time(10))],
                      CHAIRS, [])
    assert labels(grid) == ["08:00", "08:30", "09:00", "09:30"]


def test_an_infusion_and_its_recovery_span_their_rows() -> None:
    # 09:00-10:00, recovery to 10:45: the row unit becomes 15 minutes.
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [infusion := entry(CHAIRS[0], at(9), 60, 45)])
    assert len(grid.rows) == 40 and labels(grid)[:2] == ["08:00", "08:15"]
    first = kinds(grid, 0)
    assert first[:4] == ["free"] * 4
    assert first[4:11] == ["appt", "skip", "skip", "skip", "recovery", "skip", "skip"]
    assert first[11:] == ["free"] * 29
    assert grid.rows[4][0] == at(9)
    assert grid.rows[4][1][0] == Cell("appt", 4, infusion)
    assert grid.rows[8][1][0] == Cell("recovery", 3, infusion)
    assert kinds(grid, 1) == ["free"] * 40


def test_no_recovery_no_recovery_cell() -> None:
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [entry(CHAIRS[1], at(10), 30)])
    assert len(grid.rows) == 20  # everything on the half hour: rows stay 30 minutes
    assert kinds(grid, 1)[3:6] == ["free", "appt", "free"]
    assert "recovery" not in kinds(grid, 1)


def test_appointments_outside_the_hours_stretch_the_grid() -> None:
    early = entry(CHAIRS[0], at(7, 30), 30)  # before opening: the grid starts at 07:00
    late = entry(CHAIRS[1], at(17, 30), 60, 30)  # until 19:00 with recovery
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [early, late])
    assert labels(grid)[0] == "07:00" and labels(grid)[-1] == "18:30" and len(grid.rows) == 24
    assert kinds(grid, 0)[:3] == ["free", "appt", "free"]
    assert kinds(grid, 1)[-3:] == ["appt", "skip", "recovery"]


def test_appointments_on_a_closed_day_still_get_a_grid() -> None:
    grid = build_grid(THURSDAY, CHICAGO, [], CHAIRS, [entry(CHAIRS[0], at(11), 60)])
    assert labels(grid) == ["11:00", "11:30"]
    assert kinds(grid, 0) == ["appt", "skip"]


def test_odd_minutes_make_finer_rows_but_never_under_five_minutes() -> None:
    # 09:10 for 20 minutes: gcd(30, 70, 20) = 10.
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [entry(CHAIRS[0], at(9, 10), 20)])
    assert labels(grid)[:2] == ["08:00", "08:10"] and len(grid.rows) == 60
    assert kinds(grid, 0)[7:10] == ["appt", "skip", "free"]
    # 09:07 would need one-minute rows; five is the floor and the start rounds down to 09:05.
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [entry(CHAIRS[0], at(9, 7), 21)])
    assert labels(grid)[:2] == ["08:00", "08:05"] and len(grid.rows) == 120
    assert kinds(grid, 0)[13:18] == ["appt", "skip", "skip", "skip", "free"]


def test_a_later_booking_over_an_earlier_one_keeps_the_first_placed() -> None:
    # E.g. a no-show and the appointment booked into its chair afterwards.
    first = entry(CHAIRS[0], at(9), 60)
    second = entry(CHAIRS[0], at(9, 30), 60)
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [first, second])
    column = kinds(grid, 0)
    assert column[2:6] == ["appt", "skip", "free", "free"]
    assert grid.rows[2][1][0].entry is first
    assert all(cells[0].entry is not second for _, cells in grid.rows)


def test_a_chair_not_shown_is_left_out() -> None:
    gone = Chair(id=9, name="Retired chair")
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [entry(gone, at(9), 60)])
    assert all(cell.kind == "free" for _, cells in grid.rows for cell in cells)


def test_an_ordinary_day_on_which_the_clocks_change_overnight() -> None:
    # Sunday 8 March 2026: the jump at 02:00 is before opening, so the day looks like any other.
    sunday = date(2026, 3, 8)
    grid = build_grid(sunday, CHICAGO, hours(sunday), CHAIRS, [entry(CHAIRS[0], at(9, day=sunday), 60)])
    assert len(grid.rows) == 20 and labels(grid)[2] == "09:00"
    assert grid.rows[2][0].astimezone(UTC) == datetime(2026, 3, 8, 14, tzinfo=UTC)
    assert kinds(grid, 0)[2:4] == ["appt", "skip"]


def test_spring_forward_inside_the_hours_has_no_rows_for_the_skipped_hour() -> None:
    # Open 01:00 CST to 05:00 CDT: three real hours; 02:00-03:00 never happens.
    sunday = date(2026, 3, 8)
    four = entry(CHAIRS[0], datetime(2026, 3, 8, 9, tzinfo=UTC), 60)  # 04:00 CDT
    grid = build_grid(sunday, CHICAGO, hours(sunday, 1, 5), CHAIRS, [four])
    assert labels(grid) == ["01:00", "01:30", "03:00", "03:30", "04:00", "04:30"]
    assert kinds(grid, 0)[4:] == ["appt", "skip"]


def test_fall_back_inside_the_hours_shows_the_repeated_hour_twice() -> None:
    # Open 00:00 CDT to 04:00 CST: five real hours; 01:00-02:00 happens twice.
    sunday = date(2026, 11, 1)
    three = entry(CHAIRS[0], datetime(2026, 11, 1, 9, tzinfo=UTC), 60)  # 03:00 CST
    grid = build_grid(sunday, CHICAGO, hours(sunday, 0, 4), CHAIRS, [three])
    assert labels(grid) == ["00:00", "00:30", "01:00", "01:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
    assert kinds(grid, 0)[8:] == ["appt", "skip"]
