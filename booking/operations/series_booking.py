"""Booking a planned series in one transaction: every session or none."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from booking.domain.errors import DomainError
from booking.domain.series import PlannedSession
from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.models import Appointment, AppointmentSeries, AuditAction, Clinic, MessageKind, Patient, Service
from booking.operations import audit
from booking.operations.booking import Booker, BookingSpec, SlotTaken, book, lock_clinic


class SeriesConflict(DomainError):
    """One session could not be booked, so none were."""

    def __init__(self, index: int, cause: SlotTaken) -> None:
        super().__init__(f"session {index + 1}: {cause}")
        self.index = index
        self.cause = cause


def book_series(
    clinic: Clinic,
    patient: Patient,
    service: Service,
    sessions: Sequence[PlannedSession],
    *,
    actor_id: int | None,
    now: datetime,
    override_consult_first: bool = False,
) -> list[Appointment]:
    """Book every session by staff rules, or raise (the caller then rolls back and nothing is kept)."""
    lock_clinic(clinic)
    series = AppointmentSeries(clinic_id=clinic.id, patient_id=patient.id, service_id=service.id,
                               created_by_id=actor_id, created_at=now)
    db.session.add(series)
    db.session.flush()
    booked = []
    for index, session in enumerate(sorted(sessions, key=lambda s: s.start)):
        spec = BookingSpec(service=service, patient=patient, start=session.start, booker=Booker.STAFF,
                           chair_id=session.chair_id, series_id=series.id,
                           override_consult_first=override_consult_first, notify=False)
        try:
            booked.append(book(clinic, spec, actor_id=actor_id, now=now))
        except SlotTaken as error:
            raise SeriesConflict(index, error) from error
    audit.record(clinic.id, actor_id, AuditAction.SERIES_BOOKED, "appointment_series", series.id,
                 sessions=len(booked))
    zone = clinic.zone
    enqueue(
        clinic,
        kind=MessageKind.SERIES_BOOKED,
        dedupe_key=MessageKind.SERIES_BOOKED.dedupe_key(series.id),
        to_name=patient.full_name,
        to_email=patient.email,
        context={
            "first_name": patient.first_name,
            "service": service,
            "sessions": [(a.starts_at.astimezone(zone), a.ends_at.astimezone(zone)) for a in booked],
        },
        now=now,
        language=patient.language,
    )
    return booked
