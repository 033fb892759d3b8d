"""Submitting a check-in (a new row that supersedes the last) and a clinician acknowledging its flags.

Nothing of the answers goes into the audit log or any log line: only ids and yes/no flags.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from booking.domain.checkins import Window, window
from booking.domain.errors import DomainError
from booking.domain.questionnaires import Score
from booking.extensions import db
from booking.models import (
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentStatus,
    AuditAction,
    CheckIn,
    Clinic,
    Language,
    QuestionnaireResponse,
    StaffUser,
)
from booking.operations import audit
from booking.operations.patient_actions import DriverDetails, save_driver
from booking.queries.checkins import opens_hours_before


class CheckinRefused(DomainError):
    """Check-in is not open for this visit (cancelled, passed or not yet open)."""


@dataclass(frozen=True)
class CheckinAnswers:
    """A validated check-in: confirmations, the driver (None if the visit needs none), scores."""

    fasting_confirmed: bool
    driver_name: str
    driver_phone: str
    driver_confirmed: bool
    medication_change: str
    scores: Sequence[Score]
    ask_driver: bool = True


def going_ahead(appointment: Appointment) -> bool:
    """Booked or confirmed: a visit the patient can still check in for."""
    return appointment.status in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)


def checkin_window(appointment: Appointment, now: datetime) -> Window:
    """Whether check-in is open for this visit at `now`."""
    return window(appointment.starts_at, opens_hours_before(appointment.clinic_id), going_ahead(appointment), now)


def submit(clinic: Clinic, appointment: Appointment, answers: CheckinAnswers, language: Language,
           now: datetime) -> CheckIn:
    """Store a check-in; an earlier one for the visit is kept, marked superseded by this one."""
    if checkin_window(appointment, now) is not Window.OPEN:
        raise CheckinRefused("check-in is not open for this visit")
    self_harm = any(s.self_harm for s in answers.scores)
    medication_change = answers.medication_change.strip()
    previous = db.session.scalar(
        select(CheckIn).where(
            CheckIn.clinic_id == clinic.id, CheckIn.appointment_id == appointment.id, CheckIn.is_current.is_(True)
        ).with_for_update()
    )
    if previous is not None:
        # The partial unique index allows one current row: step the old one aside first.
        previous.is_current = False
        previous.superseded_by_id = None
        db.session.flush()
    checkin = CheckIn(
        clinic_id=clinic.id,
        appointment_id=appointment.id,
        patient_id=appointment.patient_id,
        submitted_at=now,
        language=language,
        fasting_confirmed=answers.fasting_confirmed,
        driver_name=answers.driver_name,
        driver_phone=answers.driver_phone,
        driver_confirmed=answers.driver_confirmed,
        medication_change=medication_change,
        self_harm=self_harm,
        needs_clinician=self_harm or bool(medication_change),
        is_current=True,
    )
    db.session.add(checkin)
    db.session.flush()
    if previous is not None:
        previous.superseded_by_id = checkin.id
    for s in answers.scores:
        db.session.add(QuestionnaireResponse(
            clinic_id=clinic.id, checkin_id=checkin.id, instrument=s.instrument, version=s.version,
            answers=list(s.answers), total=s.total, band=s.band,
        ))
    if answers.ask_driver and answers.driver_name and appointment.status in OCCUPYING_STATUSES:
        # The appointment's own driver fields follow, so the day sheet's "driver" flag is right.
        save_driver(clinic, appointment, DriverDetails(
            name=answers.driver_name, phone=answers.driver_phone, email=appointment.driver_email,
            may_email=appointment.driver_may_be_emailed, confirmed=answers.driver_confirmed,
        ), now)
    db.session.flush()
    audit.record(clinic.id, None, AuditAction.CHECKIN_SUBMITTED, "appointment", appointment.id,
                 checkin_id=checkin.id, superseded=previous.id if previous else None,
                 needs_clinician=checkin.needs_clinician, urgent=self_harm)
    return checkin


class AlreadyAcknowledged(DomainError):
    """Another clinician acknowledged this check-in first."""


def acknowledge(clinic: Clinic, checkin: CheckIn, actor: StaffUser, now: datetime) -> None:
    """A clinician has seen the flags of this check-in (audited)."""
    if checkin.clinic_id != clinic.id:
        raise ValueError("check-in of another clinic")
    if checkin.acknowledged_at is not None:
        raise AlreadyAcknowledged("already acknowledged")
    checkin.acknowledged_at = now
    checkin.acknowledged_by_id = actor.id
    audit.record(clinic.id, actor.id, AuditAction.CHECKIN_ACKNOWLEDGED, "appointment", checkin.appointment_id,
                 checkin_id=checkin.id, urgent=checkin.self_harm)
    db.session.flush()


def record_viewed(clinic: Clinic, actor_id: int, entity: str, entity_id: int, **details: object) -> None:
    """Audit that a clinician saw check-in answers or scores."""
    audit.record(clinic.id, actor_id, AuditAction.CHECKIN_VIEWED, entity, entity_id, **details)
