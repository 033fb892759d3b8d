"""The request form's window of days: aligned on today, within the booking horizon."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.date_window import date_window

TODAY = date(2026, 12, 3)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


def test_the_first_window_starts_today() -> None:
    window = date_window(TODAY, None, 7, 60)
    assert (window.first, window.last, window.earlier, window.later) == (
        TODAY, date(2026, 12, 9), None, date(2026, 12, 10))


def test_a_day_inside_a_window_names_that_window() -> None:
    window = date_window(TODAY, date(2026, 12, 15), 7, 60)
    assert (window.first, window.earlier, window.later) == (date(2026, 12, 10), TODAY, date(2026, 12, 17))
    assert window.holds(date(2026, 12, 15)) and not window.holds(date(2026, 12, 17))


def test_the_past_is_today_and_beyond_the_horizon_is_the_last_window() -> None:
    assert date_window(TODAY, date(2020, 1, 1), 7, 60).first == TODAY
    last = date_window(TODAY, date(2030, 1, 1), 7, 20)
    assert last.first == TODAY + timedelta(days=14)  # holds today + 20
    assert last.later is None and last.earlier == TODAY + timedelta(days=7)


def test_no_later_window_past_the_horizon() -> None:
    assert date_window(TODAY, None, 7, 6).later is None
    assert date_window(TODAY, None, 7, 7).later == TODAY + timedelta(days=7)


def test_a_window_has_a_day() -> None:
    with pytest.raises(ValueError):
        date_window(TODAY, None, 0, 60)


@given(DATES, st.one_of(st.none(), DATES), st.integers(1, 31), st.integers(-5, 400))
def test_windows_tile_the_days_from_today_to_the_horizon(
    today: date, asked: date | None, days: int, horizon: int
) -> None:
    window = date_window(today, asked, days, horizon)
    assert (window.first - today).days % days == 0
    assert today <= window.first <= today + timedelta(days=max(horizon, 0))
    if asked is not None and today <= asked <= today + timedelta(days=max(horizon, 0)):
        assert window.holds(asked)
    # Earlier and later lead to the neighbouring windows, which lead back.
    if window.earlier is not None:
        before = date_window(today, window.earlier, days, horizon)
        assert (before.first, before.later) == (window.earlier, window.first)
    else:
        assert window.first == today
    if window.later is not None:
        after = date_window(today, window.later, days, horizon)
        assert (after.first, after.earlier) == (window.later, window.first)
    else:
        assert (window.last - today).days >= max(horizon, 0)
