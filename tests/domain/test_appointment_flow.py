"""An appointment's statuses after booking, and which moves wait for the day itself."""
from __future__ import annotations

from datetime import datetime
from itertools import product

import pytest

from booking.domain.appointment_flow import TRANSITIONS, IllegalStatusChange, can_set
from booking.domain.errors import DomainError
from booking.models import Appointment, AppointmentStatus, Clinic
from tests.domain.availability_cases import CHICAGO, UTC

A = AppointmentStatus

ALLOWED = {
    (A.BOOKED, A.CONFIRMED), (A.BOOKED, A.ARRIVED), (A.BOOKED, A.NO_SHOW), (A.BOOKED, A.CANCELLED),
    (A.CONFIRMED, A.ARRIVED), (A.CONFIRMED, A.NO_SHOW), (A.CONFIRMED, A.CANCELLED),
    (A.ARRIVED, A.COMPLETED),
}
PAIRS = list(product(AppointmentStatus, AppointmentStatus))

CLINIC = Clinic(timezone="America/Chicago")
# Thursday 4 June 2026, 08:00 CDT.
START = datetime(2026, 6, 4, 13, tzinfo=UTC)
DAY_OF = datetime(2026, 6, 4, 12, tzinfo=UTC)  # 07:00 CDT, an hour before


def appointment(status: AppointmentStatus, starts_at: datetime = START) -> Appointment:
    return Appointment(status=status, starts_at=starts_at)


def test_the_table() -> None:
    assert set(TRANSITIONS) == set(AppointmentStatus)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    assert [s for s in AppointmentStatus if not TRANSITIONS[s]] == [A.COMPLETED, A.CANCELLED, A.NO_SHOW]
    assert issubclass(IllegalStatusChange, DomainError)


@pytest.mark.parametrize(("current", "wanted"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_on_the_day_exactly_the_table_s_moves_are_allowed(current: AppointmentStatus, wanted: AppointmentStatus) -> None:
    assert can_set(appointment(current), wanted, CLINIC, DAY_OF) is ((current, wanted) in ALLOWED)


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        (A.BOOKED, A.CONFIRMED, True),
        (A.BOOKED, A.CANCELLED, True),
        (A.CONFIRMED, A.CANCELLED, True),
        (A.BOOKED, A.ARRIVED, False),
        (A.BOOKED, A.NO_SHOW, False),
        (A.CONFIRMED, A.ARRIVED, False),
        (A.CONFIRMED, A.NO_SHOW, False),
        (A.ARRIVED, A.COMPLETED, False),
    ],
)
def test_the_day_before_only_confirming_and_cancelling(current: AppointmentStatus, wanted: AppointmentStatus,
                                                       allowed: bool) -> None:
    the_day_before = datetime(2026, 6, 3, 12, tzinfo=UTC)
    assert can_set(appointment(current), wanted, CLINIC, the_day_before) is allowed


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        (datetime(2026, 6, 4, 4, 59, tzinfo=UTC), False),  # 23:59 CDT the evening before
        (datetime(2026, 6, 4, 5, 0, tzinfo=UTC), True),  # local midnight
        (datetime(2026, 6, 4, 13, 0, tzinfo=UTC), True),  # the start
        (datetime(2026, 6, 5, 4, 59, tzinfo=UTC), True),  # 23:59 CDT that day
        (datetime(2026, 6, 20, 12, tzinfo=UTC), True),  # days later (a no-show marked late)
    ],
)
def test_the_day_is_the_clinic_s_local_date(now: datetime, allowed: bool) -> None:
    assert can_set(appointment(A.BOOKED), A.NO_SHOW, CLINIC, now) is allowed


def test_an_evening_visit_whose_utc_date_is_the_next_day() -> None:
    # 20:00 CDT on 4 June is 01:00 UTC on 5 June; the morning of the 4th is already its day.
    evening = appointment(A.BOOKED, datetime(2026, 6, 5, 1, tzinfo=UTC))
    assert can_set(evening, A.ARRIVED, CLINIC, datetime(2026, 6, 4, 11, tzinfo=UTC)) is True
    assert can_set(evening, A.ARRIVED, CLINIC, datetime(2026, 6, 4, 4, tzinfo=UTC)) is False  # 23:00 on the 3rd


def test_now_in_another_zone_means_the_same_instant() -> None:
    assert can_set(appointment(A.BOOKED), A.ARRIVED, CLINIC, datetime(2026, 6, 4, 0, 30, tzinfo=CHICAGO)) is True
