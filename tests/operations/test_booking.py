"""Booking: a form's key stands for one booking, per clinic; the check under the lock uses the booker's rules."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Appointment, AuditEvent, Clinic, MessageKind, OutboxMessage, utcnow
from booking.operations.booking import Booker, BookingSpec, InvalidBooking, SlotTaken, book, reschedule
from booking.operations.scheduling import schedule_request
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local

CONFLICT = "already used for another booking"


def count(model: type, **where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(chairs=2)


@pytest.fixture
def spec(clinic: Clinic, make_patient: Any) -> BookingSpec:
    """An infusion on the first chair in two days at 9:00, sent with the key `k-1`."""
    return BookingSpec(service=service(clinic, "infusion"), patient=make_patient(clinic),
                       start=local(clinic, days_ahead(clinic, 2), 9), booker=Booker.STAFF, chair_id=chairs(clinic)[0].id,
                       idempotency_key="k-1", override_consult_first=True)


def booked(clinic: Clinic, spec: BookingSpec) -> Appointment:
    appointment = book(clinic, spec, actor_id=None, now=utcnow())
    db.session.commit()
    return appointment


def test_the_same_key_for_the_same_booking_returns_the_first_appointment(clinic: Clinic, spec: BookingSpec) -> None:
    first = booked(clinic, spec)
    events = count(AuditEvent)
    again = booked(clinic, spec)
    assert again.id == first.id
    assert count(Appointment) == 1
    assert count(OutboxMessage, kind=MessageKind.APPOINTMENT_BOOKED) == 1
    assert count(AuditEvent) == events  # a replay records nothing new


@pytest.mark.parametrize("change", ["patient", "service", "start", "chair"])
def test_the_same_key_for_another_booking_is_a_conflict_and_books_nothing(
    clinic: Clinic, spec: BookingSpec, make_patient: Any, change: str
) -> None:
    first = booked(clinic, spec)
    other = {
        "patient": {"patient": make_patient(clinic, "Other Person")},
        "service": {"service": service(clinic, "consult"), "chair_id": None},
        "start": {"start": spec.start + timedelta(hours=3)},
        "chair": {"chair_id": chairs(clinic)[1].id},
    }[change]
    with pytest.raises(InvalidBooking, match=CONFLICT):
        book(clinic, replace(spec, **other), actor_id=None, now=utcnow())
    db.session.rollback()
    assert db.session.scalars(select(Appointment)).all() == [first]
    assert (first.patient_id, first.service_id, first.starts_at, first.chair_id) == (
        spec.patient.id, spec.service.id, spec.start, spec.chair_id)


def test_a_moved_appointment_still_answers_a_replay_of_the_form_that_made_it(
    clinic: Clinic, spec: BookingSpec
) -> None:
    first = booked(clinic, spec)
    reschedule(clinic, first, spec.start + timedelta(hours=4), None, booker=Booker.STAFF, actor_id=None, now=utcnow())
    db.session.commit()
    # What the key stood for is kept with it, not read back from the moved appointment.
    assert booked(clinic, spec).id == first.id
    assert count(Appointment) == 1


def test_keys_are_per_clinic(clinic: Clinic, spec: BookingSpec, make_clinic: Any, make_patient: Any) -> None:
    first = booked(clinic, spec)
    elsewhere = make_clinic(chairs=1)
    theirs = BookingSpec(service=service(elsewhere, "consult"), patient=make_patient(elsewhere),
                         start=local(elsewhere, days_ahead(elsewhere, 2), 9), booker=Booker.STAFF,
                         idempotency_key=spec.idempotency_key)
    # Another clinic's key says nothing about this one: it books, and each clinic replays its own.
    second = booked(elsewhere, theirs)
    assert second.id != first.id and second.clinic_id == elsewhere.id
    assert booked(elsewhere, theirs).id == second.id
    assert booked(clinic, spec).id == first.id
    assert count(Appointment) == 2


# --- Who books: the public rules for patients, checked by the operation itself ----------------

# Three days' notice and ten days ahead for patients: tomorrow is too soon, in 20 days too far.
OUTSIDE_PUBLIC_RULES = [pytest.param(1, "notice", id="notice"), pytest.param(20, "horizon", id="horizon")]


@pytest.fixture
def strict(clinic: Clinic) -> Clinic:
    clinic.min_notice_minutes = 3 * 24 * 60
    clinic.horizon_days = 10
    db.session.commit()
    return clinic


@pytest.mark.parametrize(("days", "reason"), OUTSIDE_PUBLIC_RULES)
def test_a_patient_side_booking_outside_the_public_rules_is_refused_and_staff_may_book_it(
    strict: Clinic, spec: BookingSpec, days: int, reason: str
) -> None:
    start = local(strict, days_ahead(strict, days), 9)
    with pytest.raises(SlotTaken) as refused:
        book(strict, replace(spec, start=start, booker=Booker.PATIENT), actor_id=None, now=utcnow())
    assert refused.value.reason == reason
    db.session.rollback()
    assert count(Appointment) == 0
    assert booked(strict, replace(spec, start=start)).starts_at == start


@pytest.mark.parametrize(("days", "reason"), OUTSIDE_PUBLIC_RULES)
def test_a_patient_moving_outside_the_public_rules_is_refused_and_staff_may_move_it(
    strict: Clinic, spec: BookingSpec, days: int, reason: str
) -> None:
    appointment = booked(strict, replace(spec, start=local(strict, days_ahead(strict, 5), 9)))
    start = local(strict, days_ahead(strict, days), 9)
    with pytest.raises(SlotTaken) as refused:
        reschedule(strict, appointment, start, None, booker=Booker.PATIENT, actor_id=None, now=utcnow())
    assert refused.value.reason == reason
    db.session.rollback()
    assert db.session.get(Appointment, appointment.id).version == 1
    reschedule(strict, appointment, start, None, booker=Booker.STAFF, actor_id=None, now=utcnow())
    db.session.commit()
    assert db.session.get(Appointment, appointment.id).starts_at == start


@pytest.mark.parametrize(("days", "reason"), OUTSIDE_PUBLIC_RULES)
def test_an_instant_booking_outside_the_public_rules_is_refused_and_staff_may_schedule_it(
    strict: Clinic, make_request: Any, days: int, reason: str
) -> None:
    start = local(strict, days_ahead(strict, days), 9)
    item = make_request(strict, start)
    with pytest.raises(SlotTaken) as refused:
        schedule_request(strict, item, start, booker=Booker.PATIENT, actor_id=None, now=utcnow())
    assert refused.value.reason == reason
    db.session.rollback()
    assert count(Appointment) == 0
    appointment = schedule_request(strict, item, start, booker=Booker.STAFF, actor_id=None, now=utcnow())
    db.session.commit()
    assert appointment.starts_at == start and appointment.request_id == item.id
