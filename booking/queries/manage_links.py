"""Finding the appointment a patient's secret link opens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from booking.domain.manage_links import MAX_TOKEN_LENGTH, link_expiry, token_hash
from booking.extensions import db
from booking.models import Appointment, ManageToken


def appointment_for_token(token: str, now: datetime) -> Appointment | None:
    """The appointment a valid, unexpired token opens; None for anything else."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(select(ManageToken).where(ManageToken.token_hash == token_hash(token)))
    if row is None or row.expires_at <= now:
        return None
    appointment = db.session.get(Appointment, row.appointment_id)
    if appointment is None or appointment.clinic_id != row.clinic_id:
        return None
    # A moved appointment keeps its links valid until it is over.
    if link_expiry(appointment.blocked_until) <= now:
        return None
    return appointment
