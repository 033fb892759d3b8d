"""Booking: a form's key stands for one booking, per clinic; a repeat replays it, a misuse conflicts."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Appointment, AuditEvent, Clinic, MessageKind, OutboxMessage, utcnow
from booking.operations.booking import BookingSpec, InvalidBooking, book
from tests.conftest import chairs, days_ahead, local, service

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
                       start=local(clinic, days_ahead(clinic, 2), 9), chair_id=chairs(clinic)[0].id,
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
    from booking.operations.booking import reschedule

    first = booked(clinic, spec)
    reschedule(clinic, first, spec.start + timedelta(hours=4), None, actor_id=None, now=utcnow())
    db.session.commit()
    # What the key stood for is kept with it, not read back from the moved appointment.
    assert booked(clinic, spec).id == first.id
    assert count(Appointment) == 1


def test_keys_are_per_clinic(clinic: Clinic, spec: BookingSpec, make_clinic: Any, make_patient: Any) -> None:
    first = booked(clinic, spec)
    elsewhere = make_clinic(chairs=1)
    theirs = BookingSpec(service=service(elsewhere, "consult"), patient=make_patient(elsewhere),
                         start=local(elsewhere, days_ahead(elsewhere, 2), 9), idempotency_key=spec.idempotency_key)
    # Another clinic's key says nothing about this one: it books, and each clinic replays its own.
    second = booked(elsewhere, theirs)
    assert second.id != first.id and second.clinic_id == elsewhere.id
    assert booked(elsewhere, theirs).id == second.id
    assert booked(clinic, spec).id == first.id
    assert count(Appointment) == 2
