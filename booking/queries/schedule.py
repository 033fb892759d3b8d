"""What the front desk sees: a day's or week's appointments, with arrival flags."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from booking.domain.availability import Period
from booking.extensions import db
from booking.limits import LONGEST_BLOCK
from booking.models import (
    Appointment,
    AppointmentStatus,
    Chair,
    Clinic,
    ConsultationRequest,
    Patient,
    ReviewDecision,
    Service,
)
from booking.queries.availability import window_of


@dataclass
class Entry:
    """One appointment with what is needed to show it."""

    appointment: Appointment
    patient: Patient
    service: Service
    chair: Chair
    flags: list[str] = field(default_factory=list)


def entries_between(clinic: Clinic, window: Period, *, include_cancelled: bool = False) -> list[Entry]:
    """The clinic's appointments starting inside `window`, in time order (one query)."""
    query = (
        select(Appointment, Patient, Service, Chair)
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(Service, Service.id == Appointment.service_id)
        .join(Chair, Chair.id == Appointment.chair_id)
        .where(
            Appointment.clinic_id == clinic.id,
            Appointment.starts_at >= window.start,
            Appointment.starts_at < window.end,
        )
        .order_by(Appointment.starts_at, Chair.id)
    )
    if not include_cancelled:
        query = query.where(Appointment.status != AppointmentStatus.CANCELLED)
    return [Entry(a, p, s, c) for a, p, s, c in db.session.execute(query)]


def day_entries(clinic: Clinic, day: date) -> list[Entry]:
    """A local day's appointments, flagged for the arrivals list."""
    entries = entries_between(clinic, window_of(clinic.zone, day, 1))
    add_flags(clinic, entries)
    return entries


def cancelled_entries(clinic: Clinic, day: date) -> list[Entry]:
    """A local day's cancelled appointments: the blocks they freed."""
    entries = entries_between(clinic, window_of(clinic.zone, day, 1), include_cancelled=True)
    return [e for e in entries if e.appointment.status is AppointmentStatus.CANCELLED]


def add_flags(clinic: Clinic, entries: Iterable[Entry]) -> None:
    """Set each entry's flags: new_patient, needs_review, not_confirmed, no_driver."""
    entries = list(entries)
    patient_ids = {e.patient.id for e in entries}
    if not patient_ids:
        return
    earliest = min(e.appointment.starts_at for e in entries)
    seen_before = set(
        db.session.scalars(
            select(Appointment.patient_id).where(
                Appointment.clinic_id == clinic.id,
                Appointment.patient_id.in_(patient_ids),
                Appointment.status == AppointmentStatus.COMPLETED,
                Appointment.starts_at < earliest + LONGEST_BLOCK,
            )
        )
    )
    waiting_review = set(
        db.session.scalars(
            select(ConsultationRequest.patient_id).where(
                ConsultationRequest.clinic_id == clinic.id,
                ConsultationRequest.patient_id.in_(patient_ids),
                ConsultationRequest.needs_clinician_review.is_(True),
                (ConsultationRequest.review_decision.is_(None))
                | (ConsultationRequest.review_decision != ReviewDecision.CLEARED),
            )
        )
    )
    for entry in entries:
        a = entry.appointment
        if entry.patient.id not in seen_before:
            entry.flags.append("new_patient")
        if entry.patient.id in waiting_review:
            entry.flags.append("needs_review")
        if a.status is AppointmentStatus.BOOKED and a.patient_confirmed_at is None:
            entry.flags.append("not_confirmed")
        if entry.service.needs_chair and a.driver_confirmed_at is None and a.status in (
            AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED
        ):
            entry.flags.append("no_driver")


def clinic_chairs(clinic: Clinic) -> list[Chair]:
    """Active chairs first infusion chairs, then consult rooms."""
    chairs = db.session.scalars(
        select(Chair).where(Chair.clinic_id == clinic.id, Chair.active.is_(True)).order_by(Chair.id)
    ).all()
    return sorted(chairs, key=lambda c: (c.kind.value != "infusion", c.id))
