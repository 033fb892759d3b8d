"""The day sheet's "call to confirm" list: visits whose patient has not answered the readiness check by the clinic's time."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from booking.dashboard import bp
from booking.dashboard.context import current_clinic
from booking.domain.availability import jump_instant, local_instant
from booking.extensions import db
from booking.models import Appointment, AppointmentStatus, Clinic, Patient, Service, utcnow
from booking.queries.sms import messaging_settings


def call_from(clinic: Clinic, day: date) -> datetime:
    """The instant (UTC), the day before `day`, from which unanswered visits on `day` are listed."""
    at = messaging_settings(clinic).readiness_call_at
    eve = day - timedelta(days=1)
    found = local_instant(eve, at, clinic.zone)
    return found.astimezone(timezone.utc) if found is not None else jump_instant(eve, at, clinic.zone)


def unanswered(clinic: Clinic, day: date, now: datetime) -> list[tuple[Appointment, Patient]]:
    """Infusions on `day` still to come whose patient confirmed neither by text nor on their page."""
    if now < call_from(clinic, day):
        return []
    starts = local_instant(day, datetime.min.time(), clinic.zone) or jump_instant(day, datetime.min.time(), clinic.zone)
    return [(a, p) for a, p in db.session.execute(
        select(Appointment, Patient)
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(Service, Service.id == Appointment.service_id)
        .where(
            Appointment.clinic_id == clinic.id,
            Appointment.starts_at >= starts,
            Appointment.starts_at < starts + timedelta(hours=26),  # a DST day is up to 25 hours long
            Appointment.starts_at > now,
            Appointment.status.in_([AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED]),
            Appointment.ready_confirmed_at.is_(None),
            Appointment.patient_confirmed_at.is_(None),
            Service.needs_chair.is_(True),
        )
        .order_by(Appointment.starts_at)
    ).all() if a.starts_at.astimezone(clinic.zone).date() == day]


@bp.context_processor
def readiness_context() -> dict[str, Any]:
    """`call_to_confirm(day)` for templates/dashboard/_call_to_confirm.html."""

    def call_to_confirm(day: date) -> dict[str, Any]:
        clinic = current_clinic()
        return {"rows": unanswered(clinic, day, utcnow()), "from": call_from(clinic, day)}

    return {"call_to_confirm": call_to_confirm}
