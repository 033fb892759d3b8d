"""An appointment's statuses after booking: the table, when each move is timely, and the undo."""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.appointment_flow import (
    TRANSITIONS,
    UNDO_REASONS,
    IllegalStatusChange,
    StatusRules,
    allowed_at,
    can_set,
    can_undo,
    driver_confirmable,
    rules_for,
    undo_needs_reason,
    undo_target,
)
from booking.domain.errors import DomainError
from booking.models import Appointment, AppointmentStatus, Clinic
from tests.domain.availability_cases import CHICAGO, CHICAGO_FALL, CHICAGO_SPRING, UTC

A = AppointmentStatus

ALLOWED = {
    (A.BOOKED, A.CONFIRMED), (A.BOOKED, A.ARRIVED), (A.BOOKED, A.NO_SHOW), (A.BOOKED, A.CANCELLED),
    (A.CONFIRMED, A.ARRIVED), (A.CONFIRMED, A.NO_SHOW), (A.CONFIRMED, A.CANCELLED),
    (A.ARRIVED, A.COMPLETED),
}
PAIRS = list(product(AppointmentStatus, AppointmentStatus))

CLINIC = Clinic(timezone="America/Chicago")  # not saved: the default 2 h window and 15 min grace
# Thursday 4 June 2026, 13:30 CDT.
START = datetime(2026, 6, 4, 18, 30, tzinfo=UTC)
RULES = StatusRules(CHICAGO, timedelta(hours=2), timedelta(minutes=15))


def appointment(status: AppointmentStatus, starts_at: datetime = START, **more: object) -> Appointment:
    return Appointment(status=status, starts_at=starts_at, **more)


def test_the_table() -> None:
    assert set(TRANSITIONS) == set(AppointmentStatus)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    assert [s for s in AppointmentStatus if not TRANSITIONS[s]] == [A.COMPLETED, A.CANCELLED, A.NO_SHOW]
    assert issubclass(IllegalStatusChange, DomainError)


@pytest.mark.parametrize(("current", "wanted"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_once_every_window_is_open_exactly_the_table_s_moves_are_allowed(
    current: AppointmentStatus, wanted: AppointmentStatus
) -> None:
    half_an_hour_in = START + timedelta(minutes=30)
    assert can_set(appointment(current), wanted, CLINIC, half_an_hour_in) is ((current, wanted) in ALLOWED)


def test_the_reported_morning() -> None:
    # At 12:31 PM a 1:30 PM visit was confirmed, arrived and completed; a 4:00 PM one marked no-show.
    now = datetime(2026, 6, 4, 17, 31, tzinfo=UTC)  # 12:31 CDT
    assert can_set(appointment(A.BOOKED), A.CONFIRMED, CLINIC, now)
    assert can_set(appointment(A.CONFIRMED), A.ARRIVED, CLINIC, now)  # within 2 h of 1:30
    assert not can_set(appointment(A.ARRIVED), A.COMPLETED, CLINIC, now)
    four_pm = datetime(2026, 6, 4, 21, tzinfo=UTC)
    assert not can_set(appointment(A.BOOKED, four_pm), A.NO_SHOW, CLINIC, now)
    assert not can_set(appointment(A.BOOKED, four_pm), A.ARRIVED, CLINIC, now)  # 3.5 h early


@pytest.mark.parametrize(
    ("now", "arrived", "completed", "no_show"),
    [
        (START - timedelta(hours=2, minutes=1), False, False, False),
        (START - timedelta(hours=2), True, False, False),
        (START - timedelta(seconds=1), True, False, False),
        (START, True, True, False),
        (START + timedelta(minutes=14, seconds=59), True, True, False),
        (START + timedelta(minutes=15), True, True, True),
        (datetime(2026, 6, 5, 4, 59, tzinfo=UTC), True, True, True),  # 23:59 CDT that day
        (datetime(2026, 6, 5, 5, 0, tzinfo=UTC), False, True, True),  # the next clinic day: late entries only
    ],
)
def test_the_edges_of_each_window(now: datetime, arrived: bool, completed: bool, no_show: bool) -> None:
    assert allowed_at(A.ARRIVED, START, RULES, now) is arrived
    assert allowed_at(A.COMPLETED, START, RULES, now) is completed
    assert allowed_at(A.NO_SHOW, START, RULES, now) is no_show


def test_a_clinic_s_own_settings() -> None:
    clinic = Clinic(timezone="America/Chicago", arrival_window_minutes=30, no_show_grace_minutes=0)
    assert rules_for(clinic) == StatusRules(CHICAGO, timedelta(minutes=30), timedelta(0))
    assert not can_set(appointment(A.BOOKED), A.ARRIVED, clinic, START - timedelta(minutes=31))
    assert can_set(appointment(A.BOOKED), A.ARRIVED, clinic, START - timedelta(minutes=30))
    assert can_set(appointment(A.BOOKED), A.NO_SHOW, clinic, START)


def test_arrival_early_in_the_morning_stays_on_the_visit_s_day() -> None:
    # 01:00 CDT visit: two hours before is the evening before, which is another clinic day.
    one_am = datetime(2026, 6, 4, 6, tzinfo=UTC)
    assert not allowed_at(A.ARRIVED, one_am, RULES, one_am - timedelta(hours=1, minutes=30))
    assert allowed_at(A.ARRIVED, one_am, RULES, one_am - timedelta(minutes=30))


# Instants around both of 2026's clock changes in Chicago and an ordinary day.
DAYS = [CHICAGO_SPRING, CHICAGO_FALL, START.astimezone(CHICAGO).date()]
minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


@st.composite
def visit_and_now(draw: st.DrawFn) -> tuple[datetime, datetime, StatusRules]:
    day = draw(st.sampled_from(DAYS))
    midnight = datetime(day.year, day.month, day.day, tzinfo=CHICAGO).astimezone(UTC)
    start = midnight + timedelta(minutes=draw(minutes))
    now = start + timedelta(minutes=draw(st.integers(min_value=-26 * 60, max_value=26 * 60)))
    rules = StatusRules(CHICAGO, timedelta(minutes=draw(st.integers(0, 480))), timedelta(minutes=draw(st.integers(0, 240))))
    return start, now, rules


@given(visit_and_now())
def test_arrival_is_within_the_window_on_the_same_local_day(case: tuple[datetime, datetime, StatusRules]) -> None:
    start, now, rules = case
    elapsed_before = start - now  # real time, whatever the wall clock did
    same_day = now.astimezone(CHICAGO).date() == start.astimezone(CHICAGO).date()
    assert allowed_at(A.ARRIVED, start, rules, now) is (elapsed_before <= rules.arrival_window and same_day)


@given(visit_and_now())
def test_outcomes_never_come_before_the_start(case: tuple[datetime, datetime, StatusRules]) -> None:
    start, now, rules = case
    assert allowed_at(A.COMPLETED, start, rules, now) is (now >= start)
    assert allowed_at(A.NO_SHOW, start, rules, now) is (now - start >= rules.no_show_grace)
    if allowed_at(A.NO_SHOW, start, rules, now):
        assert allowed_at(A.COMPLETED, start, rules, now)


def test_on_the_spring_forward_day_the_window_is_real_time() -> None:
    # 8 March 2026: 02:00 CST jumps to 03:00 CDT. A 03:30 CDT visit (08:30 UTC) with a 2 h window
    # opens at 06:30 UTC, which the wall clock calls 00:30 CST: 3 hours earlier on the clock.
    start = datetime(2026, 3, 8, 8, 30, tzinfo=UTC)
    assert start.astimezone(CHICAGO).hour == 3
    assert allowed_at(A.ARRIVED, start, RULES, datetime(2026, 3, 8, 6, 30, tzinfo=UTC))
    assert not allowed_at(A.ARRIVED, start, RULES, datetime(2026, 3, 8, 6, 29, tzinfo=UTC))


def test_undo_goes_back_one_step() -> None:
    assert undo_target(A.CONFIRMED, True) is A.BOOKED
    assert undo_target(A.ARRIVED, True) is A.CONFIRMED
    assert undo_target(A.ARRIVED, False) is A.BOOKED
    assert undo_target(A.NO_SHOW, True) is A.CONFIRMED
    assert undo_target(A.NO_SHOW, False) is A.BOOKED
    assert undo_target(A.COMPLETED, True) is A.ARRIVED
    assert undo_target(A.BOOKED, False) is None
    assert undo_target(A.CANCELLED, True) is None
    assert [s for s in AppointmentStatus if undo_needs_reason(s)] == [A.COMPLETED, A.NO_SHOW]
    assert UNDO_REASONS


@pytest.mark.parametrize(
    ("changed", "now", "allowed"),
    [
        (datetime(2026, 6, 4, 18, tzinfo=UTC), datetime(2026, 6, 5, 4, 59, tzinfo=UTC), True),  # until 23:59 CDT
        (datetime(2026, 6, 4, 18, tzinfo=UTC), datetime(2026, 6, 5, 5, 0, tzinfo=UTC), False),  # the next day
        (None, datetime(2026, 6, 4, 18, tzinfo=UTC), False),  # changed before this was recorded
    ],
)
def test_undo_only_the_same_clinic_day(changed: datetime | None, now: datetime, allowed: bool) -> None:
    done = appointment(A.COMPLETED, status_changed_at=changed)
    assert can_undo(done, CLINIC, now) is allowed


def test_nothing_to_undo_on_a_booked_or_cancelled_visit() -> None:
    now = START
    assert not can_undo(appointment(A.BOOKED, status_changed_at=now), CLINIC, now)
    assert not can_undo(appointment(A.CANCELLED, status_changed_at=now), CLINIC, now)


@pytest.mark.parametrize(
    ("name", "phone", "with_", "ok"),
    [("Sam", "+13125550100", "", True), ("Sam", "", "", False), ("", "+13125550100", "", False),
     ("", "", "Sam (patient's son)", True), ("  ", " ", "  ", False)],
)
def test_a_driver_is_confirmed_only_with_someone_named(name: str, phone: str, with_: str, ok: bool) -> None:
    assert driver_confirmable(name, phone, with_) is ok
