"""Texts in the demo: the first clinic texts its evening and final reminders, two patients agreed, two replies came in.

With no Twilio account configured the texts stay in the local SMS log (dashboard, Texts).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from booking.extensions import db
from booking.models import Appointment, Clinic, ClinicMessaging, Patient, ReminderChannels
from booking.operations.notices import plan_appointment_reminders
from booking.operations.sms_consent import record_sms_consent
from booking.operations.sms_inbound import receive_text

# Made-up provider ids, so seeding twice receives each reply once.
_REPLIES = (("SM" + "d" * 31 + "1", "Can I have black coffee in the morning?"), ("SM" + "d" * 31 + "2", "HELP"))


def seed_demo_texts(clinic: Clinic, now: datetime) -> None:
    """Message settings, consent, reminders and replies for `clinic`; the caller commits."""
    if db.session.get(ClinicMessaging, clinic.id) is None:
        db.session.add(ClinicMessaging(clinic_id=clinic.id, reminder_evening=ReminderChannels.BOTH,
                                       reminder_final=ReminderChannels.SMS))
        db.session.flush()
    patients = list(db.session.scalars(select(Patient).filter_by(clinic_id=clinic.id).order_by(Patient.id).limit(2)))
    for patient in patients:
        record_sms_consent(clinic, patient.phone, now, source="patient_page")
    for appointment in db.session.scalars(select(Appointment).where(
            Appointment.clinic_id == clinic.id, Appointment.patient_id.in_([p.id for p in patients]),
            Appointment.starts_at > now)):
        plan_appointment_reminders(clinic, appointment, now)
    if patients:
        for sid, body in _REPLIES:
            receive_text(clinic, provider_message_id=sid, phone=patients[0].phone, body=body, now=now)
