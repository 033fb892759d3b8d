"""When check-in opens and closes, and the day sheet's state of a visit's check-in."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from booking.domain.checkins import CheckinFacts, CheckinState, Window, state, window

START = datetime(2026, 12, 10, 16, tzinfo=timezone.utc)


def test_opens_n_hours_before_and_closes_at_the_start() -> None:
    assert window(START, 48, True, START - timedelta(hours=48, seconds=1)) is Window.NOT_YET
    assert window(START, 48, True, START - timedelta(hours=48)) is Window.OPEN
    assert window(START, 48, True, START - timedelta(seconds=1)) is Window.OPEN
    assert window(START, 48, True, START) is Window.CLOSED
    assert window(START, 48, False, START - timedelta(hours=1)) is Window.CLOSED


def test_state_an_unacknowledged_flag_wins() -> None:
    assert state(CheckinFacts(submitted=False, unacknowledged_flag=False)) is CheckinState.NOT_YET
    assert state(CheckinFacts(submitted=True, unacknowledged_flag=False)) is CheckinState.DONE
    assert state(CheckinFacts(submitted=True, unacknowledged_flag=True)) is CheckinState.NEEDS_CLINICIAN
