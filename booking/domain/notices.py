"""Emails the patient must get when their appointment changes (written to the outbox)."""
from __future__ import annotations

from datetime import datetime

from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.models import Appointment, Clinic, Patient, Service
from booking.queries.availability import clinic_zone

KINDS = ("appointment_booked", "appointment_rescheduled", "appointment_cancelled")


def notify_patient(clinic: Clinic, appointment: Appointment, kind: str, now: datetime) -> None:
    """Queue the `kind` email for this version of the appointment (once per version)."""
    assert kind in KINDS
    patient = db.session.get(Patient, appointment.patient_id)
    service = db.session.get(Service, appointment.service_id)
    assert patient is not None and service is not None
    zone = clinic_zone(clinic)
    enqueue(
        clinic,
        kind=kind,
        dedupe_key=f"{kind}:{appointment.id}:v{appointment.version}",
        to_name=patient.full_name,
        to_email=patient.email,
        context={
            "first_name": patient.full_name.split()[0],
            "service": service,
            "starts": appointment.starts_at.astimezone(zone),
            "ends": appointment.ends_at.astimezone(zone),
        },
        now=now,
    )
