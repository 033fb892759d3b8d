"""A cancelled visit's block on the day grid: freed where nothing took it, hidden where something did."""
from __future__ import annotations

from booking.dashboard.day_grid import build_grid, mark_freed
from tests.dashboard.test_day_grid import CHAIRS, THURSDAY, at, entry, hours, kinds
from tests.domain.availability_cases import CHICAGO


def test_a_cancelled_block_spans_its_visit_and_recovery() -> None:
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [])
    mark_freed(grid, [entry(CHAIRS[0], at(9), 60, recovery=30)])
    assert kinds(grid, 0)[2:5] == ["freed", "skip", "skip"] and kinds(grid, 0)[5] == "free"
    assert grid.rows[2][1][0].rowspan == 3 and kinds(grid, 1)[2] == "free"


def test_a_block_booked_again_is_not_shown_as_freed() -> None:
    busy = entry(CHAIRS[0], at(9), 60)
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [busy])
    mark_freed(grid, [entry(CHAIRS[0], at(9), 60)])
    assert "freed" not in kinds(grid, 0)


def test_a_block_whose_end_was_booked_again_shows_only_the_free_part() -> None:
    later = entry(CHAIRS[0], at(10), 30)
    grid = build_grid(THURSDAY, CHICAGO, hours(THURSDAY), CHAIRS, [later])
    mark_freed(grid, [entry(CHAIRS[0], at(9), 60, recovery=60)])
    assert kinds(grid, 0)[2:5] == ["freed", "skip", "appt"] and grid.rows[2][1][0].rowspan == 2
