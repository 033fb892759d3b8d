"""Reads for texts: a clinic's message settings, whether a number may be texted, who a number is."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from booking.domain.quiet_hours import QuietHours
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    Clinic,
    ClinicMessaging,
    MessageKind,
    Patient,
    ReminderChannels,
    SmsConsent,
    SmsOptOut,
)


def messaging_settings(clinic: Clinic) -> ClinicMessaging:
    """The clinic's message settings, or the defaults (email only, quiet 21:00-08:00) if it has none."""
    found = db.session.get(ClinicMessaging, clinic.id)
    if found is not None:
        return found
    return ClinicMessaging(clinic_id=clinic.id, reminder_prep=ReminderChannels.EMAIL,
                           reminder_evening=ReminderChannels.EMAIL, reminder_final=ReminderChannels.EMAIL,
                           quiet_start=QuietHours.start, quiet_end=QuietHours.end,
                           quiet_exempt_hours=3, readiness_call_at=ClinicMessaging.readiness_default())


def reminder_channels(settings: ClinicMessaging, kind: MessageKind) -> ReminderChannels:
    """The channels `kind` (a reminder) goes by at this clinic."""
    channels: ReminderChannels = getattr(settings, kind.value)
    return channels


def quiet_hours(settings: ClinicMessaging) -> QuietHours:
    """The clinic's quiet hours as the pure rule takes them."""
    return QuietHours(settings.quiet_start, settings.quiet_end, timedelta(hours=settings.quiet_exempt_hours))


def opted_out(clinic_id: int, phone: str) -> bool:
    """True if `phone` replied STOP to this clinic and not START since."""
    return db.session.scalar(
        select(SmsOptOut.id).where(SmsOptOut.clinic_id == clinic_id, SmsOptOut.phone == phone)
    ) is not None


def has_consent(clinic_id: int, phone: str) -> bool:
    """True if `phone` agreed to this clinic's texts and has not withdrawn."""
    return db.session.scalar(
        select(SmsConsent.id).where(
            SmsConsent.clinic_id == clinic_id, SmsConsent.phone == phone, SmsConsent.withdrawn_at.is_(None)
        ).limit(1)
    ) is not None


def may_text(clinic_id: int, phone: str) -> bool:
    """Consent given and no opt-out: the only case a clinic texts a number first."""
    return bool(phone) and has_consent(clinic_id, phone) and not opted_out(clinic_id, phone)


def patients_with_number(clinic: Clinic, phone: str) -> list[Patient]:
    """This clinic's patients with `phone`, newest first."""
    return list(db.session.scalars(
        select(Patient).where(Patient.clinic_id == clinic.id, Patient.phone == phone).order_by(Patient.id.desc())
    ))


def next_visit(clinic: Clinic, patients: list[Patient], now: datetime) -> Appointment | None:
    """The soonest visit still to come of any of `patients` at this clinic."""
    if not patients:
        return None
    return db.session.scalar(
        select(Appointment).where(
            Appointment.clinic_id == clinic.id,
            Appointment.patient_id.in_([p.id for p in patients]),
            Appointment.status.in_([AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED]),
            Appointment.starts_at > now,
        ).order_by(Appointment.starts_at).limit(1)
    )
