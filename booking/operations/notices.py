"""What the patient is sent when their appointment changes, and its reminders.

Everything is written to the outbox in the same transaction as the change.
Reminders are keyed by (kind, appointment, version): a change voids the old
ones and plans new ones, so a moved or cancelled visit never gets a stale one.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from booking.domain.preparation import fasting_times
from booking.domain.reminders import ReminderSchedule, plan_reminders
from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.mail.sms_outbox import enqueue_text, render_text, sms_key
from booking.models import (
    Appointment,
    Channel,
    Clinic,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Patient,
    Service,
)
from booking.queries.instructions import instructions_for
from booking.queries.sms import messaging_settings, reminder_channels

# What a change of the appointment itself tells the patient.
KINDS = frozenset({MessageKind.APPOINTMENT_BOOKED, MessageKind.APPOINTMENT_RESCHEDULED, MessageKind.APPOINTMENT_CANCELLED})


def message_context(clinic: Clinic, appointment: Appointment, patient: Patient, service: Service) -> dict[str, Any]:
    """What every message about one visit is rendered with."""
    zone = clinic.zone
    starts = appointment.starts_at.astimezone(zone)
    instructions = instructions_for(clinic, service)
    fasting = fasting_times(
        starts,
        instructions.fasting_hours if instructions else None,
        instructions.clear_liquids_hours if instructions else None,
    )
    return {
        "first_name": patient.first_name,
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


def notify_patient(clinic: Clinic, appointment: Appointment, kind: MessageKind, now: datetime) -> None:
    """Queue the `kind` email (with its calendar) for this version of the appointment."""
    assert kind in KINDS
    patient = db.session.get(Patient, appointment.patient_id)
    service = db.session.get(Service, appointment.service_id)
    assert patient is not None and service is not None
    cancelled = kind is MessageKind.APPOINTMENT_CANCELLED
    _void_pending(appointment, older_than_current=not cancelled)
    enqueue(
        clinic,
        kind=kind,
        dedupe_key=kind.dedupe_key(appointment.id, f"v{appointment.version}"),
        to_name=patient.full_name,
        to_email=patient.email,
        context=message_context(clinic, appointment, patient, service),
        now=now,
        language=patient.language,
        appointment=appointment,
        calendar=(service, "CANCEL" if cancelled else "REQUEST"),
    )


def plan_appointment_reminders(clinic: Clinic, appointment: Appointment, now: datetime) -> None:
    """Queue this version's reminders by email, text or both (the clinic's choice per reminder).

    Ones whose moment has passed are recorded as skipped; texts only go to a number
    that agreed to them and did not opt out, and wait for the end of quiet hours.
    """
    patient = db.session.get(Patient, appointment.patient_id)
    service = db.session.get(Service, appointment.service_id)
    assert patient is not None and service is not None
    context = message_context(clinic, appointment, patient, service)
    schedule = ReminderSchedule(
        clinic.reminder_days_before, clinic.reminder_evening_before, clinic.reminder_hours_before
    )
    instructions = context["instructions"]
    fasting = instructions.fasting_hours if instructions else None
    settings = messaging_settings(clinic)
    for reminder in plan_reminders(appointment.starts_at, clinic.zone, schedule, fasting, now):
        channels = reminder_channels(settings, reminder.kind).channels
        status = OutboxStatus.SKIPPED if reminder.skip else OutboxStatus.PENDING
        if Channel.SMS in channels:
            enqueue_text(
                clinic,
                kind=reminder.kind,
                dedupe_key=sms_key(reminder.kind, appointment.id, f"v{appointment.version}"),
                phone=patient.phone,
                body=render_text(reminder.kind, patient.language, **context, clinic=clinic,
                                 visit_in_days=reminder.visit_in_days),
                now=now,
                appointment=appointment,
                due_at=reminder.due_at,
                status=status,
            )
        if Channel.EMAIL not in channels:
            continue
        enqueue(
            clinic,
            kind=reminder.kind,
            dedupe_key=reminder.kind.dedupe_key(appointment.id, f"v{appointment.version}"),
            to_name=patient.full_name,
            to_email=patient.email,
            # Rendered now, read when it arrives: "tomorrow" must be true of that moment.
            context={**context, "visit_in_days": reminder.visit_in_days},
            now=now,
            language=patient.language,
            appointment=appointment,
            due_at=reminder.due_at,
            status=status,
        )


def pickup_key(appointment: Appointment, email: str) -> str:
    """The driver note's dedupe key: one per appointment version and driver."""
    # The address is hashed to keep the key inside its 120 characters; a new
    # driver, or the same driver after the visit moved, gets a new note.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return MessageKind.DRIVER_PICKUP.dedupe_key(appointment.id, f"v{appointment.version}", digest)


def queue_pickup_note(clinic: Clinic, appointment: Appointment, now: datetime) -> OutboxMessage | None:
    """The driver's note: pickup time and place, the patient's first name, nothing clinical."""
    key = pickup_key(appointment, appointment.driver_email)
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
    if existing is not None:
        if existing.status is not OutboxStatus.VOID:
            return None  # queued or sent already: a second save sends nothing
        # Voided when the patient named someone else, now named again: free the key.
        existing.dedupe_key = f"{key}:void{existing.id}"
        db.session.flush()
    patient = db.session.get(Patient, appointment.patient_id)
    assert patient is not None
    return enqueue(
        clinic,
        kind=MessageKind.DRIVER_PICKUP,
        dedupe_key=key,
        to_name=appointment.driver_name,
        to_email=appointment.driver_email,
        context={
            "driver_name": appointment.driver_name,
            "first_name": patient.first_name,
            # End of the visit plus recovery: when the patient may leave.
            "pickup": appointment.blocked_until.astimezone(clinic.zone),
        },
        now=now,
        # The patient's language: the driver is someone they chose, most likely sharing it.
        language=patient.language,
        # Tied to this version: a moved or cancelled visit voids the note before it goes out.
        appointment=appointment,
    )
