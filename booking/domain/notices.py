"""What the patient is sent when their appointment changes, and its reminders.

Everything is written to the outbox in the same transaction as the change.
Reminders are keyed by (kind, appointment, version): a change voids the old
ones and plans new ones, so a moved or cancelled visit never gets a stale one.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import update

from booking.domain.instructions import instructions_for
from booking.domain.preparation import fasting_times
from booking.domain.reminders import ReminderSchedule, plan_reminders
from booking.extensions import db
from booking.mail.calendar import appointment_ics
from booking.mail.outbox import enqueue
from booking.models import Appointment, Clinic, OutboxMessage, OutboxStatus, Patient, Service
from booking.queries.availability import clinic_zone

KINDS = ("appointment_booked", "appointment_rescheduled", "appointment_cancelled")


def _context(clinic: Clinic, appointment: Appointment, patient: Patient, service: Service) -> dict[str, Any]:
    zone = clinic_zone(clinic)
    starts = appointment.starts_at.astimezone(zone)
    instructions = instructions_for(clinic, service)
    fasting = fasting_times(
        starts,
        instructions.fasting_hours if instructions else None,
        instructions.clear_liquids_hours if instructions else None,
    )
    return {
        "first_name": patient.full_name.split()[0],
        "service": service,
        "starts": starts,
        "ends": appointment.ends_at.astimezone(zone),
        "leaves": appointment.blocked_until.astimezone(zone),
        "instructions": instructions,
        "fasting": fasting,
    }


def _void_pending(appointment: Appointment, *, older_than_current: bool) -> None:
    query = update(OutboxMessage).where(
        OutboxMessage.appointment_id == appointment.id,
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    if older_than_current:
        query = query.where(OutboxMessage.appointment_version < appointment.version)
    db.session.execute(query.values(status=OutboxStatus.VOID), execution_options={"synchronize_session": False})


def notify_patient(clinic: Clinic, appointment: Appointment, kind: str, now: datetime) -> None:
    """Queue the `kind` email (with its calendar) for this version of the appointment."""
    assert kind in KINDS
    patient = db.session.get(Patient, appointment.patient_id)
    service = db.session.get(Service, appointment.service_id)
    assert patient is not None and service is not None
    cancelled = kind == "appointment_cancelled"
    _void_pending(appointment, older_than_current=not cancelled)
    method = "CANCEL" if cancelled else "REQUEST"
    ics = appointment_ics(
        clinic, appointment, service, method=method,
        domain=current_app.config["MAIL_MESSAGE_ID_DOMAIN"], now=now,
    )
    enqueue(
        clinic,
        kind=kind,
        dedupe_key=f"{kind}:{appointment.id}:v{appointment.version}",
        to_name=patient.full_name,
        to_email=patient.email,
        context=_context(clinic, appointment, patient, service),
        now=now,
        appointment=appointment,
        ics=(ics, method),
    )


def plan_appointment_reminders(clinic: Clinic, appointment: Appointment, now: datetime) -> None:
    """Queue this version's reminders; ones whose moment has passed are recorded as skipped."""
    patient = db.session.get(Patient, appointment.patient_id)
    service = db.session.get(Service, appointment.service_id)
    assert patient is not None and service is not None
    context = _context(clinic, appointment, patient, service)
    schedule = ReminderSchedule(
        clinic.reminder_days_before, clinic.reminder_evening_before, clinic.reminder_hours_before
    )
    instructions = context["instructions"]
    fasting = instructions.fasting_hours if instructions else None
    for reminder in plan_reminders(appointment.starts_at, clinic_zone(clinic), schedule, fasting, now):
        enqueue(
            clinic,
            kind=reminder.kind,
            dedupe_key=f"{reminder.kind}:{appointment.id}:v{appointment.version}",
            to_name=patient.full_name,
            to_email=patient.email,
            context=context,
            now=now,
            appointment=appointment,
            due_at=reminder.due_at,
            status=OutboxStatus.SKIPPED if reminder.skip else OutboxStatus.PENDING,
        )
